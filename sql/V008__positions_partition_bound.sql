-- Positions move to a table partitioned by time (API.md §11), in three steps so a running floor is never locked out
-- for longer than a moment (V008 to V010). Step 1: a bound above every stored fix, checked for new rows from now on
-- but not yet for old ones (NOT VALID needs no scan), so the existing table can later be attached as one partition
-- without a scan under lock. The bound is two days after today (UTC) or the day after the newest stored fix, found
-- with two primary-key probes per unit instead of a scan. Ingest refuses fixes more than five minutes ahead, so no
-- write meets the bound before step 3 replaces it with the partitions.
DO $$
DECLARE
    newest timestamptz;
    bound timestamptz := date_trunc('day', now(), 'UTC') + interval '2 days';
BEGIN
    WITH RECURSIVE unit AS (
        SELECT min(unit_id) AS id FROM positions
        UNION ALL
        SELECT (SELECT min(unit_id) FROM positions WHERE unit_id > unit.id) FROM unit WHERE unit.id IS NOT NULL
    )
    SELECT max((SELECT max(time) FROM positions p WHERE p.unit_id = unit.id)) INTO newest
    FROM unit WHERE unit.id IS NOT NULL;
    IF newest IS NOT NULL THEN
        bound := greatest(bound, date_trunc('day', newest, 'UTC') + interval '1 day');
    END IF;
    EXECUTE format('ALTER TABLE positions ADD CONSTRAINT positions_legacy_bound CHECK (time < %L) NOT VALID', bound);
END
$$;
