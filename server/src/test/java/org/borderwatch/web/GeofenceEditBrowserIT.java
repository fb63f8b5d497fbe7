package org.borderwatch.web;

import io.vertx.core.json.JsonArray;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Geofence editing in the browser ({@code web/e2e/fences.mjs}, headless Chromium): an operator draws, edits and deletes
 * a polygon and a circle and draws a corridor with Terra Draw and the fence form; a viewer's browser shows each change
 * within a second and has no fence tools. Leaves {@code fences.png}, {@code fences-circle.png} and
 * {@code fences-viewer.png} in {@code target/screenshots/}.
 */
class GeofenceEditBrowserIT {

    private static final String OPERATOR_PASSWORD = "fence-operator-passphrase";
    private static final String VIEWER_PASSWORD = "fence-viewer-passphrase";

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        node.createUser("fence-operator", OPERATOR_PASSWORD, "operator");
        node.createUser("fence-viewer", VIEWER_PASSWORD, "viewer");
        String key = node.createUnit("PV-01", "vehicle");
        node.post("/api/v1/positions", key, new JsonArray()
                .add(Fixtures.fix("PV-01", Instant.now().minusSeconds(2).toString(), 31.70, -106.40)));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private long audited(String action) throws Exception {
        return node.count("SELECT count(*) FROM audit_log a JOIN geofences g ON a.target = g.id::text "
                + "WHERE a.actor = 'fence-operator' AND a.action = $1", action);
    }

    @Test
    void anOperatorDrawsEditsAndDeletesFencesAndAViewerSeesEachChangeWithinASecond() throws Exception {
        BrowserScript.Result result = BrowserScript.run("fences", Map.of(
                "BW_URL", "http://127.0.0.1:" + node.port,
                "BW_USER", "fence-operator",
                "BW_PASSWORD", OPERATOR_PASSWORD,
                "BW_VIEWER", "fence-viewer",
                "BW_VIEWER_PASSWORD", VIEWER_PASSWORD));

        assertThat(result.finished()).as("fences finished; output:%n%s", result.output()).isTrue();
        assertThat(result.exitValue()).as("fences output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("fences ok");
        for (String suffix : new String[] {"", "-circle", "-viewer"}) {
            Path shot = Path.of(result.screenshot().toString().replace(".png", suffix + ".png"));
            assertThat(Files.size(shot)).as("screenshot %s", shot).isGreaterThan(10_000);
        }
        // Only the corridor is left; every change was the operator's, and audited (the log outlives the reset).
        assertThat(node.count("SELECT count(*) FROM geofences WHERE deleted_at IS NULL")).isEqualTo(1);
        assertThat(node.count("SELECT count(*) FROM geofences WHERE deleted_at IS NULL AND kind = 'corridor' AND name = "
                + "'Route 2 corridor'")).isEqualTo(1);
        assertThat(audited("geofence.create")).isEqualTo(3);
        assertThat(audited("geofence.update")).isEqualTo(2);
        assertThat(audited("geofence.delete")).isEqualTo(2);
    }
}
