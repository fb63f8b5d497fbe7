package org.borderwatch.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History replay in the browser ({@code web/e2e/replay.mjs}, headless Chromium): two units' stored tracks of the last
 * hour, crossing a fence, are replayed; the scrubber and play move them, the fence's alerts mark the timeline, and the
 * GPX export downloads both tracks. Fails on any console error; leaves {@code replay.png} in
 * {@code target/screenshots/}.
 */
class ReplayBrowserIT {

    /** One fix a minute for half an hour, ending ten minutes ago. */
    private static final int FIXES = 31;

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        node.createFence(Fixtures.square("Replay zone"));
        node.createUnit("PV-01", "vehicle");
        node.createUnit("PV-02", "boat");
        Instant first = Instant.now().minus(40, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        JsonArray fixes = new JsonArray();
        for (int i = 0; i < FIXES; i++) {
            String time = first.plus(i, ChronoUnit.MINUTES).toString();
            // PV-01 drives east into the zone (its west edge is -106.5), PV-02 sails north into it (south edge 31.7).
            fixes.add(Fixtures.fix("PV-01", time, 31.75, -106.55 + i * 0.005).put("speed", 8.0).put("heading", 90.0));
            fixes.add(Fixtures.fix("PV-02", time, 31.65 + i * 0.004, -106.45).put("speed", 7.0).put("heading", 0.0));
        }
        HttpResponse<Buffer> stored = node.post("/api/v1/positions", node.adminToken(), fixes);
        assertThat(stored.statusCode()).as(stored.bodyAsString()).isEqualTo(202);
        node.awaitCount(2, "SELECT count(*) FROM alerts WHERE type = 'enter'");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void storedTracksReplayScrubPlayAndExportAsGpx() throws Exception {
        BrowserScript.Result result = BrowserScript.run("replay", Map.of(
                "BW_URL", "http://127.0.0.1:" + node.port,
                "BW_USER", "admin",
                "BW_PASSWORD", TestNode.ADMIN_PASSWORD,
                "BW_UNITS", "PV-01,PV-02"));

        assertThat(result.finished()).as("replay finished; output:%n%s", result.output()).isTrue();
        assertThat(result.exitValue()).as("replay output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("replay ok", FIXES * 2 + " fixes replayed");
        assertThat(Files.size(result.screenshot())).isGreaterThan(10_000);
    }
}
