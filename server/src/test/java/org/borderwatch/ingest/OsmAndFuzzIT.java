package org.borderwatch.ingest;

import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Thousands of generated requests at the OsmAnd door, written byte for byte on raw sockets: mutated Traccar and
 * OsmAnd query strings, forms and Traccar Client JSON (truncated, huge numbers, NaN, control characters), random
 * bytes, wrong content types, other methods, oversized bodies and URIs. Each must be answered within the timeout
 * with 200 or a 4xx, and a 4xx must store nothing; meanwhile a second device's valid fixes must all be stored.
 * The seed is printed; {@code -Dosmand.fuzz.seed=N} replays a run.
 */
class OsmAndFuzzIT {

    /** Lanes run side by side so that the waits for durable commits overlap; each has its own unit. */
    private static final int LANES = 2;
    private static final int INPUTS = 1000;
    private static final int TIMEOUT_MS = 10_000;
    private static final String[] CONTENT_TYPES = {null, null, "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8", "application/json", "application/json; charset=utf-16",
        "APPLICATION/JSON", "text/plain", "", "application/octet-stream", "multipart/form-data; boundary=xyz",
        "image/png", "\u00ff\u00fe;;;="};
    private static final String[] NASTY = {"", "-1", "0", "-0", "NaN", "Infinity", "-Infinity", "1e400", "-1e400",
        "1e-400", "99999999999999999999999999", "-9223372036854775808", "9223372036854775807", "0x1F", "1f", "1d",
        "%00", "%0A", "%7F", "%1b[31m", "%zz", "%", "%E2%82", "\u00c3\u00a9", "\u00ff", "1,2", "1,2,3", ",", " 1 ",
        "+", "null", "true", "false", "[]", "{}", "\"", "\\", "&", "=", "==", "&&", ";", "#", "?", "%2B02:00",
        "2016-01-27T18:55:47", "2016-01-27 18:55:47", "T", "360", "360.0001", "-180.0001", "90.00001",
        "x".repeat(300)};
    private static final String[] JSON_NASTY = {"1e400", "-1e400", "1e999999", "123456789012345678901234567890",
        "NaN", "Infinity", "-1", "null", "[]", "{}", "true", "\"12\"", "\"\\u0000\"", "\"\u0001\"", "0.1e-99999",
        "\"" + "y".repeat(400) + "\"", "[".repeat(3000), "{\"a\":".repeat(50)};

    private TestNode node;
    private int port;
    private final String[] keys = new String[LANES];
    private String otherKey;

