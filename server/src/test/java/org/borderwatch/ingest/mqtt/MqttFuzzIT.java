package org.borderwatch.ingest.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated MQTT publishes at QoS 1 from devices to a real node, one message in flight per connection so
 * each outcome is known: PUBACKed, or the connection closed without one (the client then reconnects). Each kind of
 * payload is published by its own unit, so the positions table tells them apart:
 * <ul>
 * <li>MQ-VALID: valid positions, plain or padded to 60 KB: every one PUBACKed and stored;</li>
 * <li>MQ-BAD: one certain fault each (not JSON, wrong types, huge numbers, NaN, raw control characters, another
 * unit, wrong topics, over 64 KB): closed without PUBACK, nothing stored;</li>
 * <li>MQ-MAYBE: inputs whose fate is the server's to decide (escaped control characters, large or deep attributes,
 * numbers too small to be normal): PUBACKed exactly when stored;</li>
 * <li>MQ-FLIP: byte flips and cuts of valid payloads: each PUBACKed or closed, never left unanswered.</li>
 * </ul>
 * Meanwhile a second device (MQ-OK) publishes valid fixes and must lose none and never be disconnected. Replay a run
 * with {@code FUZZ_SEED=<seed>}.
 */
class MqttFuzzIT {

    private static final int MESSAGES = 2400;
    private static final int CONNECTIONS_PER_UNIT = 3;
    private static final String[] UNITS = {"MQ-VALID", "MQ-BAD", "MQ-MAYBE", "MQ-FLIP"};

    enum Outcome { ACKED, CLOSED, REFUSED_BY_CLIENT, HUNG }

    record Message(int index, String unit, String topic, byte[] payload, Instant time, String what) {
    }

