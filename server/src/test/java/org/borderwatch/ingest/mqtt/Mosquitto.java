package org.borderwatch.ingest.mqtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Debian's mosquitto_pub and mosquitto_sub (package mosquitto-clients), run as a device or a watch floor would. */
public final class Mosquitto implements AutoCloseable {

    private final Process process;
    private final Thread reader;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private Mosquitto(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "mosquitto-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** mosquitto_pub of one message; returns its exit code once it has finished (QoS 1 waits for PUBACK). */
    public static Result pub(int port, String user, String password, int qos, String topic, String message)
            throws Exception {
        return pub(List.of(), port, user, password, qos, topic, message);
    }

    /** mosquitto_pub with {@code options} added, e.g. {@code --cafile ca.pem} for MQTT over TLS. */
    public static Result pub(List<String> options, int port, String user, String password, int qos, String topic,
                             String message) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-u", user, "-P", password, "-i", "pub-" + System.nanoTime(), "-q",
                String.valueOf(qos), "-t", topic, "-m", message));
        command.addAll(options);
        try (Mosquitto pub = new Mosquitto(command)) {
            if (!pub.process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("mosquitto_pub did not finish");
            }
            // The output is read to its end before it is looked at: closing the pipe here raced the reader.
            pub.reader.join(5_000);
            return new Result(pub.process.exitValue(), String.join("\n", pub.lines));
        }
    }

    public record Result(int exitCode, String output) {
    }

    /** mosquitto_sub with debug output (so SUBACK is visible) and topics printed before payloads. */
    public static Mosquitto sub(int port, String user, String password, int qos, String... topics)
            throws Exception {
        return sub(List.of(), port, user, password, qos, topics);
    }

    /** mosquitto_sub with {@code options} added, e.g. {@code --cafile ca.pem} for MQTT over TLS. */
    public static Mosquitto sub(List<String> options, int port, String user, String password, int qos,
                                String... topics) throws Exception {
        // stdbuf: a pipe is not a terminal, so without it the lines would wait in stdio's buffer.
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-u", user, "-P", password, "-i", "sub-" + System.nanoTime(), "-q",
                String.valueOf(qos), "-v", "-d"));
        command.addAll(options);
        for (String topic : topics) {
            command.add("-t");
            command.add(topic);
        }
        return new Mosquitto(command);
    }

    /** Waits up to 10 s for an output line that matches. */
    public String await(Predicate<String> wanted, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : lines) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " within 10 s; output:\n" + String.join("\n", lines));
    }

    /** Waits for the SUBACK: from then on, what is published reaches this subscriber. */
    public Mosquitto subscribed() throws Exception {
        await(line -> line.contains("received SUBACK"), "SUBACK");
        return this;
    }

    public List<String> lines() {
        return lines;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
