package org.borderwatch.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Playwright script of {@code web/e2e/} in headless Chromium, run with node: its output goes to
 * {@code target/screenshots/<name>.log}, next to the screenshot it takes. A script may stop and ask the test for
 * something by printing a line starting with {@code @}; the test's answer is written to the script's input.
 */
final class BrowserScript {

    private static final long TIMEOUT_SECONDS = 180;

    record Result(boolean finished, int exitValue, String output, Path screenshot) {
    }

    private BrowserScript() {
    }

    static Path screenshots() throws IOException {
        Path dir = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    static Result run(String name, Map<String, String> env) throws Exception {
        return run(name, env, line -> null);
    }

    /** Runs {@code e2e/<name>.mjs}; {@code requests} answers each {@code @…} line (null: no answer). */
    static Result run(String name, Map<String, String> env, Function<String, String> requests) throws Exception {
        Path webDir = Path.of(System.getProperty("bw.web.dir", "../web")).toAbsolutePath().normalize();
        Path screenshot = screenshots().resolve(name + ".png");
        Path log = screenshots().resolve(name + ".log");
        Files.deleteIfExists(screenshot);
        Files.writeString(log, "");
        ProcessBuilder builder = new ProcessBuilder("node", "e2e/" + name + ".mjs")
                .directory(webDir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("BW_SCREENSHOT", screenshot.toString());
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> read(process, log, output, requests), "browser-" + name);
        reader.start();
        boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        synchronized (output) {
            return new Result(finished, finished ? process.exitValue() : -1, output.toString(), screenshot);
        }
    }

    private static void read(Process process, Path log, StringBuilder output, Function<String, String> requests) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream input = process.getOutputStream()) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
                if (line.startsWith("@")) {
                    String answer = requests.apply(line.substring(1));
                    if (answer != null) {
                        input.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                        input.flush();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