    @BeforeEach
    void start() throws Exception {
        port = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_OSMAND_PORT", String.valueOf(port)));
        for (int lane = 0; lane < LANES; lane++) {
            keys[lane] = node.createUnit("FUZZ-" + lane, "drone");
        }
        otherKey = node.createUnit("UAV-02", "vehicle");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void everyInputIsAnsweredAndOnlyAcceptedFixesAreStored() throws Exception {
        long seed = Long.getLong("osmand.fuzz.seed", System.nanoTime());
        System.out.println("OsmAndFuzzIT seed " + seed + " (replay with -Dosmand.fuzz.seed=" + seed + ")");
        AtomicBoolean fuzzing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(LANES + 1);
        CompletableFuture<int[]> other = CompletableFuture.supplyAsync(() -> postValidFixes(fuzzing), threads);
        long started = System.nanoTime();
        List<CompletableFuture<Map<Integer, Integer>>> lanes = new ArrayList<>();
        for (int lane = 0; lane < LANES; lane++) {
            int id = lane;
            lanes.add(CompletableFuture.supplyAsync(() -> lane(seed, id), threads));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        try {
            for (CompletableFuture<Map<Integer, Integer>> lane : lanes) {
                lane.get().forEach((status, n) -> statuses.merge(status, n, Integer::sum));
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error; // an assertion, with its seed, lane and input
            }
            throw e;
        } finally {
            fuzzing.set(false);
            threads.shutdown();
        }
        int[] sentAndAccepted = other.get();
        System.out.printf("OsmAndFuzzIT: %d inputs in %d ms, statuses %s; other device %d/%d%n", LANES * INPUTS,
                (System.nanoTime() - started) / 1_000_000, statuses, sentAndAccepted[1], sentAndAccepted[0]);

        assertThat(sentAndAccepted[1]).as("the other device's fixes answered 200").isEqualTo(sentAndAccepted[0]);
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'UAV-02'"))
                .as("the other device's fixes stored").isEqualTo(sentAndAccepted[0]);
        assertThat(statuses).containsKey(200).containsKey(400);
    }

    /**
     * One lane of inputs, one after the other, all for the lane's own unit: after each answer the unit's row count
     * tells whether the input stored a fix, which it may only have done when it was answered 200.
     */
    private Map<Integer, Integer> lane(long seed, int lane) {
        Random random = new Random(seed * 31 + lane);
        String unit = "FUZZ-" + lane;
        Map<Integer, Integer> statuses = new TreeMap<>();
        long stored = 0;
        for (int i = 0; i < INPUTS; i++) {
            String request = request(random, i, keys[lane]);
            String where = "seed " + seed + ", lane " + lane + ", input " + i;
            try {
                int status = exchange(request, where);
                statuses.merge(status, 1, Integer::sum);
                long now = node.count("SELECT count(*) FROM positions WHERE unit_id = $1", unit);
                String what = where + " answered " + status + ": " + shown(request);
                assertThat(status == 0 || status == 200 || status >= 400 && status < 500).as(what).isTrue();
                if (status == 200) {
                    assertThat(now - stored).as(what).isBetween(0L, 1L);
                } else {
                    assertThat(now).as("stored from a refused input: " + what).isEqualTo(stored);
                }
                stored = now;
            } catch (Exception e) {
                throw new IllegalStateException(where + " failed", e);
            }
        }
        return statuses;
    }

    /** A second device reporting as the Traccar Client does while the fuzzing goes on: every fix must land. */
    private int[] postValidFixes(AtomicBoolean fuzzing) {
        HttpClient client = HttpClient.newHttpClient();
        Instant base = Instant.now().minusSeconds(3600);
        int sent = 0;
        int accepted = 0;
        try {
            while (fuzzing.get() && sent < 5000) {
                String uri = "http://127.0.0.1:" + port + "/?id=" + otherKey + "&lat=31." + sent + "&lon=-106.5"
                        + "&speed=3&timestamp=" + base.plusSeconds(sent).getEpochSecond();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofMillis(TIMEOUT_MS))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                sent++;
                accepted += response.statusCode() == 200 ? 1 : 0;
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the other device's fix " + sent + " failed", e);
        }
        return new int[] {sent, accepted};
    }

    /**
     * Writes one raw request and reads the answer until the server closes; the status, 0 when the input held nothing
     * an HTTP server reads as a request (and so still waits for one), or a failure.
     */
    private int exchange(String request, String what) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                if (answer.size() == 0 && request.chars().allMatch(c -> c <= ' ' || c == 0x7f)) {
                    // Nothing but control characters and blank lines: HTTP servers skip those before a request
                    // line (RFC 9112 §2.2) and wait for one; the idle timeout closes such a connection.
                    return 0;
                }
                fail("no answer within " + TIMEOUT_MS + " ms (" + what + "): " + shown(request) + " got "
                        + shown(answer.toString(StandardCharsets.ISO_8859_1)));
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            if (!text.matches("(?s)HTTP/1\\.[01] \\d{3}.*")) {
                fail("not an HTTP answer (" + what + "): " + shown(text) + " to " + shown(request));
            }
            return Integer.parseInt(text.substring(9, 12));
        }
    }

