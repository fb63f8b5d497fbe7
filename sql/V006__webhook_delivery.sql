-- Webhooks that cannot hurt the server (issue 10): a circuit breaker per webhook, so a dead endpoint is probed once
-- per back-off step instead of every delivery retrying on its own schedule; deliveries that still fail after
-- BW_WEBHOOK_RETRY_HOURS become dead; and the order and times the delivery API (API.md §6) lists.

-- Consecutive failed attempts of the endpoint (0 = circuit closed) and when it may next be tried (the next probe).
ALTER TABLE webhooks ADD COLUMN failures int NOT NULL DEFAULT 0;
ALTER TABLE webhooks ADD COLUMN paused_until timestamptz;

-- seq: the order alerts were queued in, so a backlog drains in order and the API lists newest first.
ALTER TABLE webhook_deliveries ADD COLUMN seq bigserial;
ALTER TABLE webhook_deliveries ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE webhook_deliveries ADD COLUMN dead_at timestamptz;

-- Claims walk each webhook's pending deliveries in order; the sweep to dead and the oldest-pending gauge read by age.
DROP INDEX webhook_deliveries_due_idx;
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (webhook_id, seq)
    WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX webhook_deliveries_age_idx ON webhook_deliveries (created_at)
    WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, seq DESC);
