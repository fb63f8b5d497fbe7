package org.borderwatch.history;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Keeps the day partitions of {@code positions} (API.md §11): at start and every {@code BW_PARTITION_CHECK_SECONDS},
 * drops the partitions older than {@code BW_RETENTION_DAYS}, gives the days that have rows in the default partition
 * their own partition (moving the rows), and makes the partitions of today and the next {@value #AHEAD_DAYS} days.
 * Every node runs it; an advisory lock lets one node at a time do a round, and each step re-reads the partitions under
 * that lock, so nodes never race.
 */
public final class PartitionVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionVerticle.class);
    /** Days made ahead: a node down for a week still finds its partitions, and the default partition stays empty. */
    static final int AHEAD_DAYS = 7;
    /** lock_not_available: a lock_timeout expired. */
    private static final String LOCK_TIMEOUT = "55P03";

    private final Database database;
    private final int retentionDays;
    private final long checkMillis;
    private Pool pool;
    private boolean running;
    private boolean indexing;

    public PartitionVerticle(Database database, Config config) {
        this.database = database;
        this.retentionDays = config.retentionDays();
        this.checkMillis = config.partitionCheckSeconds() * 1000L;
    }

    @Override
    public Future<?> start() {
        // Two connections: building the legacy partition's index may take minutes and must not hold up a round.
        pool = database.pool(vertx, 2);
        vertx.setPeriodic(checkMillis, id -> run().onComplete(ar -> buildIndexes()));
        // The first round runs before the node serves, but a failure (a busy table) only waits for the next round:
        // inserts never depend on it, the default partition takes what no day partition does. The index build that
        // follows a migration runs in the background.
        return run().onComplete(ar -> buildIndexes());
    }

    /** One round: retention, then the partitions to make; each step fails alone, logged, and is tried next round. */
    Future<Void> run() {
        if (running) {
            return Future.succeededFuture();
        }
        running = true;
        Instant now = Instant.now();
        return attempt("retention", retention(now))
                .compose(v -> attempt("making partitions", defaultDays().compose(late -> {
                    List<LocalDate> wanted = new ArrayList<>(late);
                    wanted.addAll(DayPartitions.ahead(now, AHEAD_DAYS));
                    Future<Void> made = Future.succeededFuture();
                    for (LocalDate day : wanted) {
                        made = made.compose(v2 -> make(day));
                    }
                    return made;
                })))
                .onComplete(ar -> running = false);
    }

    private void buildIndexes() {
        if (indexing) {
            return;
        }
        indexing = true;
        attempt("building indexes", indexes()).onComplete(ar -> indexing = false);
    }

    private Future<Void> attempt(String what, Future<Void> step) {
        return step.recover(e -> {
            if (e instanceof PgException pg && LOCK_TIMEOUT.equals(pg.getSqlState())) {
                LOG.warn("position partitions, {}: a table was busy, trying again in {} s", what, checkMillis / 1000);
            } else {
                LOG.warn("position partitions, {} failed: {}", what, e.getMessage());
            }
            return Future.succeededFuture();
        });
    }

    private Future<Void> retention(Instant now) {
        if (retentionDays <= 0) {
            return Future.succeededFuture();
        }
        Instant cutoff = now.minus(Duration.ofDays(retentionDays));
        return locked(conn -> list(conn).compose(partitions -> {
            Future<Void> dropped = Future.succeededFuture();
            for (DayPartitions.Partition expired : DayPartitions.expired(partitions, cutoff)) {
                dropped = dropped.compose(v -> conn.query(PartitionSql.drop(expired.name())).execute()
                        .onSuccess(r -> LOG.info("dropped partition {} (positions from {}): older than {} days",
                                expired.name(), PartitionSql.describe(expired.lower(), expired.upper()),
                                retentionDays))
                        .<Void>mapEmpty());
            }
            return dropped.compose(v -> conn.preparedQuery(PartitionSql.PRUNE_DEFAULT)
                    .execute(Tuple.of(Times.utc(cutoff))).<Void>mapEmpty());
        }));
    }

    private Future<List<LocalDate>> defaultDays() {
        return pool.query(PartitionSql.DEFAULT_DAYS).execute().map(rows -> {
            List<LocalDate> days = new ArrayList<>();
            rows.forEach(row -> days.add(DayPartitions.day(row.getOffsetDateTime("day").toInstant())));
            return days;
        });
    }

    /** The day's partition, with the day's rows moved out of the default partition, unless a partition covers it. */
    private Future<Void> make(LocalDate day) {
        OffsetDateTime from = Times.utc(DayPartitions.start(day));
        OffsetDateTime to = Times.utc(DayPartitions.start(day.plusDays(1)));
        return locked(conn -> list(conn).compose(partitions -> {
            if (DayPartitions.missing(partitions, List.of(day)).isEmpty()) {
                return Future.succeededFuture();
            }
            return conn.query(PartitionSql.create(day)).execute()
                    .compose(v -> conn.query(PartitionSql.LOCK_DEFAULT).execute())
                    .compose(v -> conn.preparedQuery(PartitionSql.move(day)).execute(Tuple.of(from, to)))
                    .compose(moved -> conn.query(PartitionSql.attach(day)).execute().map(moved.rowCount()))
                    .onSuccess(moved -> LOG.info("made partition {}{}", DayPartitions.name(day),
                            moved > 0 ? " with " + moved + " positions from the default partition" : ""))
                    .mapEmpty();
        }));
    }

    /** Builds the BRIN index of partitions that lack it (the migrated legacy one), without blocking its writes. */
    private Future<Void> indexes() {
        return pool.withConnection(conn -> conn.query(PartitionSql.TRY_INDEX_LOCK).execute().compose(locked -> {
            if (!locked.iterator().next().getBoolean("locked")) {
                return Future.succeededFuture();
            }
            return conn.query(PartitionSql.UNINDEXED).execute().compose(rows -> {
                Future<Void> built = Future.succeededFuture();
                for (Row row : rows) {
                    String partition = row.getString("name");
                    Boolean valid = row.getBoolean("valid");
                    built = built.compose(v -> index(conn, partition, valid))
                            .onSuccess(v -> LOG.info("built the time index of partition {}", partition));
                }
                return built;
            }).eventually(() -> conn.query(PartitionSql.INDEX_UNLOCK).execute());
        }));
    }

    /**
     * Builds (unless {@code valid}: already built) and attaches the partition's time index; an interrupted build
     * ({@code valid} false) is dropped first.
     */
    private static Future<Void> index(SqlConnection conn, String partition, Boolean valid) {
        Future<?> ready = Boolean.TRUE.equals(valid) ? Future.succeededFuture()
                : (valid == null ? Future.succeededFuture() : conn.query(PartitionSql.dropIndex(partition)).execute())
                        .compose(v -> conn.query(PartitionSql.buildIndex(partition)).execute());
        return ready.compose(v -> conn.query(PartitionSql.attachIndex(partition)).execute()).mapEmpty();
    }

    /** Runs {@code work} in a transaction holding the partition lock; does nothing when another node holds it. */
    private Future<Void> locked(Function<SqlConnection, Future<Void>> work) {
        return pool.withTransaction(conn -> conn.query(PartitionSql.LOCK_TIMEOUT).execute()
                .compose(v -> conn.query(PartitionSql.TRY_LOCK).execute())
                .compose(rows -> rows.iterator().next().getBoolean("locked")
                        ? work.apply(conn) : Future.succeededFuture()));
    }

    private static Future<List<DayPartitions.Partition>> list(SqlConnection conn) {
        return conn.query(PartitionSql.LIST).execute().map(rows -> {
            List<DayPartitions.Partition> partitions = new ArrayList<>();
            for (Row row : rows) {
                OffsetDateTime lower = row.getOffsetDateTime("lower");
                OffsetDateTime upper = row.getOffsetDateTime("upper");
                partitions.add(new DayPartitions.Partition(row.getString("name"),
                        lower == null ? null : lower.toInstant(), upper == null ? null : upper.toInstant(),
                        row.getBoolean("is_default")));
            }
            return partitions;
        });
    }

    @Override
    public Future<?> stop() {
        return pool.close();
    }
}