    private TestNode node;
    private Vertx clients;
    private int port;
    private final Map<String, String> keys = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        port = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(port)));
        for (String unit : UNITS) {
            keys.put(unit, node.createUnit(unit, "drone"));
        }
        keys.put("MQ-OK", node.createUnit("MQ-OK", "drone"));
        clients = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        TestNode.await(clients.close());
        node.close();
    }

    @Test
    void everyPublishIsAcknowledgedAndStoredOrClosedAndNothingElse() throws Exception {
        long seed = System.getenv("FUZZ_SEED") != null ? Long.parseLong(System.getenv("FUZZ_SEED")) : System.nanoTime();
        System.out.println("MqttFuzzIT seed=" + seed + " (replay with FUZZ_SEED=" + seed + ")");
        Generator generator = new Generator(new Random(seed),
                Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        Map<String, List<Message>> byUnit = new HashMap<>();
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            Message message = generator.next(i);
            messages.add(message);
            byUnit.computeIfAbsent(message.unit(), u -> new ArrayList<>()).add(message);
        }

        SteadyDevice steady = new SteadyDevice();
        steady.start();
        long started = System.nanoTime();
        AtomicReferenceArray<Outcome> outcomes = new AtomicReferenceArray<>(MESSAGES);
        List<Future<Void>> lanes = new ArrayList<>();
        byUnit.forEach((unit, list) -> {
            for (int lane = 0; lane < CONNECTIONS_PER_UNIT; lane++) {
                List<Message> share = new ArrayList<>();
                for (int i = lane; i < list.size(); i += CONNECTIONS_PER_UNIT) {
                    share.add(list.get(i));
                }
                lanes.add(new Lane(unit, unit + "-" + lane, share, outcomes).run());
            }
        });
        TestNode.await(Future.all(lanes).timeout(60, TimeUnit.SECONDS));
        int steadySent = steady.stop();
        System.out.printf("MqttFuzzIT: %d messages in %d ms%n", MESSAGES,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        Map<String, Integer> tally = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Message message : messages) {
            Outcome outcome = outcomes.get(message.index());
            tally.merge(message.unit() + " " + outcome, 1, Integer::sum);
            boolean ok = switch (message.unit()) {
                case "MQ-VALID" -> outcome == Outcome.ACKED;
                case "MQ-BAD" -> outcome == Outcome.CLOSED || outcome == Outcome.REFUSED_BY_CLIENT;
                default -> outcome == Outcome.ACKED || outcome == Outcome.CLOSED;
            };
            if (!ok) {
                wrong.add("#" + message.index() + " " + message.unit() + " " + message.what() + " on "
                        + message.topic() + ": " + outcome + ", " + clip(message.payload()));
            }
        }
        System.out.println("MqttFuzzIT outcomes: " + tally);
        assertThat(wrong).as("messages with the wrong outcome").isEmpty();

        Set<Instant> valid = times(messages, "MQ-VALID", outcomes, Outcome.ACKED);
        assertThat(node.awaitCount(valid.size(), "SELECT count(*) FROM positions WHERE unit_id = 'MQ-VALID'"))
                .isEqualTo(valid.size());
        assertThat(stored("MQ-VALID")).as("every valid message stored, nothing else").isEqualTo(valid);
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'MQ-BAD' OR ST_Y(geom) BETWEEN 40 AND 41 "
                + "OR ST_X(geom) BETWEEN 40 AND 41")).as("nothing of an invalid message stored").isZero();
        assertThat(stored("MQ-MAYBE")).as("the undecided: stored exactly when acknowledged")
                .isEqualTo(times(messages, "MQ-MAYBE", outcomes, Outcome.ACKED));
        long flipsAcked = messages.stream().filter(m -> m.unit().equals("MQ-FLIP")
                && outcomes.get(m.index()) == Outcome.ACKED).count();
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'MQ-FLIP'"))
                .as("no flipped message stored without its PUBACK").isLessThanOrEqualTo(flipsAcked);

        assertThat(steady.problems).as("the device publishing beside the fuzz").isEmpty();
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'MQ-OK'")).isEqualTo(steadySent);
        assertThat(TestNode.await(node.http.get("/health/live").send()).statusCode()).isEqualTo(200);
    }

    private static Set<Instant> times(List<Message> messages, String unit, AtomicReferenceArray<Outcome> outcomes,
                                      Outcome outcome) {
        Set<Instant> times = new HashSet<>();
        messages.stream().filter(m -> m.unit().equals(unit) && outcomes.get(m.index()) == outcome)
                .forEach(m -> times.add(m.time()));
        return times;
    }

    private Set<Instant> stored(String unit) throws Exception {
        Set<Instant> times = new HashSet<>();
        node.sql("SELECT time FROM positions WHERE unit_id = $1", unit)
                .forEach(row -> times.add(row.getOffsetDateTime("time").toInstant()));
        return times;
    }

    private static String clip(byte[] payload) {
        String flat = new String(payload, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "… (" + flat.length() + " chars)";
    }

    private MqttClient client(String unit, String clientId) {
        return MqttClient.create(clients, new MqttClientOptions().setUsername(unit).setPassword(keys.get(unit))
                .setClientId(clientId).setMaxInflightQueue(100));
    }

    /**
     * One device connection publishing its share of the messages one at a time: each waits for its PUBACK or for
     * the connection to close, and after a close the device connects again, as a device would.
     */
    private final class Lane {

        private final String unit;
        private final String clientId;
        private final List<Message> messages;
        private final AtomicReferenceArray<Outcome> outcomes;
        private final Promise<Void> done = Promise.promise();
        private MqttClient client;
        private Promise<Outcome> current;
        private int next;
        private int connections;

        Lane(String unit, String clientId, List<Message> messages, AtomicReferenceArray<Outcome> outcomes) {
            this.unit = unit;
            this.clientId = clientId;
            this.messages = messages;
            this.outcomes = outcomes;
        }

        Future<Void> run() {
            clients.runOnContext(v -> connect());
            return done.future();
        }

        private void connect() {
            connections++;
            MqttClient fresh = client(unit, clientId + "-" + connections);
            // One message in flight: a PUBACK on this connection is the current message's.
            fresh.publishCompletionHandler(id -> {
                if (fresh == client && current != null) {
                    current.tryComplete(Outcome.ACKED);
                }
            });
            fresh.closeHandler(v -> {
                if (fresh == client && current != null) {
                    current.tryComplete(Outcome.CLOSED);
                }
            });
            fresh.connect(port, "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    done.tryFail(new AssertionError(clientId + " could not connect: " + ar.cause()));
                    return;
                }
                client = fresh;
                publishNext();
            });
        }

        private void publishNext() {
            if (next >= messages.size()) {
                client.disconnect().onComplete(v -> done.tryComplete());
                return;
            }
            Message message = messages.get(next++);
            current = Promise.promise();
            Promise<Outcome> outcome = current;
            long timer = clients.setTimer(10_000, id -> outcome.tryComplete(Outcome.HUNG));
            client.publish(message.topic(), Buffer.buffer(message.payload()), MqttQoS.AT_LEAST_ONCE, false, false)
                    .onFailure(e -> outcome.tryComplete(client.isConnected() ? Outcome.REFUSED_BY_CLIENT
                            : Outcome.CLOSED));
            outcome.future().onComplete(ar -> {
                clients.cancelTimer(timer);
                outcomes.set(message.index(), ar.result());
                if (ar.result() == Outcome.ACKED || ar.result() == Outcome.REFUSED_BY_CLIENT) {
                    publishNext();
                } else {
                    MqttClient old = client;
                    client = null;
                    if (old.isConnected()) {
                        old.disconnect(); // a hung server is the failure; carry on with a fresh connection
                    }
                    connect();
                }
            });
        }
    }

    /** MQ-OK: a valid fix at a time at QoS 1 while the fuzz runs; every one must be PUBACKed on one connection. */
    private final class SteadyDevice {

        final List<String> problems = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger sent = new AtomicInteger();
        private final Promise<Void> stopped = Promise.promise();
        private final Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        private MqttClient client;

        void start() throws Exception {
            client = client("MQ-OK", "mq-ok");
            client.closeHandler(v -> {
                if (running.get()) {
                    problems.add("disconnected after " + sent.get() + " fixes");
                }
                stopped.tryComplete();
            });
            Map<Integer, Long> waiting = new HashMap<>();
            client.publishCompletionHandler(id -> {
                waiting.remove(id);
                clients.setTimer(5, t -> publish(waiting));
            });
            TestNode.await(client.connect(port, "127.0.0.1"));
            clients.runOnContext(v -> publish(waiting));
        }

        private void publish(Map<Integer, Long> waiting) {
            if (!running.get()) {
                stopped.tryComplete();
                return;
            }
            int i = sent.getAndIncrement();
            JsonObject fix = new JsonObject().put("time", base.plusMillis(10L * i).toString())
                    .put("lat", 31.0 + i * 1e-5).put("lon", -106.0).put("speed", 12.0);
            client.publish("units/MQ-OK/position", fix.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
                    .onSuccess(id -> waiting.put(id, System.nanoTime()))
                    .onFailure(e -> problems.add("fix " + i + " not sent: " + e));
        }

        int stop() throws Exception {
            running.set(false);
            long deadline = System.currentTimeMillis() + 10_000;
            while (!stopped.future().isComplete() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(stopped.future().isComplete()).as("MQ-OK's last fix acknowledged").isTrue();
            TestNode.await(client.disconnect());
            return sent.get();
        }
    }

    /** Draws messages; the same seed draws the same messages. */
    static final class Generator {

        private final Random random;
        private final Instant base;

        Generator(Random random, Instant base) {
            this.random = random;
            this.base = base;
        }

        Message next(int index) {
            Instant time = base.plusMillis(1000L * index + 123);
            int roll = random.nextInt(100);
            if (roll < 30) {
                return valid(index, time);
            }
            if (roll < 70) {
                return invalid(index, time);
            }
            if (roll < 85) {
                return undecided(index, time);
            }
            return flipped(index, time);
        }

        private static String topic(String unit) {
            return "units/" + unit + "/position";
        }

        private JsonObject fix(Instant time, double lat, double lon) {
            JsonObject fix = new JsonObject().put("time", time.toString()).put("lat", lat).put("lon", lon);
            if (random.nextBoolean()) {
                fix.put("alt", 1000 + random.nextInt(500) / 10.0).put("speed", random.nextInt(400) / 10.0)
                        .put("heading", random.nextInt(3600) / 10.0).put("accuracy", random.nextInt(100) / 10.0)
                        .put("battery", random.nextInt(101));
            }
            if (random.nextBoolean()) {
                fix.put("attributes", new JsonObject().put("link", random.nextBoolean() ? "LTE" : "SATCOM")
                        .put("sats", random.nextInt(20))
                        .put("radio", new JsonObject().put("rssi", -random.nextInt(120))
                                .put("bands", new JsonArray().add("B2").add("B66")))
                        .put("note", "caf\u00e9 \u5317 \"quoted\" \\ slash"));
            }
            return fix;
        }

        private double around(double degrees) {
            return degrees + Math.round(random.nextDouble() * 1e5) / 1e6;
        }

        private Message valid(int index, Instant time) {
            JsonObject fix = fix(time, around(20), around(-20));
            String what = "valid";
            if (random.nextInt(10) == 0) {
                fix.put("unitId", "MQ-VALID");
                what = "valid with its unitId";
            }
            String text = fix.encode();
            if (random.nextInt(20) == 0) {
                text = " ".repeat(30_000) + text + "\n".repeat(30_000);
                what = "valid padded to 60 KB";
            }
            return new Message(index, "MQ-VALID", topic("MQ-VALID"), bytes(text), time, what);
        }

        private Message invalid(int index, Instant time) {
            JsonObject fix = fix(time, around(40), around(40));
            String topic = topic("MQ-BAD");
            String text;
            String what;
            switch (random.nextInt(16)) {
                case 0 -> {
                    text = pick(new String[] {"", " ", "null", "true", "42", "\"a string\"", "[]",
                        "[" + fix.encode() + "]", "{", "}", "{\"lat\":}", "lat=40.5&lon=40.5", "<event/>"});
                    what = "not a JSON object";
                }
                case 1 -> {
                    text = fix.encode();
                    text = text.substring(0, 1 + random.nextInt(text.length() - 2));
                    what = "cut JSON";
                }
                case 2 -> {
                    fix.put(pick(new String[] {"lat", "lon"}), pick(new Object[] {"40.5", true, new JsonObject(),
                        new JsonArray().add(40.5), "north"}));
                    text = fix.encode();
                    what = "position of the wrong type";
                }
                case 3 -> {
                    String field = pick(new String[] {"lat", "lon"});
                    text = fix.encode().replaceFirst("\"" + field + "\":[-0-9.E]+", "\"" + field + "\":"
                            + pick(new String[] {"1e400", "-1e400", "99999999999999999999999", "1e308",
                                field.equals("lat") ? "91" : "-181", "NaN", "Infinity", "-Infinity", "0x1F",
                                "null"}));
                    what = "huge, NaN or missing number";
                }
                case 4 -> {
                    fix.put("time", pick(new Object[] {1796032800, "yesterday", "2026-13-45T99:00:00Z", "",
                        time.toString().replace("Z", ""), "1969-12-31T23:59:59Z",
                        Instant.now().plus(1, ChronoUnit.DAYS).toString(), null}));
                    text = fix.encode();
                    what = "bad time";
                }
                case 5 -> {
                    fix.put(pick(new String[] {"speed", "accuracy"}), -random.nextInt(100) - 1)
                            .put("heading", pick(new Object[] {360, 720.5, -1, "north"}));
                    text = fix.encode();
                    what = "negative speed or accuracy, heading out of range";
                }
                case 6 -> {
                    fix.put(pick(new String[] {"alt", "battery", "speed", "accuracy"}), pick(new Object[] {"high",
                        new JsonObject(), new JsonArray(), true}));
                    text = fix.encode();
                    what = "measure of the wrong type";
                }
                case 7 -> {
                    fix.put("attributes", pick(new Object[] {"a string", new JsonArray().add(1), 42, true}));
                    text = fix.encode();
                    what = "attributes not an object";
                }
                case 8 -> {
                    fix.put("unitId", pick(new Object[] {"MQ-OK", "MQ-VALID", 7, "", "mq-bad"}));
                    text = fix.encode();
                    what = "another unitId";
                }
                case 9 -> {
                    topic = pick(new String[] {"units/MQ-OK/position", "units/MQ-BAD/positions", "alerts/enter",
                        "units/MQ-BAD/position/x", "units/MQ-BAD", "units//position", "units/MQ-B\u00c4D/position",
                        "/units/MQ-BAD/position", "units/MQ-BAD/detection", "units/MQ-BAD/tasks"});
                    text = fix.encode();
                    what = "wrong topic";
                }
                case 10 -> {
                    text = fix.encode().replaceFirst("\"time\":\"", "\"time\":\"" + (char) random.nextInt(32));
                    what = "raw control character";
                }
                case 11 -> {
                    text = "{\"lat\":40.5,\"lon\":40.5,\"time\":\"" + time + "\",\"attributes\":"
                            + "[".repeat(1500) + "]".repeat(1500) + "}";
                    what = "nested past the JSON limit";
                }
                case 12 -> {
                    text = fix.put("attributes", new JsonObject().put("blob", "b".repeat(70_000))).encode();
                    what = "over 64 KB";
                }
                case 13 -> {
                    text = fix.encode().replaceFirst("\\{", "{\"lat\":" + pick(new String[] {"'40.5'", "40,5", ".",
                        "+", "--1"}) + ",");
                    what = "not JSON numbers";
                }
                case 14 -> {
                    text = new String(binary(), StandardCharsets.ISO_8859_1);
                    what = "binary";
                }
                default -> {
                    fix.remove(pick(new String[] {"lat", "lon", "time"}));
                    text = fix.encode();
                    what = "a required field missing";
                }
            }
            return new Message(index, "MQ-BAD", topic, text.getBytes(StandardCharsets.UTF_8), time, what);
        }

        private Message undecided(int index, Instant time) {
            JsonObject fix = fix(time, around(60), around(60));
            String what;
            switch (random.nextInt(6)) {
                case 0 -> {
                    char c = random.nextBoolean() ? '\u0000' : (char) random.nextInt(32);
                    fix.put("attributes", new JsonObject().put("text", "a" + c + "b").put("k" + c, 1));
                    what = "escaped control character U+" + Integer.toHexString(c);
                }
                case 1 -> {
                    fix.put("attributes", new JsonObject().put("blob", "b".repeat(10_000 + random.nextInt(50_000))));
                    what = "large attributes";
                }
                case 2 -> {
                    JsonObject deep = new JsonObject().put("leaf", 1);
                    int depth = 5 + random.nextInt(500);
                    for (int i = 0; i < depth; i++) {
                        deep = new JsonObject().put("d", deep);
                    }
                    fix.put("attributes", deep);
                    what = "attributes " + depth + " deep";
                }
                case 3 -> {
                    JsonObject many = new JsonObject();
                    int keys = 65 + random.nextInt(500);
                    for (int i = 0; i < keys; i++) {
                        many.put("k" + i, i);
                    }
                    fix.put("attributes", many);
                    what = keys + " attribute keys";
                }
                case 4 -> {
                    fix.put(pick(new String[] {"accuracy", "alt", "speed", "battery", "lat", "lon"}),
                            pick(new Object[] {1e-320, Double.MIN_VALUE, -1e-310, 2e-308}));
                    what = "number below the normal range";
                }
                default -> {
                    fix.put("attributes", new JsonObject().put("big", 1e300)
                            .put("n", new java.math.BigInteger("9".repeat(60))));
                    String text = fix.encode().replace("\"big\"", "\"lone\":\"\\ud800x\",\"big\"");
                    return new Message(index, "MQ-MAYBE", topic("MQ-MAYBE"), bytes(text), time,
                            "unpaired surrogate, huge numbers");
                }
            }
            return new Message(index, "MQ-MAYBE", topic("MQ-MAYBE"), bytes(fix.encode()), time, what);
        }

        private Message flipped(int index, Instant time) {
            byte[] bytes = fix(time, around(70), around(-70)).encode().getBytes(StandardCharsets.UTF_8);
            String what;
            if (random.nextBoolean()) {
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                what = flips + " byte flips";
            } else {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
                what = "cut at " + bytes.length;
            }
            return new Message(index, "MQ-FLIP", topic("MQ-FLIP"), bytes, time, what);
        }

        private byte[] binary() {
            byte[] junk = new byte[random.nextInt(3000)];
            random.nextBytes(junk);
            if (junk.length > 0 && junk[0] == '{') {
                junk[0] = 0;
            }
            return junk;
        }

        private <T> T pick(T[] choices) {
            return choices[random.nextInt(choices.length)];
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
