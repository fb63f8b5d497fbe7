-- Alerts at watch-floor volume (issue 10): a comment with the acknowledgement, one alert naming many units that
-- went silent together, and an alert that escalates a critical one left unacknowledged.

ALTER TABLE alerts ADD COLUMN comment text;
-- A grouped silence alert names every unit in it (unit_id is the first of them); null for an alert about one unit.
ALTER TABLE alerts ADD COLUMN units text[];
-- The critical alert an escalated alert is about; one escalation per alert.
ALTER TABLE alerts ADD COLUMN escalates uuid REFERENCES alerts (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX alerts_escalates_idx ON alerts (escalates) WHERE escalates IS NOT NULL;

-- Every type API.md §6 names, whatever an earlier migration allowed.
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_type_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_type_check
    CHECK (type IN ('enter', 'exit', 'dwell', 'stale', 'lost', 'detection', 'escalated'));

-- The acked filter and the escalation check look for open alerts.
CREATE INDEX alerts_open_idx ON alerts (detected_at) WHERE acked_at IS NULL;
