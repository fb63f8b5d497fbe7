package org.borderwatch.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Silence is judged from when fixes arrive (API.md §6): a device uploading hours of buffered fixes is not silent. */
class SilenceIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh(Map.of("BW_STALE_SECONDS", "4"));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void aSixHourBackfillRaisesNoSilenceAlert() throws Exception {
        String key = node.createUnit("PV-01", "vehicle");
        Instant newest = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        Instant oldest = newest.minus(6, ChronoUnit.HOURS);
        // Traccar Client after an outage: six hours of fixes, ten seconds apart, oldest first, in batches.
        Instant next = oldest;
        while (!next.isAfter(newest)) {
            JsonArray batch = new JsonArray();
            for (int i = 0; i < 180 && !next.isAfter(newest); i++, next = next.plusSeconds(10)) {
                batch.add(Fixtures.fix("PV-01", next.toString(), 31.6 + i * 1e-5, -106.4));
            }
            assertThat(node.post("/api/v1/positions", key, batch).statusCode()).isEqualTo(202);
            Thread.sleep(400); // the silence check runs every second meanwhile
        }
        // And an old fix once more, after the newest: it moves nothing, but it is a sign of life too.
        Thread.sleep(1_500);
        assertThat(node.post("/api/v1/positions", key, Fixtures.fix("PV-01", oldest.plusSeconds(5).toString(),
                31.6, -106.4)).statusCode()).isEqualTo(202);
        Thread.sleep(1_500);

        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(6 * 360 + 2);
        assertThat(node.alertTypes("PV-01")).as("reporting all along, if late").isEmpty();

        // Then it really goes quiet: one stale alert, for its newest fix.
        assertThat(node.awaitCount(1, "SELECT count(*) FROM alerts WHERE type = 'stale'")).isEqualTo(1);
        assertThat(node.sql("SELECT time FROM alerts").iterator().next().getOffsetDateTime("time").toInstant())
                .isEqualTo(newest);
    }

    @Test
    void theCheckRunsWhenAUnitFallsDueNotOnAFixedBeat() throws Exception {
        String key = node.createUnit("PV-02", "vehicle");
        Instant posted = Instant.now();
        assertThat(node.post("/api/v1/positions", key, Fixtures.fix("PV-02", posted.toString(), 31.6, -106.4))
                .statusCode()).isEqualTo(202);
        long before = silenceChecks();
        Thread.sleep(3_000);
        // Stale after 4 s: nothing can fall due in these 3 s, so at most the check that saw the fix and one more
        // (a fixed beat of twice a second would have made six).
        assertThat(silenceChecks() - before).as("silence checks while no unit could fall due").isLessThanOrEqualTo(2);

        // And the silence is still raised on time.
        assertThat(node.awaitCount(1, "SELECT count(*) FROM alerts WHERE type = 'stale'")).isEqualTo(1);
        Instant detected = node.sql("SELECT detected_at FROM alerts WHERE type = 'stale'").iterator().next()
                .getOffsetDateTime("detected_at").toInstant();
        assertThat(java.time.Duration.between(posted, detected).toMillis()).as("raised after the fix arrived")
                .isBetween(4_000L, 5_500L);
    }

    private long silenceChecks() throws Exception {
        String metrics = TestNode.await(node.http.get("/metrics").send()).bodyAsString();
        return metrics.lines().filter(line -> line.startsWith("bw_silence_checks_total "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow();
    }

    @Test
    void threeHundredUnitsGoingSilentTogetherRaiseOneGroupedAlertPerLevel() throws Exception {
        node.close();
        node = TestNode.fresh(Map.of("BW_STALE_SECONDS", "2")); // lost after 10 s
        JsonArray fixes = new JsonArray();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (int i = 0; i < 300; i++) {
            String id = String.format("RL-%03d", i);
            node.createUnit(id, "vehicle");
            fixes.add(Fixtures.fix(id, now, 31.6 + i * 1e-4, -106.4));
        }
        String lone = node.createUnit("PV-LONE", "foot");
        // Every unit behind one relay reports at once, then the relay goes down; one foot patrol falls silent too.
        assertThat(node.post("/api/v1/positions", node.adminToken(), fixes).statusCode()).isEqualTo(202);
        assertThat(node.post("/api/v1/positions", lone, Fixtures.fix("PV-LONE", now, 31.5, -106.4)).statusCode())
                .isEqualTo(202);

        assertThat(node.awaitCount(2, "SELECT count(*) FROM alerts WHERE type = 'stale'")).isEqualTo(2);
        assertThat(node.awaitCount(2, "SELECT count(*) FROM alerts WHERE type = 'lost'")).isEqualTo(2);
        Thread.sleep(2_500); // a few more checks: nothing more to raise
        JsonArray alerts = node.get("/api/v1/alerts", node.adminToken()).bodyAsJsonArray();

        assertThat(alerts).hasSize(4);
        for (String type : new String[] {"stale", "lost"}) {
            JsonObject grouped = alerts.stream().map(JsonObject.class::cast)
                    .filter(a -> type.equals(a.getString("type")) && a.containsKey("units")).findFirst().orElseThrow();
            assertThat(grouped.getString("unitId")).isEqualTo("RL-000");
            assertThat(grouped.getJsonArray("units")).hasSize(300).contains("RL-000", "RL-299");
            assertThat(alerts.stream().map(JsonObject.class::cast).filter(a -> type.equals(a.getString("type"))
                    && "PV-LONE".equals(a.getString("unitId")) && !a.containsKey("units"))).hasSize(1);
        }
        assertThat(node.get("/api/v1/alerts?unitId=RL-150", node.adminToken()).bodyAsJsonArray())
                .as("a unit named in a group is found by its id").hasSize(2);
    }
}
