package org.borderwatch.alert;

/** Statements about webhooks and their deliveries. */
final class WebhookSql {

    static final String INSERT = """
            INSERT INTO webhooks (url, secret, types, agency) VALUES ($1, $2, $3::text[], $4)
            RETURNING id::text, url, types, agency, created_at""";
    /** The webhooks of agency $1 (root: all); a webhook gets the alerts its agency may see. */
    static final String SELECT_ALL = """
            SELECT id::text, url, types, agency, created_at FROM webhooks
            WHERE $1 = 'root' OR agency = $1 ORDER BY created_at""";
    static final String DELETE = "DELETE FROM webhooks WHERE id = $1::uuid AND ($2 = 'root' OR agency = $2)";

    /**
     * Claims up to $1 due deliveries: the claim pushes their next attempt out by $2 seconds, so a node that dies
     * mid-delivery only delays it, and SKIP LOCKED lets every node deliver in parallel without sending twice.
     */
    static final String CLAIM = """
            WITH due AS (
                SELECT webhook_id, alert_id FROM webhook_deliveries
                WHERE delivered_at IS NULL AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED
            ),
            claimed AS (
                UPDATE webhook_deliveries d
                SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
                FROM due WHERE d.webhook_id = due.webhook_id AND d.alert_id = due.alert_id
                RETURNING d.webhook_id, d.alert_id, d.attempts
            )
            SELECT c.webhook_id::text AS webhook_id, c.attempts, w.url, w.secret, a.*
            FROM claimed c
            JOIN webhooks w ON w.id = c.webhook_id
            CROSS JOIN LATERAL (SELECT\s""" + Alerts.COLUMNS + " FROM alerts WHERE alerts.id = c.alert_id) a";

    static final String DELIVERED = """
            UPDATE webhook_deliveries SET delivered_at = now(), last_error = NULL
            WHERE webhook_id = $1::uuid AND alert_id = $2::uuid""";

    /** Exponential backoff: 1 s, 2 s, 4 s … capped at an hour; retried until it is delivered. */
    static final String FAILED = """
            UPDATE webhook_deliveries
            SET next_attempt_at = now() + make_interval(secs => least(3600, power(2, attempts - 1))), last_error = $3
            WHERE webhook_id = $1::uuid AND alert_id = $2::uuid""";

    private WebhookSql() {
    }
}
