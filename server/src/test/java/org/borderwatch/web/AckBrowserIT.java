package org.borderwatch.web;

import io.vertx.core.json.JsonArray;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two watch officers' browsers (headless Chromium via playwright-core, {@code web/e2e/ack.mjs}) on one node: an ack
 * with a comment in one appears, with its comment and acker, in the other within a second, without a reload.
 */
class AckBrowserIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        String key = node.createUnit("PV-01", "vehicle");
        node.createFence(Fixtures.square("Port zone"));
        node.post("/api/v1/positions", key, new JsonArray()
                .add(Fixtures.fix("PV-01", "2026-11-25T10:00:00.000Z", 31.65, -106.45))
                .add(Fixtures.fix("PV-01", "2026-11-25T10:00:10.000Z", 31.75, -106.45)));
        assertThat(node.awaitCount(1, "SELECT count(*) FROM alerts")).isEqualTo(1);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void anAckWithACommentInOneBrowserAppearsInAnotherWithinASecond() throws Exception {
        Path webDir = Path.of(System.getProperty("bw.web.dir", "../web")).toAbsolutePath().normalize();
        Path log = Path.of("target", "screenshots", "ack.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder browser = new ProcessBuilder("node", "e2e/ack.mjs")
                .directory(webDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        browser.environment().putAll(Map.of(
                "BW_URL", "http://127.0.0.1:" + node.port,
                "BW_USER", "admin",
                "BW_PASSWORD", TestNode.ADMIN_PASSWORD));
        Process process = browser.start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);

        assertThat(finished).as("browser test finished in 120 s; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("browser test output:%n%s", output).isZero();
        assertThat(output).contains("ACK shown in the other browser");
    }
}
