package org.borderwatch.history;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Positions partitioned by day (sql/V010, {@link PartitionVerticle}): the coming days' partitions exist before their
 * fixes arrive, a fix no partition covers is stored all the same and later moved to its own day, and
 * {@code BW_RETENTION_DAYS} drops whole days.
 */
class PartitionIT {

    private final List<TestNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (TestNode node : nodes) {
            node.close();
        }
    }

    private TestNode fresh(Map<String, String> env) throws Exception {
        TestNode node = TestNode.fresh(env);
        nodes.add(node);
        return node;
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static OffsetDateTime noon(LocalDate day) {
        return day.atTime(12, 0).atOffset(ZoneOffset.UTC);
    }

    /** Where the fix of {@code unit} at {@code time} is stored. */
    private static String partitionOf(TestNode node, String unit, OffsetDateTime time) throws Exception {
        var rows = node.sql("SELECT tableoid::regclass::text AS part FROM positions WHERE unit_id = $1 AND time = $2",
                unit, time);
        return rows.size() == 0 ? null : rows.iterator().next().getString("part");
    }

    private static boolean exists(TestNode node, String table) throws Exception {
        return node.sql("SELECT to_regclass($1) IS NOT NULL AS present", table).iterator().next()
                .getBoolean("present");
    }

    /** Removes the day's partition a former run may have left, so the test starts with the day uncovered. */
    private static void forget(TestNode node, LocalDate day) throws Exception {
        node.sql("DROP TABLE IF EXISTS " + DayPartitions.name(day));
    }

    @Test
    void theComingDaysHaveTheirPartitionsBeforeTheirFixesArrive() throws Exception {
        TestNode node = fresh(Map.of());
        for (int ahead = 0; ahead <= PartitionVerticle.AHEAD_DAYS; ahead++) {
            assertThat(exists(node, DayPartitions.name(today().plusDays(ahead)))).as("day +%d", ahead).isTrue();
        }
        String key = node.createUnit("UAV-07", "drone");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<Buffer> posted = node.post("/api/v1/positions", key, new JsonObject().put("unitId", "UAV-07")
                .put("time", now.toString()).put("lat", 31.7).put("lon", -106.4));
        assertThat(posted.statusCode()).isEqualTo(202);
        assertThat(partitionOf(node, "UAV-07", now.atOffset(ZoneOffset.UTC)))
                .isEqualTo(DayPartitions.name(today()));
        assertThat(node.count("SELECT count(*) FROM positions_default")).isZero();
    }

    @Test
    void aFixNoPartitionCoversIsStoredAndThenMovedToItsOwnDay() throws Exception {
        TestNode node = fresh(Map.of("BW_PARTITION_CHECK_SECONDS", "1"));
        LocalDate day = today().minusDays(200);
        forget(node, day);
        String key = node.createUnit("UAV-07", "drone");
        JsonObject late = new JsonObject().put("unitId", "UAV-07").put("time", noon(day).toInstant().toString())
                .put("lat", 31.7).put("lon", -106.4);
        assertThat(node.post("/api/v1/positions", key, late).statusCode()).isEqualTo(202);

        long deadline = System.currentTimeMillis() + 10_000;
        while (!DayPartitions.name(day).equals(partitionOf(node, "UAV-07", noon(day)))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(partitionOf(node, "UAV-07", noon(day))).isEqualTo(DayPartitions.name(day));
        assertThat(node.count("SELECT count(*) FROM positions_default")).isZero();
        // The fix is still stored once: a repeat goes to the same partition and meets the same key.
        assertThat(node.post("/api/v1/positions", key, late).statusCode()).isEqualTo(202);
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'UAV-07'")).isEqualTo(1);
        assertThat(node.get("/api/v1/units/UAV-07/track?from=" + noon(day).minusHours(1).toInstant() + "&to="
                + noon(day).plusHours(1).toInstant(), node.adminToken()).bodyAsJsonObject()
                .getJsonObject("properties").getJsonArray("times")).hasSize(1);
    }

    @Test
    void retentionDropsWholeDaysOlderThanItsLimitAndKeepsTheRest() throws Exception {
        TestNode first = fresh(Map.of());
        LocalDate old = today().minusDays(40);
        LocalDate kept = today().minusDays(29);
        LocalDate stray = today().minusDays(35);
        for (LocalDate day : List.of(old, kept, stray)) {
            forget(first, day);
        }
        for (LocalDate day : List.of(old, kept)) {
            first.sql("CREATE TABLE " + DayPartitions.name(day) + " PARTITION OF positions FOR VALUES FROM ('"
                    + DayPartitions.start(day) + "') TO ('" + DayPartitions.start(day.plusDays(1)) + "')");
        }
        String insert = "INSERT INTO positions (unit_id, time, geom) SELECT 'UAV-07', $1::timestamptz + "
                + "make_interval(mins => i), ST_SetSRID(ST_MakePoint(-106.4, 31.7), 4326) "
                + "FROM generate_series(1, $2) i";
        first.sql(insert, noon(old), 3);
        first.sql(insert, noon(kept), 2);
        first.sql(insert, noon(stray), 1);
        first.sql(insert, OffsetDateTime.now(ZoneOffset.UTC).minusHours(2), 4);
        assertThat(partitionOf(first, "UAV-07", noon(stray).plusMinutes(1))).isEqualTo("positions_default");

        // A node with a retention of 30 days applies it at start, before it serves.
        TestNode second = TestNode.start(Vertx.vertx(), Map.of("BW_RETENTION_DAYS", "30"));
        nodes.add(second);
        assertThat(exists(second, DayPartitions.name(old))).isFalse();
        assertThat(exists(second, DayPartitions.name(kept))).isTrue();
        assertThat(second.count("SELECT count(*) FROM positions WHERE time < $1",
                noon(today().minusDays(30)))).isZero();
        assertThat(second.count("SELECT count(*) FROM positions")).isEqualTo(2 + 4);
        assertThat(second.count("SELECT count(*) FROM " + DayPartitions.name(kept))).isEqualTo(2);
    }
}
