package org.borderwatch.ingest.cot;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated Cursor-on-Target inputs against a real node's CoT port, over TCP (one connection per input,
 * signed in by the auth message or by the device key as uid) and UDP. Three kinds of input, each reported by its own
 * unit so the positions table tells them apart:
 * <ul>
 * <li>valid: the ATAK, iTAK and adsbcot samples with harmless variations, at latitude 20 (unit FZ-VALID): every one
 * is answered and stored;</li>
 * <li>invalid: one certain fault each, at latitude and longitude 40 (unit FZ-BAD): the connection is closed, or the
 * event ignored where the protocol says so, and nothing of it is stored;</li>
 * <li>mutated: byte flips, truncations, insertions and odd attribute values whose validity nobody decided (unit
 * FZ-MUT): each is answered or its connection closed, never left hanging, and a closed one stored nothing.</li>
 * </ul>
 * Meanwhile another device posts fixes over HTTP and must lose none. Replay a run with {@code FUZZ_SEED=<seed>}.
 */
class CotFuzzIT {

    private static final int TCP_INPUTS = 2400;
    private static final int UDP_INPUTS = 800;
    private static final int CONNECTIONS_AT_ONCE = 48;
    private static final Pattern POINT = Pattern.compile("<point lat=(['\"])[^'\"]*\\1 lon=(['\"])[^'\"]*\\2");
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\s)([A-Za-z_]+)=(['\"])([^'\"]*)\\3");
    private static final String[] SAMPLES = {"atak-sa", "itak-sa", "adsbcot"};

    enum Kind { VALID, INVALID, MUTATED }

    /** What became of a TCP input: answered (the ping after it was), closed by the server, or neither. */
    enum Outcome { ANSWERED, CLOSED, CLOSED_AFTER_JUNK, HUNG, NOT_CONNECTED }

    /** One input; {@code expected} is what a valid or invalid one must get (null for mutated ones). */
    record Input(int index, Kind kind, boolean udp, String auth, byte[] payload, Instant time, Outcome expected,
                 String what) {
    }

    private TestNode node;
    private Vertx clients;
    private int cotPort;
    private final Map<Kind, String> keys = new EnumMap<>(Kind.class);

    @BeforeEach
    void start() throws Exception {
        cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_COT_PORT", String.valueOf(cotPort)));
        keys.put(Kind.VALID, node.createUnit("FZ-VALID", "foot"));
        keys.put(Kind.INVALID, node.createUnit("FZ-BAD", "foot"));
        keys.put(Kind.MUTATED, node.createUnit("FZ-MUT", "foot"));
        clients = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        TestNode.await(clients.close());
        node.close();
    }

    @Test
    void everyInputIsAnsweredOrClosedAndOnlyValidOnesAreStored() throws Exception {
        long seed = System.getenv("FUZZ_SEED") != null ? Long.parseLong(System.getenv("FUZZ_SEED")) : System.nanoTime();
        System.out.println("CotFuzzIT seed=" + seed + " (replay with FUZZ_SEED=" + seed + ")");
        Generator generator = new Generator(new Random(seed), keys,
                Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < TCP_INPUTS + UDP_INPUTS; i++) {
            inputs.add(generator.next(i, i >= TCP_INPUTS));
        }
        inputs.stream().filter(in -> in.kind() == Kind.VALID).forEach(in -> CotMessage.parse(text(in)));

        String httpKey = node.createUnit("FZ-HTTP", "vehicle");
        HttpDevice http = new HttpDevice(httpKey);
        http.start();
        long started = System.nanoTime();
        Outcome[] outcomes = runTcp(inputs.subList(0, TCP_INPUTS));
        runUdp(inputs.subList(TCP_INPUTS, inputs.size()));
        int httpSent = http.stop();
        System.out.printf("CotFuzzIT: %d inputs in %d ms%n", inputs.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        Map<String, Integer> tally = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Input input : inputs.subList(0, TCP_INPUTS)) {
            Outcome outcome = outcomes[input.index()];
            tally.merge(input.kind() + " " + outcome, 1, Integer::sum);
            boolean ok = switch (input.kind()) {
                case VALID -> outcome == Outcome.ANSWERED;
                case INVALID -> input.expected() == Outcome.ANSWERED ? outcome == Outcome.ANSWERED
                        : outcome == Outcome.CLOSED || outcome == Outcome.CLOSED_AFTER_JUNK;
                case MUTATED -> outcome == Outcome.ANSWERED || outcome == Outcome.CLOSED
                        || outcome == Outcome.CLOSED_AFTER_JUNK;
            };
            if (!ok) {
                wrong.add("#" + input.index() + " " + input.kind() + " " + input.what() + ": " + outcome + ", "
                        + clip(text(input)));
            }
        }
        System.out.println("CotFuzzIT outcomes: " + tally);
        assertThat(wrong).as("TCP inputs with the wrong outcome").isEmpty();

        Set<Instant> validTimes = new HashSet<>();
        inputs.stream().filter(in -> in.kind() == Kind.VALID).forEach(in -> validTimes.add(in.time()));
        resendLostDatagrams(inputs.subList(TCP_INPUTS, inputs.size()), validTimes.size());
        assertThat(node.awaitCount(validTimes.size(), "SELECT count(*) FROM positions WHERE unit_id = 'FZ-VALID'"))
                .isEqualTo(validTimes.size());
        Set<Instant> stored = times("FZ-VALID");
        assertThat(stored).as("every valid input stored, nothing else").isEqualTo(validTimes);
        Thread.sleep(300); // whatever an invalid input might still be doing
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'FZ-BAD' OR ST_Y(geom) BETWEEN 40 AND 41 "
                + "OR ST_X(geom) BETWEEN 40 AND 41")).as("nothing of an invalid input stored").isZero();
        Set<Instant> mutatedStored = times("FZ-MUT");
        for (Input input : inputs.subList(0, TCP_INPUTS)) {
            Outcome outcome = outcomes[input.index()];
            if (input.kind() == Kind.MUTATED && outcome != Outcome.ANSWERED) {
                assertThat(mutatedStored).as("#%d was refused yet stored: %s", input.index(), clip(text(input)))
                        .doesNotContain(input.time());
            }
        }

        assertThat(http.failures).as("the HTTP device beside the fuzz").isEmpty();
        assertThat(node.awaitCount(httpSent, "SELECT count(*) FROM positions WHERE unit_id = 'FZ-HTTP'"))
                .isEqualTo(httpSent);
        assertThat(TestNode.await(node.http.get("/health/live").send()).statusCode()).isEqualTo(200);
        try (TakClient atak = TakClient.connect(node.vertx, cotPort)) {
            Instant last = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            atak.send(CotSamples.withUid(CotSamples.sample("atak-sa", last), keys.get(Kind.VALID)));
            assertThat(node.awaitCount(validTimes.size() + 1,
                    "SELECT count(*) FROM positions WHERE unit_id = 'FZ-VALID'")).isEqualTo(validTimes.size() + 1);
        }
    }

    private Set<Instant> times(String unit) throws Exception {
        Set<Instant> times = new HashSet<>();
        node.sql("SELECT time FROM positions WHERE unit_id = $1", unit)
                .forEach(row -> times.add(row.getOffsetDateTime("time").toInstant()));
        return times;
    }

    private static String text(Input input) {
        return new String(input.payload(), StandardCharsets.UTF_8);
    }

    private static String clip(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "… (" + flat.length() + " chars)";
    }

    private Outcome[] runTcp(List<Input> inputs) throws Exception {
        Outcome[] outcomes = new Outcome[inputs.size()];
        NetClient net = clients.createNetClient();
        Semaphore slots = new Semaphore(CONNECTIONS_AT_ONCE);
        for (Input input : inputs) {
            slots.acquire();
            new TcpRun(net, input).result.future().onComplete(ar -> {
                outcomes[input.index()] = ar.result();
                slots.release();
            });
        }
        assertThat(slots.tryAcquire(CONNECTIONS_AT_ONCE, 60, TimeUnit.SECONDS)).as("every connection done").isTrue();
        return outcomes;
    }

    /**
     * UDP is lossy by design: on a loaded machine the kernel drops datagrams the server has not read yet, and a TAK
     * client simply sends its next report. Valid datagrams that did not arrive are sent again (at most three
     * rounds), as a device would; what the test holds is that every valid one is stored and no invalid one.
     */
    private void resendLostDatagrams(List<Input> udpInputs, int expected) throws Exception {
        for (int round = 0; round < 3; round++) {
            if (node.awaitCount(expected, "SELECT count(*) FROM positions WHERE unit_id = 'FZ-VALID'") >= expected) {
                return;
            }
            Set<Instant> stored = times("FZ-VALID");
            List<Input> lost = udpInputs.stream().filter(in -> in.kind() == Kind.VALID)
                    .filter(in -> !stored.contains(in.time())).toList();
            System.out.println("CotFuzzIT: " + lost.size() + " valid datagrams lost, sent again");
            runUdp(lost);
        }
    }

    /** Datagrams in small bursts: UDP may drop what a full socket buffer cannot hold, and a valid one must arrive. */
    private void runUdp(List<Input> inputs) throws Exception {
        DatagramSocket udp = clients.createDatagramSocket();
        int burst = 0;
        for (Input input : inputs) {
            TestNode.await(udp.send(Buffer.buffer(input.payload()), cotPort, "127.0.0.1"));
            burst += input.payload().length;
            if (burst > 32 * 1024) {
                Thread.sleep(15);
                burst = 0;
            }
        }
        TestNode.await(udp.close());
    }

    /**
     * One TCP input: connect, the auth message if any, the input, then a ping. The pong means the input was read
     * and the connection kept; a closed socket means the server refused it. Neither within the wait means the
     * server is waiting for the rest of a message: 70 KB of junk must then make it give up.
     */
    private final class TcpRun {

        final Promise<Outcome> result = Promise.promise();
        private final Input input;
        private NetSocket socket;
        private String tail = "";
        private boolean pong;
        private boolean closed;
        private boolean closing;
        private boolean junk;

        TcpRun(NetClient net, Input input) {
            this.input = input;
            net.connect(cotPort, "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    result.tryComplete(Outcome.NOT_CONNECTED);
                } else {
                    run(ar.result());
                }
            });
        }

        private void run(NetSocket s) {
            socket = s;
            socket.handler(this::received);
            socket.exceptionHandler(e -> { });
            socket.closeHandler(v -> {
                closed = true;
                if (!closing) {
                    result.tryComplete(junk ? Outcome.CLOSED_AFTER_JUNK : Outcome.CLOSED);
                }
            });
            if (input.auth() != null) {
                socket.write(input.auth());
            }
            socket.write(Buffer.buffer(input.payload()));
            socket.write(ping(input.time()));
            boolean mustAnswer = input.kind() == Kind.VALID || input.expected() == Outcome.ANSWERED;
            clients.setTimer(mustAnswer ? 10_000 : 2_000, id -> {
                if (!pong && !closed) {
                    junk = true;
                    socket.write("x".repeat(70 * 1024));
                    clients.setTimer(5_000, id2 -> finish(Outcome.HUNG));
                }
            });
        }

        private void received(Buffer data) {
            String text = tail + data.toString(StandardCharsets.UTF_8);
            tail = text.length() > 16 ? text.substring(text.length() - 16) : text;
            if (!pong && text.contains(CotEvent.PONG_TYPE)) {
                pong = true;
                clients.setTimer(50, id -> finish(Outcome.ANSWERED));
            }
        }

        private void finish(Outcome outcome) {
            if (!closed && !result.future().isComplete()) {
                closing = true;
                socket.close();
                result.tryComplete(outcome);
            }
        }
    }

    private static String ping(Instant time) {
        return "<event version=\"2.0\" uid=\"fuzz-ping\" type=\"t-x-c-t\" how=\"m-g\" time=\"" + time + "\" start=\""
                + time + "\" stale=\"" + time.plusSeconds(20) + "\"><point lat=\"0.0\" lon=\"0.0\" hae=\"0.0\" "
                + "ce=\"9999999.0\" le=\"9999999.0\"/><detail/></event>";
    }

    /** A device posting one fix at a time over HTTP while the fuzz runs; every answer must be 202. */
    private final class HttpDevice {

        final List<String> failures = new CopyOnWriteArrayList<>();
        private final String key;
        private final WebClient web;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Promise<Integer> stopped = Promise.promise();
        private final Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        private int sent;

        HttpDevice(String key) {
            this.key = key;
            this.web = WebClient.create(clients, new WebClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(node.port));
        }

        void start() {
            clients.runOnContext(v -> next());
        }

        private void next() {
            if (!running.get()) {
                stopped.complete(sent);
                return;
            }
            int i = sent++;
            JsonObject fix = Fixtures.fix("FZ-HTTP", base.plusMillis(10L * i).toString(), 31.0 + i * 1e-5, -106.0);
            web.post("/api/v1/positions").bearerTokenAuthentication(key).sendJsonObject(fix).onComplete(ar -> {
                if (ar.failed() || ar.result().statusCode() != 202) {
                    failures.add("fix " + i + ": " + (ar.failed() ? ar.cause() : ar.result().statusCode() + " "
                            + ar.result().bodyAsString()));
                }
                clients.setTimer(5, id -> next());
            });
        }

        int stop() throws Exception {
            running.set(false);
            return TestNode.await(stopped.future());
        }
    }

    /** Draws inputs; the same seed draws the same inputs. */
    static final class Generator {

        private static final String[] NOT_NUMBERS = {"north", "1,5", "--1", "0x", "40.5.5", "\uFF14\uFF10", "one",
            "4O.5"};
        private static final String[] NOT_FINITE = {"NaN", "Infinity", "-Infinity", "1e309", "-1e400"};
        private static final String[] NASTY = {"", " ", "NaN", "-1", "1e400", "-0", "9999999", "0x10", "1d", "\u5317",
            "&#9;", "&amp;", "&#x85;", "9".repeat(400), "a".repeat(3000), "-9999999.0", "1e-320", "+5", ".5",
            "&lt;event&gt;"};
        private static final String[] SPECIALS = {"<", ">", "&", "]]>", "<![CDATA[", "\u0000", "&#9;", "<x>",
            "</event>", "'", "\"", "<!--", "<?xml", "\uFFFF", "\r\n", "</detail>"};

        private final Random random;
        private final Map<Kind, String> keys;
        private final Instant base;

        Generator(Random random, Map<Kind, String> keys, Instant base) {
            this.random = random;
            this.keys = keys;
            this.base = base;
        }

        Input next(int index, boolean udp) {
            Instant time = base.plusMillis(7L * index);
            int roll = random.nextInt(100);
            Kind kind = roll < 35 ? Kind.VALID : roll < 75 ? Kind.INVALID : Kind.MUTATED;
            // Over TCP half the connections sign in with the auth message, half with the key as uid (UDP: always).
            boolean auth = !udp && random.nextBoolean();
            String uid = auth ? "ANDROID-fuzz-" + index : keys.get(kind);
            String authMessage = auth ? "<auth><cot username=\"" + unitOf(kind) + "\" password=\"" + keys.get(kind)
                    + "\" uid=\"" + uid + "\"/></auth>" : null;
            return switch (kind) {
                case VALID -> valid(index, udp, authMessage, uid, time);
                case INVALID -> invalid(index, udp, authMessage, uid, time);
                case MUTATED -> mutated(index, udp, authMessage, uid, time);
            };
        }

        private static String unitOf(Kind kind) {
            return switch (kind) {
                case VALID -> "FZ-VALID";
                case INVALID -> "FZ-BAD";
                case MUTATED -> "FZ-MUT";
            };
        }

        private String event(String uid, Instant time, double lat, double lon) {
            String xml = CotSamples.withUid(CotSamples.sample(SAMPLES[random.nextInt(SAMPLES.length)], time), uid);
            return POINT.matcher(xml).replaceFirst(Matcher.quoteReplacement(
                    "<point lat=\"" + lat + "\" lon=\"" + lon + "\""));
        }

        private double around(double degrees) {
            return degrees + Math.round(random.nextDouble() * 1e5) / 1e6;
        }

        private Input valid(int index, boolean udp, String auth, String uid, Instant time) {
            String xml = event(uid, time, around(20), around(-20));
            List<String> variations = new ArrayList<>();
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                switch (random.nextInt(9)) {
                    case 0 -> {
                        xml = xml.replaceFirst("^<\\?xml[^>]*\\?>\\s*", "");
                        variations.add("no declaration");
                    }
                    case 1 -> {
                        xml = xml.replaceFirst("<event", "<!-- from the field -->\n<event");
                        variations.add("comment before");
                    }
                    case 2 -> {
                        int depth = 1 + random.nextInt(200);
                        String open = "<junk a=\"1\" b=\"&amp;&lt;&quot;\">".repeat(depth);
                        xml = xml.replaceFirst("<detail>", Matcher.quoteReplacement("<detail>" + open + "text"
                                + "</junk>".repeat(depth)));
                        variations.add("nested junk " + depth);
                    }
                    case 3 -> {
                        int size = 1024 * (1 + random.nextInt(20));
                        xml = xml.replaceFirst("<detail>", Matcher.quoteReplacement("<detail><remarks>"
                                + "r&amp;d ".repeat(size / 8) + "</remarks>"));
                        variations.add("remarks of " + size);
                    }
                    case 4 -> {
                        xml = xml.replaceFirst("<detail>", Matcher.quoteReplacement("<detail><status battery=\""
                                + pick(new String[] {"NaN", "-5", "250", "1e9"}) + "\"/>"));
                        variations.add("odd battery");
                    }
                    case 5 -> {
                        xml = setAttribute(xml, "track", "speed", pick(new String[] {"9999999.0", "-1", "Infinity",
                                "-1.0"}));
                        xml = setAttribute(xml, "track", "course", pick(new String[] {"9999999.0", "-1", "720.5",
                                "-90"}));
                        variations.add("unknown track");
                    }
                    case 6 -> {
                        xml = setAttribute(xml, "point", "hae", pick(new String[] {"9999999", "-9999999.0", "-412.5",
                                "1e12"}));
                        variations.add("odd hae");
                    }
                    case 7 -> {
                        xml = xml.replaceFirst("<detail>", Matcher.quoteReplacement("<detail><contact callsign=\""
                                + "&#x85;\u00e9\u4e2d&apos;".repeat(1 + random.nextInt(200)) + "\"/>"));
                        variations.add("unicode callsign");
                    }
                    default -> {
                        xml = xml.replaceFirst("<detail>", Matcher.quoteReplacement("<detail><?pi ignore me?>"
                                + "<![CDATA[ <not> & markup ]]>"));
                        variations.add("pi and cdata");
                    }
                }
            }
            return new Input(index, Kind.VALID, udp, auth, bytes(xml), time, Outcome.ANSWERED,
                    "valid " + variations);
        }

        private Input invalid(int index, boolean udp, String auth, String uid, Instant time) {
            String xml = event(uid, time, around(40), around(40));
            Outcome closed = Outcome.CLOSED;
            String t = time.toString();
            record Poison(String what, UnaryOperator<String> apply, Outcome expected) {
            }
            List<Poison> poisons = new ArrayList<>(List.of(
                    new Poison("lat not a number", x -> setAttribute(x, "point", "lat", pick(NOT_NUMBERS)), closed),
                    new Poison("lat not finite", x -> setAttribute(x, "point", "lat", pick(NOT_FINITE)), closed),
                    new Poison("lat out of range", x -> setAttribute(x, "point", "lat",
                            pick(new String[] {"91", "-90.5", "1e300", "400.1"})), closed),
                    new Poison("lon bad", x -> setAttribute(x, "point", "lon",
                            pick(new String[] {"181", "-180.01", "NaN", "east", "1e309"})), closed),
                    new Poison("no lon", x -> removeAttribute(x, "point", "lon"), closed),
                    new Poison("no point", x -> x.replaceFirst("<point[^>]*/>", ""), Outcome.ANSWERED),
                    new Poison("empty lat", x -> setAttribute(x, "point", "lat", ""), Outcome.ANSWERED),
                    new Poison("no time", x -> removeAttribute(removeAttribute(x, "event", "time"), "event",
                            "start"), closed),
                    new Poison("bad time", x -> setAttribute(x, "event", "time", pick(new String[] {"yesterday",
                            "2026-13-45T99:00:00Z", "", "1796032800", t.replace("Z", ""), "1969-12-31T23:59:59Z",
                            Instant.now().plus(1, ChronoUnit.DAYS).toString()})), closed),
                    new Poison("negative ce", x -> setAttribute(x, "point", "ce", "-5"), closed),
                    new Poison("NaN measure", x -> setAttribute(x, "point", pick(new String[] {"hae", "ce"}), "NaN"),
                            closed),
                    new Poison("bad track", x -> setAttribute(setAttribute(x, "track", "speed",
                            pick(new String[] {"NaN", "fast"})), "track", "course", "12"), closed),
                    new Poison("bad course", x -> setAttribute(x, "track", "course", pick(new String[] {"NaN",
                            "north"})), closed),
                    new Poison("bad battery", x -> x.replaceFirst("<detail>", "<detail><status battery=\"full\"/>"),
                            closed),
                    new Poison("undefined entity", x -> x.replaceFirst("<detail>",
                            "<detail><contact callsign=\"&bogus;\"/>"), closed),
                    new Poison("forbidden character reference", x -> x.replaceFirst("<detail>",
                            "<detail><contact callsign=\"" + pick(new String[] {"&#0;", "&#1;", "&#xD800;", "&#xFFFE;"})
                                    + "\"/>"), closed),
                    new Poison("unclosed element", x -> x.replaceFirst("<detail>", "<detail><contact callsign=\"x\">"),
                            closed),
                    new Poison("duplicate attribute", x -> x.replaceFirst("<point ", "<point lat=\"1\" "), closed),
                    new Poison("DTD", x -> pick(new String[] {
                        "<!DOCTYPE event [<!ENTITY x \"40.5\">]>",
                        "<!DOCTYPE event [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
                        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"})
                            + x.replaceFirst("^<\\?xml[^>]*\\?>\\s*", "").replaceFirst("<detail>",
                            "<detail><remarks>&x;&xxe;&lol2;</remarks>"), closed),
                    new Poison("root element", x -> pick(new String[] {"<chat uid=\"x\"><point lat=\"40\"/></chat>",
                        "<Event uid=\"x\"/>", "<a/>", "<auth/>"}), closed),
                    new Poison("no uid", x -> pick(new String[] {"<event/>", "<event uid=\"\"/>",
                        "<event uid=\"   \" type=\"a-f-G\"><point lat=\"40\" lon=\"40\"/></event>"}), closed),
                    new Poison("element in remarks", x -> x.replaceFirst("<detail>",
                            "<detail><remarks>see <b>this</b></remarks>"), closed)));
            if (!udp) {
                poisons.addAll(List.of(
                        new Poison("binary", x -> binary(), closed),
                        // A stream ends a message at its first </event>: the outer event is then cut short.
                        new Poison("nested event", x -> x.replaceFirst("<detail>", Matcher.quoteReplacement(
                                "<detail>" + x.replaceFirst("^<\\?xml[^>]*\\?>\\s*", ""))), closed),
                        new Poison("giant attribute", x -> x.replaceFirst("<detail>", Matcher.quoteReplacement(
                                "<detail><contact callsign=\"" + "G".repeat(70_000 + random.nextInt(80_000))
                                        + "\"/>")), closed),
                        new Poison("giant prolog", x -> "<!-- " + "c".repeat(70_000) + " -->" + x, closed)));
                if (auth != null) {
                    poisons.add(new Poison("wrong auth", x -> x, closed));
                } else {
                    poisons.add(new Poison("uid not a key", x -> CotSamples.withUid(x, "ANDROID-stranger"), closed));
                }
            }
            Poison poison = poisons.get(random.nextInt(poisons.size()));
            String poisoned = poison.apply().apply(xml);
            String authMessage = auth;
            if (poison.what().equals("wrong auth")) {
                authMessage = random.nextBoolean()
                        ? auth.replace(keys.get(Kind.INVALID), "bwk_" + "A".repeat(43))
                        : auth.replace(keys.get(Kind.INVALID), keys.get(Kind.VALID)); // another unit's key
            }
            return new Input(index, Kind.INVALID, udp, authMessage, bytes(poisoned), time, poison.expected(),
                    poison.what());
        }

        private Input mutated(int index, boolean udp, String auth, String uid, Instant time) {
            String xml = event(uid, time, around(60), around(60));
            byte[] bytes = bytes(xml);
            String what;
            switch (random.nextInt(6)) {
                case 0 -> {
                    int flips = 1 + random.nextInt(4);
                    for (int i = 0; i < flips; i++) {
                        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    }
                    what = flips + " byte flips";
                }
                case 1 -> {
                    int cut = 1 + random.nextInt(bytes.length - 1);
                    bytes = java.util.Arrays.copyOf(bytes, cut);
                    what = "cut at " + cut;
                }
                case 2 -> {
                    StringBuilder text = new StringBuilder(xml);
                    int inserts = 1 + random.nextInt(3);
                    for (int i = 0; i < inserts; i++) {
                        text.insert(random.nextInt(text.length()), pick(SPECIALS));
                    }
                    bytes = bytes(text.toString());
                    what = inserts + " insertions";
                }
                case 3 -> {
                    List<int[]> values = new ArrayList<>();
                    Matcher m = ATTRIBUTE.matcher(xml);
                    while (m.find()) {
                        values.add(new int[] {m.start(4), m.end(4)});
                    }
                    int[] value = values.get(random.nextInt(values.size()));
                    String replacement = pick(NASTY);
                    bytes = bytes(xml.substring(0, value[0]) + replacement + xml.substring(value[1]));
                    what = "attribute value " + clip(replacement);
                }
                case 4 -> {
                    bytes = bytes(xml + xml.replaceFirst("^<\\?xml[^>]*\\?>\\s*", ""));
                    what = "twice";
                }
                default -> {
                    bytes = binary().getBytes(StandardCharsets.ISO_8859_1);
                    bytes[0] = '<';
                    what = "binary after <";
                }
            }
            return new Input(index, Kind.MUTATED, udp, auth, bytes, time, null, what);
        }

        private String binary() {
            byte[] junk = new byte[1 + random.nextInt(2000)];
            random.nextBytes(junk);
            // Starts with something that cannot start XML, not whitespace (which the stream skips).
            junk[0] = (byte) ('!' + random.nextInt(20));
            return new String(junk, StandardCharsets.ISO_8859_1);
        }

        private String pick(String[] choices) {
            return choices[random.nextInt(choices.length)];
        }

        private static String setAttribute(String xml, String element, String attribute, String value) {
            Pattern pattern = Pattern.compile("(<" + element + "\\b[^>]*?\\s)" + attribute + "=(['\"])[^'\"]*\\2");
            Matcher m = pattern.matcher(xml);
            if (m.find()) {
                return m.replaceFirst(Matcher.quoteReplacement(m.group(1) + attribute + "=\"" + value + "\""));
            }
            return xml.replaceFirst("<" + element + "\\b", Matcher.quoteReplacement("<" + element + " " + attribute
                    + "=\"" + value + "\""));
        }

        private static String removeAttribute(String xml, String element, String attribute) {
            return xml.replaceFirst("(<" + element + "\\b[^>]*?)\\s" + attribute + "=(['\"])[^'\"]*\\2", "$1");
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
