package org.borderwatch.alert;

import io.vertx.core.json.JsonArray;
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
}
