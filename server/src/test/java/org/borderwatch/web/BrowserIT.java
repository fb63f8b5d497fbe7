package org.borderwatch.web;

import io.vertx.core.Vertx;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app in headless Chromium (Debian's, driven by playwright-core): a watch officer logs in and sees simulated
 * units move on the map. The script is {@code web/e2e/live-map.mjs}; its screenshot lands in
 * {@code server/target/screenshots/}.
 */
class BrowserIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh(Map.of("BW_SIMULATOR_UNITS", "12"));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void anOfficerLogsInAndSeesUnitsMove() throws Exception {
        Path webDir = Path.of(System.getProperty("bw.web.dir", "../web")).toAbsolutePath().normalize();
        Path screenshot = Path.of("target", "screenshots", "live-map.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        Path log = Path.of("target", "screenshots", "live-map.log").toAbsolutePath();

        ProcessBuilder browser = new ProcessBuilder("node", "e2e/live-map.mjs")
                .directory(webDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        browser.environment().putAll(Map.of(
                "BW_URL", "http://127.0.0.1:" + node.port,
                "BW_USER", "admin",
                "BW_PASSWORD", TestNode.ADMIN_PASSWORD,
                "BW_SCREENSHOT", screenshot.toString()));
        Process process = browser.start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);

        assertThat(finished).as("browser test finished in 120 s; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("browser test output:%n%s", output).isZero();
        assertThat(new File(screenshot.toString())).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }
}