    private String request(Random r, int i, String key) {
        String method = r.nextInt(10) < 9 ? (r.nextBoolean() ? "POST" : "GET")
                : pick(r, new String[] {"PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "G\u00e9T"});
        String uri = "/";
        String contentType = pick(r, CONTENT_TYPES);
        String body = "";
        switch (r.nextInt(10)) {
            case 0, 1, 2 -> uri = "/?" + mutate(r, query(r, i, key)); // the classic client: all in the query
            case 3, 4 -> {
                body = mutate(r, query(r, i, key));
                uri = r.nextBoolean() ? "/" : "/?id=" + key;
            }
            case 5, 6, 7 -> body = mutate(r, json(r, i, key));
            case 8 -> {
                uri = r.nextBoolean() ? "/" : "/?" + query(r, i, key);
                body = bytes(r, r.nextInt(2000));
            }
            default -> {
                switch (r.nextInt(3)) {
                    case 0 -> body = "id=" + key + "&lat=1&lon=2&pad=" + "p".repeat(65_000 + r.nextInt(6000));
                    case 1 -> uri = "/?id=" + key + "&lat=1&lon=2&pad=" + "p".repeat(3000 + r.nextInt(6000));
                    default -> {
                        return bytes(r, 1 + r.nextInt(200)).replace('\r', ' ').replace('\n', ' ') + "\r\n\r\n";
                    }
                }
            }
        }
        // A line break in the URI would end the head early and leave the rest waiting: keep the framing whole.
        uri = uri.replace("\r", "%0D").replace("\n", "%0A");
        StringBuilder head = new StringBuilder(method).append(' ').append(uri).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (!body.isEmpty() || method.equals("POST") || r.nextBoolean()) {
            head.append("Content-Length: ").append(body.length()).append("\r\n");
        }
        return head.append("\r\n").append(body).toString();
    }

    /** A valid report in OsmAnd parameters, with a time of its own so that every accepted one is a new row. */
    private String query(Random r, int i, String key) {
        List<String> params = new ArrayList<>();
        switch (r.nextInt(20)) {
            case 0 -> params.add("id=bwk_" + Long.toHexString(r.nextLong()));
            case 1 -> { }
            case 2, 3 -> params.add("deviceid=" + key);
            default -> params.add("id=" + key);
        }
        if (r.nextInt(5) == 0) {
            params.add("location=" + latitude(r) + "," + longitude(r));
        } else {
            params.add("lat=" + latitude(r));
            params.add("lon=" + longitude(r));
        }
        Instant time = Instant.now().minusSeconds(100_000).plusSeconds(i * 7L).plusMillis(r.nextInt(1000));
        params.add("timestamp=" + enc(switch (r.nextInt(5)) {
            case 0 -> String.valueOf(time.getEpochSecond());
            case 1 -> String.valueOf(time.toEpochMilli());
            case 2 -> time.toString();
            case 3 -> LocalDateTime.ofInstant(time, ZoneOffset.UTC).toString();
            default -> LocalDateTime.ofInstant(time, ZoneOffset.UTC).withNano(0).toString().replace('T', ' ');
        }));
        String[][] optional = {{"speed", "12.5"}, {"bearing", "-1"}, {"heading", "359.9"}, {"altitude", "-3.5"},
            {"accuracy", "4"}, {"batt", "55.5"}, {"hdop", "0.8"}, {"ignition", "true"}, {"driverUniqueId", "007"},
            {"valid", "1"}, {"cell", "257,02,16,2224"}, {"wifi", "00-14-22-01-23-45,-80"}, {"note", "a b&c"}};
        for (String[] field : optional) {
            if (r.nextInt(3) == 0) {
                params.add(field[0] + "=" + enc(field[1]));
            }
        }
        Collections.shuffle(params, r);
        return String.join("&", params);
    }

    private String json(Random r, int i, String key) {
        Instant time = Instant.now().minusSeconds(200_000).plusSeconds(i * 7L).plusMillis(r.nextInt(1000));
        return """
                {"location":{"timestamp":"%s","coords":{"latitude":%s,"longitude":%s,"speed":%s,"heading":%s,\
                "altitude":12.5,"accuracy":5},"is_moving":%b,"odometer":%d,"event":"motionchange",\
                "battery":{"level":%s,"is_charging":%b},"activity":{"type":"still"},\
                "extras":{"s":"text","n":%d,"d":1.5}},"device_id":"%s"}""".formatted(
                r.nextBoolean() ? time.toString() : LocalDateTime.ofInstant(time, ZoneOffset.UTC).toString(),
                latitude(r), longitude(r), r.nextBoolean() ? "-1" : "3.25", r.nextBoolean() ? "-1" : "180",
                r.nextBoolean(), r.nextInt(100_000), r.nextBoolean() ? "-1" : "0.5", r.nextBoolean(),
                r.nextInt(), r.nextInt(20) == 0 ? "bwk_wrong" : key);
    }

    /** Zero to three edits: nasty values in place of real ones, characters in, out or swapped, a cut, a copy. */
    private String mutate(Random r, String text) {
        String s = text;
        boolean json = text.startsWith("{");
        for (int n = r.nextInt(4); n > 0 && !s.isEmpty(); n--) {
            int at = r.nextInt(s.length());
            s = switch (r.nextInt(7)) {
                case 0 -> s.substring(0, at) + s.substring(at + 1);
                case 1 -> s.substring(0, at) + pick(r, json ? JSON_NASTY : NASTY) + s.substring(at);
                case 2 -> replaceValue(r, s, json);
                case 3 -> s.substring(0, at);
                case 4 -> s.substring(0, at) + s.substring(r.nextInt(at + 1), at) + s.substring(at);
                case 5 -> s.substring(0, at) + (char) r.nextInt(256) + s.substring(at);
                default -> s.substring(0, at) + (char) (32 + r.nextInt(95)) + s.substring(at + 1);
            };
        }
        return s;
    }

    /** Puts a nasty value where a value stood: after a '=' in parameters, after a ':' in JSON. */
    private String replaceValue(Random r, String s, boolean json) {
        char mark = json ? ':' : '=';
        int start = s.indexOf(mark, r.nextInt(s.length()));
        if (start < 0) {
            return s;
        }
        int end = start + 1;
        while (end < s.length() && (json ? ",}".indexOf(s.charAt(end)) < 0 : s.charAt(end) != '&')) {
            end++;
        }
        return s.substring(0, start + 1) + pick(r, json ? JSON_NASTY : NASTY) + s.substring(end);
    }

    private static String bytes(Random r, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) r.nextInt(256));
        }
        return s.toString();
    }

    private static String latitude(Random r) {
        return String.format(Locale.ROOT, "%.6f", r.nextDouble() * 178 - 89);
    }

    private static String longitude(Random r) {
        return String.format(Locale.ROOT, "%.6f", r.nextDouble() * 358 - 179);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    /** A request or answer fit for a failure message: short, control characters made visible. */
    private static String shown(String text) {
        String cut = text.length() > 400 ? text.substring(0, 400) + "…(" + text.length() + " chars)" : text;
        StringBuilder s = new StringBuilder();
        for (char c : cut.toCharArray()) {
            s.append(c < 32 || c == 127 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.toString();
    }
}
