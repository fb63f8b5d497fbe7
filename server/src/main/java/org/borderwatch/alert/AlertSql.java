package org.borderwatch.alert;

/** Statements about alerts. */
final class AlertSql {

    /** Every filter is optional: a null parameter matches everything. Newest first. */
    static final String SEARCH = "SELECT " + Alerts.COLUMNS + """
             FROM alerts
            WHERE ($1::timestamptz IS NULL OR detected_at >= $1)
              AND ($2::text[] IS NULL OR type = ANY($2))
              AND ($3::text IS NULL OR unit_id = $3)
              AND ($4::uuid IS NULL OR geofence_id = $4)
            ORDER BY detected_at DESC, id
            LIMIT $5""";

    /** The first acknowledgement is the one recorded. */
    static final String ACK = """
            UPDATE alerts SET acked_by = coalesce(acked_by, $2), acked_at = coalesce(acked_at, now())
            WHERE id = $1::uuid
            RETURNING """ + Alerts.COLUMNS;

    private AlertSql() {
    }
}
