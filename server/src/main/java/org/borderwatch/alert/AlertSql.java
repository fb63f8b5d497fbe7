package org.borderwatch.alert;

/** Statements about alerts. */
final class AlertSql {

    /**
     * The alerts agency $6 may see (those of units it sees, API.md §9). Every other filter is optional: a null
     * parameter matches everything. Newest first.
     */
    static final String SEARCH = "SELECT " + Alerts.COLUMNS + """
             FROM alerts
            WHERE EXISTS (SELECT 1 FROM units u WHERE u.id = alerts.unit_id
                                                 AND bw_sees_unit($6, u.agency, u.type, u.id))
              AND ($1::timestamptz IS NULL OR detected_at >= $1)
              AND ($2::text[] IS NULL OR type = ANY($2))
              AND ($3::text IS NULL OR unit_id = $3)
              AND ($4::uuid IS NULL OR geofence_id = $4)
            ORDER BY detected_at DESC, time DESC, id
            LIMIT $5""";

    /** The first acknowledgement is the one recorded; an alert agency $3 may not see is not found. */
    static final String ACK = """
            UPDATE alerts SET acked_by = coalesce(acked_by, $2), acked_at = coalesce(acked_at, now())
            WHERE id = $1::uuid
              AND EXISTS (SELECT 1 FROM units u WHERE u.id = alerts.unit_id
                                                 AND bw_sees_unit($3, u.agency, u.type, u.id))
            RETURNING\s""" + Alerts.COLUMNS;

    /**
     * Raises {@code stale} after $1 seconds of silence and {@code lost} after five times that, once per silence, judged
     * from when the last fix arrived (so a backfill of old fixes raises nothing; API.md §6): the
     * marker on unit_state is cleared by the next fix, and the unique key (unit, type, time of the last fix) keeps
     * two nodes or a restart from raising the same silence twice. Rows a track writer holds are skipped, not
     * waited for (they are reporting, so not silent), which also rules out deadlocks. Severity: stale warning, lost
     * critical.
     */
    static final String SILENCE = """
            WITH due AS (
                SELECT s.unit_id, s.time, s.lat, s.lon,
                       CASE WHEN s.received_at < now() - make_interval(secs => 5 * $1) THEN 'lost' ELSE 'stale' END
                           AS level
                FROM unit_state s
                WHERE s.received_at < now() - make_interval(secs => $1)
                  AND (s.silence IS NULL
                       OR (s.silence = 'stale' AND s.received_at < now() - make_interval(secs => 5 * $1)))
                ORDER BY s.unit_id
                FOR UPDATE SKIP LOCKED
            ),
            marked AS (
                UPDATE unit_state u SET silence = d.level
                FROM due d WHERE u.unit_id = d.unit_id AND u.time = d.time
            ),
            raised AS (
                INSERT INTO alerts (type, unit_id, severity, time, lat, lon)
                SELECT l.type, d.unit_id, l.severity, d.time, d.lat, d.lon
                FROM due d
                JOIN (VALUES ('stale', 'warning'), ('lost', 'critical')) AS l(type, severity)
                  ON l.type = 'stale' OR d.level = 'lost'
                ON CONFLICT DO NOTHING
                RETURNING *
            ),
            """ + Alerts.QUEUE_WEBHOOKS + """
            SELECT\s""" + Alerts.COLUMNS + " FROM raised";

    private AlertSql() {
    }
}
