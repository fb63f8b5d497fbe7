package org.borderwatch.web;

import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.borderwatch.TinyPmtiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground context at street zoom near El Paso (town names, state line, the Rio Grande, a fence's name), the pointer's
 * position in decimal and MGRS, the range-and-bearing tool, and the operator's offline tile archive read by range from
 * {@code /tiles}: {@code web/e2e/ground.mjs} in headless Chromium.
 */
class GroundBrowserIT {

    private static final String FENCE = "Bridge of the Americas";

    private TestNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private BrowserScript.Result run(String screenshot, boolean archive) throws Exception {
        node.createFence(Fixtures.square(FENCE));
        Map<String, String> env = new HashMap<>();
        env.put("BW_URL", "http://127.0.0.1:" + node.port);
        env.put("BW_USER", "admin");
        env.put("BW_PASSWORD", TestNode.ADMIN_PASSWORD);
        env.put("BW_FENCE", FENCE);
        env.put("BW_ARCHIVE", archive ? "1" : "0");
        BrowserScript.Result result = BrowserScript.run("ground", env);
        Path shot = BrowserScript.screenshots().resolve(screenshot);
        if (Files.exists(result.screenshot())) {
            Files.move(result.screenshot(), shot, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
        assertThat(run("ground.png", false).output()).contains("no archive configured");
    }

    @Test
    void anOfflineTileArchiveIsReadByRangeFromTheServer(@TempDir Path dir) throws Exception {
        node = TestNode.fresh(Map.of("BW_TILES_PATH", TinyPmtiles.write(dir).toString()));
        assertThat(run("ground-archive.png", true).output()).contains("range answers from /tiles");
    }
}
