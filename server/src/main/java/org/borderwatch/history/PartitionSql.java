package org.borderwatch.history;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Statements that keep the day partitions of {@code positions} (sql/V010). DDL cannot take parameters, so the few
 * statements naming a partition are built here from a {@link LocalDate}, never from anything a client sent.
 */
final class PartitionSql {

    /**
     * One key for every node: whoever holds it keeps the partitions this round, the others skip theirs. Transaction
     * scoped, so a node that dies mid-way frees it.
     */
    static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(7175912302741594433) AS locked";

    /**
     * A node waits this long at most for the locks partition DDL takes. Dropping a partition needs ACCESS EXCLUSIVE
     * on positions (queries wait behind the waiting drop), so a long export makes retention give up and try at the
     * next round rather than stall ingest.
     */
    static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '1s'";

    /**
     * The partitions and their bounds, read back from the text PostgreSQL gives (bounds are printed with their
     * offset, so the cast is exact in any session time zone). MINVALUE and MAXVALUE come back null.
     */
    static final String LIST = """
            SELECT c.relname AS name, b.expr = 'DEFAULT' AS is_default,
                   (regexp_match(b.expr, 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS lower,
                   (regexp_match(b.expr, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper
            FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS expr) b
            WHERE i.inhparent = 'positions'::regclass""";

    /** Days that have rows in the default partition (late or far-off fixes), oldest first, a bounded number. */
    static final String DEFAULT_DAYS = """
            SELECT DISTINCT date_trunc('day', time, 'UTC') AS day FROM positions_default ORDER BY 1 LIMIT 100""";

    /** Retention for rows no day partition holds. */
    static final String PRUNE_DEFAULT = "DELETE FROM positions_default WHERE time < $1";

    /** Held to the end of the move: no fix for the day may reach the default partition between move and attach. */
    static final String LOCK_DEFAULT = "LOCK TABLE positions_default IN ACCESS EXCLUSIVE MODE";

    /**
     * Partitions without their part of the BRIN index on time ({@code positions_time_idx}): only the migrated legacy
     * partition, whose index V010 left for the server to build without a lock. {@code valid} tells whether an index
     * of the expected name is there already (null: none; false: a build that was interrupted).
     */
    static final String UNINDEXED = """
            SELECT c.relname AS name, x.indisvalid AS valid
            FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            LEFT JOIN pg_class ci ON ci.relname = c.relname || '_time_idx' AND ci.relnamespace = c.relnamespace
            LEFT JOIN pg_index x ON x.indexrelid = ci.oid
            WHERE i.inhparent = 'positions'::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_inherits ii JOIN pg_index xi ON xi.indexrelid = ii.inhrelid
                              WHERE ii.inhparent = 'positions_time_idx'::regclass AND xi.indrelid = c.oid)""";

    /** A session lock (CREATE INDEX CONCURRENTLY cannot run in a transaction): one node builds, the others skip. */
    static final String TRY_INDEX_LOCK = "SELECT pg_try_advisory_lock(7175912302741594434) AS locked";
    static final String INDEX_UNLOCK = "SELECT pg_advisory_unlock(7175912302741594434)";

    private PartitionSql() {
    }

    /** Builds a partition's BRIN index on time while the partition takes writes and reads. */
    static String buildIndex(String partition) {
        return "CREATE INDEX CONCURRENTLY " + checked(partition) + "_time_idx ON " + partition
                + " USING brin (time) WITH (autosummarize = on)";
    }

    /** An interrupted concurrent build leaves an invalid index behind, which a new build must replace. */
    static String dropIndex(String partition) {
        return "DROP INDEX CONCURRENTLY " + checked(partition) + "_time_idx";
    }

    /** Makes the built index the partition's part of positions_time_idx (valid once every partition has one). */
    static String attachIndex(String partition) {
        return "ALTER INDEX positions_time_idx ATTACH PARTITION " + checked(partition) + "_time_idx";
    }

    private static String checked(String partition) {
        if (!partition.matches("positions_[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a partition of positions: " + partition);
        }
        return partition;
    }

    /** A table shaped like positions, not yet a partition: attaching it takes a lighter lock than creating one. */
    static String create(LocalDate day) {
        return "CREATE TABLE " + DayPartitions.name(day) + " (LIKE positions INCLUDING DEFAULTS INCLUDING STORAGE)";
    }

    /** Moves the day's rows ($1 to $2) out of the default partition into the day's table. */
    static String move(LocalDate day) {
        return "WITH moved AS (DELETE FROM positions_default WHERE time >= $1 AND time < $2 RETURNING *) "
                + "INSERT INTO " + DayPartitions.name(day) + " SELECT * FROM moved";
    }

    /**
     * Makes the table the day's partition: SHARE UPDATE EXCLUSIVE on positions, so reads and writes go on; the
     * partition's indexes (primary key, BRIN on time) are built here, on an empty or small table.
     */
    static String attach(LocalDate day) {
        return "ALTER TABLE positions ATTACH PARTITION " + DayPartitions.name(day) + " FOR VALUES FROM ('"
                + DayPartitions.start(day) + "') TO ('" + DayPartitions.start(day.plusDays(1)) + "')";
    }

    static String drop(String partition) {
        if ("positions_default".equals(partition)) {
            throw new IllegalArgumentException("the default partition is never dropped");
        }
        return "DROP TABLE " + checked(partition);
    }

    static String describe(Instant lower, Instant upper) {
        return (lower == null ? "the beginning" : lower.toString()) + " to " + upper;
    }
}
