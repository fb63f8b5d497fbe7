package org.borderwatch.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.TestNode;
import org.borderwatch.TinyPmtiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground context at street zoom near El Paso (town names, state line, the Rio Grande, a fence's name), the pointer's
 * position in decimal and MGRS, the range-and-bearing tool, and the operator's offline tile archive read by range from
 * {@code /tiles}: {@code web/e2e/ground.mjs} in headless Chromium.
 */
class GroundBrowserIT {

    /** A fence on the border east of downtown, clear of the towns' names (a fence's name wins over a town's). */
    private static final String FENCE = "Zaragoza crossing";

    private TestNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private BrowserScript.Result run(String screenshot, boolean archive) throws Exception {
        JsonArray ring = new JsonArray();
        for (double[] corner : new double[][] {{-106.40, 31.70}, {-106.37, 31.70}, {-106.37, 31.72}, {-106.40, 31.72},
                {-106.40, 31.70}}) {
            ring.add(new JsonArray().add(corner[0]).add(corner[1]));
        }
        node.createFence(new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring)))
                .put("properties", new JsonObject().put("name", FENCE).put("severity", "warning")
                        .put("rules", new JsonObject().put("enter", true))));
        Map<String, String> env = new HashMap<>();
        env.put("BW_URL", "http://127.0.0.1:" + node.port);
        env.put("BW_USER", "admin");
        env.put("BW_PASSWORD", TestNode.ADMIN_PASSWORD);
        env.put("BW_FENCE", FENCE);
        env.put("BW_ARCHIVE", archive ? "1" : "0");
        BrowserScript.Result result = BrowserScript.run("ground", env);
        Path shot = BrowserScript.screenshots().resolve(screenshot);
        if (Files.exists(result.screenshot())) {
            Files.move(result.screenshot(), shot, StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(result.finished()).as("ground finished; output:%n%s", result.output()).isTrue();
        assertThat(result.exitValue()).as("ground output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("ground ok");
        assertThat(Files.size(shot)).as("screenshot %s", shot).isGreaterThan(10_000);
        return result;
    }

    @Test
    void townsStateLineRiverAndFenceNamesShowAtStreetZoomWithCursorAndRangeReadouts() throws Exception {
        node = TestNode.fresh();
        assertThat(run("ground-el-paso.png", false).output()).contains("no archive configured");
    }

    @Test
    void anOfflineTileArchiveIsReadByRangeFromTheServer(@TempDir Path dir) throws Exception {
        node = TestNode.fresh(Map.of("BW_TILES_PATH", TinyPmtiles.write(dir).toString()));
        assertThat(run("ground-archive.png", true).output()).contains("range answers from /tiles");
    }
}
