package org.borderwatch.alert;

/** Statements about alerts. */
final class AlertSql {

    /**
     * The alerts agency $6 may see (those of units it sees, API.md §9). Every other filter is optional: a null
     * parameter matches everything ($7: acknowledged or not). Newest first.
     */
    static final String SEARCH = "SELECT " + Alerts.columnsFor("$6") + """
             FROM alerts
            WHERE ($1::timestamptz IS NULL OR detected_at >= $1)
              AND ($2::text[] IS NULL OR type = ANY($2))
              AND ($3::text IS NULL OR unit_id = $3 OR $3 = ANY(units))
              AND ($4::uuid IS NULL OR geofence_id = $4)
              AND ($7::boolean IS NULL OR (acked_at IS NOT NULL) = $7)
              AND\s""" + Alerts.visibleTo("alerts", "$6") + """

            ORDER BY detected_at DESC, time DESC, id
            LIMIT $5""";

    /**
     * The alerts after alert $1 in the order they were detected, for a stream resuming after it; those agency $2 may
     * see, at most $3. Empty when $1 is no alert agency $2 sees.
     */
    static final String AFTER = "SELECT " + Alerts.columnsFor("$2") + """
             FROM alerts, (SELECT detected_at AS at, id AS after FROM alerts WHERE id = $1::uuid) since
            WHERE (alerts.detected_at, alerts.id) > (since.at, since.after)
              AND\s""" + Alerts.visibleTo("alerts", "$2") + """

            ORDER BY alerts.detected_at, alerts.id
            LIMIT $3""";

    /** Whether alert $1 exists and agency $2 may see it. */
    static final String VISIBLE = "SELECT 1 FROM alerts WHERE id = $1::uuid AND " + Alerts.visibleTo("alerts", "$2");

    /**
     * The first acknowledgement is the one recorded, with its comment $4; an alert agency $3 may not see is not found.
     * {@code fresh} tells whether this request was that first acknowledgement (acked_at is the transaction's now()).
     */
    static final String ACK = """
            UPDATE alerts SET acked_by = coalesce(acked_by, $2), acked_at = coalesce(acked_at, now()),
                              comment = CASE WHEN acked_at IS NULL THEN $4 ELSE comment END
            WHERE id = $1::uuid
              AND\s""" + Alerts.visibleTo("alerts", "$3") + """

            RETURNING acked_at = now() AS fresh,\s""" + Alerts.columnsFor("$3");

    /**
     * Raises {@code stale} after $1 seconds of silence and {@code lost} after five times that, once per silence, judged
     * from when the last fix arrived (so a backfill of old fixes raises nothing; API.md §6): the
     * marker on unit_state is cleared by the next fix, and the unique key (unit, type, time of the last fix) keeps
     * two nodes or a restart from raising the same silence twice. Rows a track writer holds are skipped, not
     * waited for (they are reporting, so not silent), which also rules out deadlocks. Severity: stale warning, lost
     * critical.
     * <p>
     * When $2 or more units of one agency and unit type fall silent in the same check (a relay down), they raise one
     * alert per level naming them all in {@code units} (ordered by id; {@code unitId}, time and place are the first
     * one's) instead of one each. Grouping within an agency and unit type keeps a grouped alert visible to the agencies
     * units are shared with by type.
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
            fired AS (
                SELECT l.type, l.severity, d.unit_id, d.time, d.lat, d.lon, u.agency, u.type AS unit_type,
                       count(*) OVER (PARTITION BY l.type, u.agency, u.type) AS together
                FROM due d
                JOIN units u ON u.id = d.unit_id
                JOIN (VALUES ('stale', 'warning'), ('lost', 'critical')) AS l(type, severity)
                  ON l.type = 'stale' OR d.level = 'lost'
            ),
            raised AS (
                INSERT INTO alerts (type, unit_id, severity, time, lat, lon, units)
                SELECT type, unit_id, severity, time, lat, lon, NULL FROM fired WHERE together < $2
                UNION ALL
                SELECT type, (array_agg(unit_id ORDER BY unit_id))[1], severity,
                       (array_agg(time ORDER BY unit_id))[1], (array_agg(lat ORDER BY unit_id))[1],
                       (array_agg(lon ORDER BY unit_id))[1], array_agg(unit_id ORDER BY unit_id)
                FROM fired WHERE together >= $2
                GROUP BY type, severity, agency, unit_type
                ON CONFLICT DO NOTHING
                RETURNING *
            ),
            """ + Alerts.QUEUE_WEBHOOKS + """
            SELECT\s""" + Alerts.COLUMNS + " FROM raised ORDER BY detected_at, id";

    /**
     * Seconds from now until the next unit falls due for {@link #SILENCE} with $1 as its stale seconds (negative when
     * one is due already, null when none can be): a fix only ever moves a unit's deadline later, so nothing needs
     * checking before then.
     */
    static final String NEXT_SILENCE = """
            SELECT extract(epoch FROM min(s.received_at + make_interval(secs => CASE WHEN s.silence IS NULL THEN $1
                                                                                     ELSE 5 * $1 END)) - now())::float8
            FROM unit_state s
            WHERE s.silence IS NULL OR s.silence = 'stale'""";

    /**
     * Raises {@code escalated} for each critical alert left unacknowledged longer than $1 seconds, once (a unique
     * index on {@code escalates}, so every node may run this); it copies the alert's unit (or contact), place and fence
     * and names it in {@code escalates}. Oldest first, a bounded number per check.
     */
    static final String ESCALATE = """
            WITH due AS (
                SELECT a.* FROM alerts a
                WHERE a.acked_at IS NULL AND a.severity = 'critical' AND a.type <> 'escalated'
                  AND a.detected_at < now() - make_interval(secs => $1)
                  AND NOT EXISTS (SELECT 1 FROM alerts e WHERE e.escalates = a.id)
                ORDER BY a.detected_at
                LIMIT 1000
            ),
            raised AS (
                INSERT INTO alerts (type, unit_id, geofence_id, geofence_name, severity, time, lat, lon, units,
                                    escalates, contact_agency)
                SELECT 'escalated', unit_id, geofence_id, geofence_name, 'critical', time, lat, lon, units, id,
                       contact_agency
                FROM due
                ON CONFLICT DO NOTHING
                RETURNING *
            ),
            """ + Alerts.QUEUE_WEBHOOKS + """
            SELECT\s""" + Alerts.COLUMNS + " FROM raised ORDER BY detected_at, id";

    private AlertSql() {
    }
}
