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
     * Claims due deliveries, webhook by webhook so one endpoint's backlog never starves another: up to $1 of a
     * webhook whose circuit is closed, in the order they were queued; of one whose circuit is open and whose back-off
     * step has passed, a single probe, and its next probe is pushed out by the lease so no other node probes too.
     * The claim pushes each delivery's next attempt out by $2 seconds (the lease), so a node that dies mid-delivery
     * only delays it, and SKIP LOCKED lets every node deliver in parallel without sending twice. Webhooks in $3 have
     * a batch in flight on this node and wait for it.
     */
    static final String CLAIM = """
            WITH probe_hooks AS (
                SELECT id, failures FROM webhooks
                WHERE failures > 0 AND paused_until <= now() AND NOT (id = ANY($3::uuid[]))
                FOR UPDATE SKIP LOCKED
            ),
            hooks AS (
                SELECT id, failures FROM probe_hooks
                UNION ALL
                SELECT id, failures FROM webhooks WHERE failures = 0 AND NOT (id = ANY($3::uuid[]))
            ),
            due AS (
                SELECT d.webhook_id, d.alert_id, h.failures FROM hooks h
                CROSS JOIN LATERAL (
                    SELECT webhook_id, alert_id FROM webhook_deliveries
                    WHERE webhook_id = h.id AND delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= now()
                    ORDER BY seq
                    LIMIT CASE WHEN h.failures > 0 THEN 1 ELSE $1 END
                    FOR UPDATE SKIP LOCKED
                ) d
            ),
            probing AS (
                UPDATE webhooks w SET paused_until = now() + make_interval(secs => $2)
                FROM due WHERE w.id = due.webhook_id AND due.failures > 0
            ),
            claimed AS (
                UPDATE webhook_deliveries d
                SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
                FROM due WHERE d.webhook_id = due.webhook_id AND d.alert_id = due.alert_id
                RETURNING d.webhook_id, d.alert_id, d.attempts, d.seq, due.failures
            )
            SELECT c.webhook_id::text AS webhook_id, c.attempts, c.failures, w.url, w.secret, a.*
            FROM claimed c
            JOIN webhooks w ON w.id = c.webhook_id
            CROSS JOIN LATERAL (SELECT\s""" + Alerts.columnsFor("w.agency") + """
             FROM alerts WHERE alerts.id = c.alert_id) a
            ORDER BY c.webhook_id, c.seq""";

    /** Deliveries $2 of webhook $1 were answered with 2xx (a late answer also saves one swept to dead). */
    static final String DELIVERED = """
            UPDATE webhook_deliveries SET delivered_at = now(), dead_at = NULL, last_error = NULL
            WHERE webhook_id = $1::uuid AND alert_id = ANY($2::uuid[])""";

    /**
     * Deliveries $2 of webhook $1 failed with errors $3: they stay first in line, due at once, and wait for the
     * circuit (they are not retried on schedules of their own).
     */
    static final String FAILED = """
            UPDATE webhook_deliveries d SET next_attempt_at = now(), last_error = f.error
            FROM unnest($2::uuid[], $3::text[]) AS f(alert_id, error)
            WHERE d.webhook_id = $1::uuid AND d.alert_id = f.alert_id""";

    /**
     * Opens (or keeps open) webhook $1's circuit after a failed batch claimed when it had $2 failures: exponential
     * back-off 1 s, 2 s, 4 s … capped at $3 seconds. The compare on failures makes concurrent batches count once.
     */
    static final String OPEN = """
            UPDATE webhooks
            SET failures = failures + 1, paused_until = now() + make_interval(secs => least($3, power(2, failures)))
            WHERE id = $1::uuid AND failures = $2
            RETURNING failures, least($3, power(2, failures - 1))::int AS pause_seconds""";

    /** Closes webhook $1's circuit; a row back means it was open. */
    static final String CLOSE = """
            UPDATE webhooks SET failures = 0, paused_until = NULL WHERE id = $1::uuid AND failures > 0
            RETURNING id""";

    /** Deliveries queued more than $1 seconds ago and still not delivered become dead. */
    static final String SWEEP_DEAD = """
            UPDATE webhook_deliveries SET dead_at = now()
            WHERE delivered_at IS NULL AND dead_at IS NULL AND created_at < now() - make_interval(secs => $1)""";

    /** Cluster-wide figures for the gauges: pending deliveries, the oldest one's age, open circuits. */
    static final String STATS = """
            SELECT (SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL AND dead_at IS NULL) AS pending,
                   (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::bigint FROM webhook_deliveries
                    WHERE delivered_at IS NULL AND dead_at IS NULL) AS oldest_seconds,
                   (SELECT count(*) FROM webhooks WHERE failures > 0) AS open_circuits""";

    /**
     * Webhook $1 if agency $2 may see it (root: all), with its deliveries in state $3 (null: every state), newest
     * first, at most $4: no row = no such webhook; one row with a null alert id = no deliveries.
     */
    static final String DELIVERIES = """
            SELECT d.alert_id::text AS alert_id, d.attempts, d.last_error, d.next_attempt_at, d.delivered_at,
                   d.dead_at, d.created_at
            FROM webhooks w
            LEFT JOIN LATERAL (
                SELECT * FROM webhook_deliveries d
                WHERE d.webhook_id = w.id AND CASE $3::text
                    WHEN 'delivered' THEN d.delivered_at IS NOT NULL
                    WHEN 'dead' THEN d.dead_at IS NOT NULL AND d.delivered_at IS NULL
                    WHEN 'pending' THEN d.delivered_at IS NULL AND d.dead_at IS NULL
                    ELSE true END
                ORDER BY d.seq DESC
                LIMIT $4
            ) d ON true
            WHERE w.id = $1::uuid AND ($2 = 'root' OR w.agency = $2)""";

    private WebhookSql() {
    }
}
