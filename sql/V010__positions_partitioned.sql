-- Step 3 of 3 (see V008): the swap, in one short transaction. `positions` becomes a table partitioned by range of
-- time, one partition per UTC day, which the server creates days ahead and drops after BW_RETENTION_DAYS
-- (org.borderwatch.history.PartitionVerticle). A default partition takes any fix no day partition covers, so no
-- insert ever fails; the server moves such rows into their own day's partition.
--
-- A table holding rows is kept whole as partition `positions_legacy`, for everything before the bound of V008: its
-- CHECK constraint proves the range, so ATTACH does not scan it, and its primary key becomes the partition's own. The
-- BRIN index on time is then declared ON ONLY the parent, so nothing is built on the old rows under this lock: every
-- new partition gets it at once, and the server builds the legacy partition's CONCURRENTLY and attaches it. An empty
-- table (a new installation) is simply replaced.
--
-- BRIN on time because fixes arrive in time order: a few kilobytes per gigabyte of rows, next to nothing per insert,
-- and a one-hour window of a day's partition reads about 1/24 of it (measured, see BENCHMARKS.md). No index on geom:
-- it would cut ingest several-fold, and a zone query over a bounded window is served by the time index.
--
-- The primary key stays (unit_id, time): it includes the partition key, as PostgreSQL requires of a unique key on a
-- partitioned table, so ON CONFLICT (unit_id, time) DO NOTHING still stores a repeated fix once. A repeated fix always
-- falls in the same partition as the first, since the partition follows from its time.
LOCK TABLE positions IN ACCESS EXCLUSIVE MODE;

DO $$
DECLARE
    bound timestamptz;
    filled boolean;
BEGIN
    SELECT (regexp_match(pg_get_constraintdef(oid), '''([^'']+)'''))[1]::timestamptz INTO bound
    FROM pg_constraint WHERE conrelid = 'positions'::regclass AND conname = 'positions_legacy_bound';
    SELECT EXISTS (SELECT 1 FROM positions) INTO filled;

    IF filled THEN
        ALTER TABLE positions RENAME TO positions_legacy;
        ALTER INDEX positions_pkey RENAME TO positions_legacy_pkey;
    ELSE
        DROP TABLE positions;
    END IF;

    CREATE TABLE positions (
        unit_id     text NOT NULL,
        time        timestamptz NOT NULL,
        geom        geometry(Point, 4326) NOT NULL,
        alt         double precision,
        speed       double precision,
        heading     double precision,
        accuracy    double precision,
        battery     double precision,
        attributes  jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (unit_id, time)
    ) PARTITION BY RANGE (time);

    IF filled THEN
        EXECUTE format('ALTER TABLE positions ATTACH PARTITION positions_legacy FOR VALUES FROM (MINVALUE) TO (%L)',
                       bound);
        ALTER TABLE positions_legacy DROP CONSTRAINT positions_legacy_bound;
        CREATE INDEX positions_time_idx ON ONLY positions USING brin (time) WITH (autosummarize = on);
    ELSE
        CREATE INDEX positions_time_idx ON positions USING brin (time) WITH (autosummarize = on);
    END IF;
    CREATE TABLE positions_default PARTITION OF positions DEFAULT;
END
$$;

COMMENT ON TABLE positions IS
    'Every accepted fix, partitioned by UTC day of time (positions_pYYYYMMDD), made ahead and dropped by the server';
