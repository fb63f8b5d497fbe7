package org.borderwatch.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated request bodies (seeded, so a failure replays): thousands of bodies, content types and content codings
 * against POST /api/v1/positions and the other JSON routes, while one valid device keeps reporting. Whatever comes,
 * the answer is a 2xx or a 4xx within a few seconds, nothing of a rejected request is stored, and the valid device
 * loses nothing.
 */
class RequestBodiesFuzzIT {

    private static final long SEED = 20261130L;
    private static final int POSITION_CASES = 1_800;
    private static final int OTHER_CASES = 600;
    private static final int IN_FLIGHT = 8;
    /** Each case owns ten seconds of fix times, so a stored fix always tells which case it came from. */
    private static final Instant BASE = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

    private static final String[] CONTENT_TYPES = {null, "application/json", "application/x-www-form-urlencoded",
        "text/plain", "application/json; charset=utf-8", "multipart/form-data; boundary=xyz", "%%garbage%%",
        "application/json; charset=nonsense"};
    private static final String[] RAW_VALUES = {"null", "true", "0", "-1", "1e400", "-1e400", "1e-400",
        "123456789012345678901234567890", "360", "-0.0", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0001b\"",
        "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\ude00\"", "\"\u00e9\u6f22\u5b57\"", "[]", "{}", "[1,2,3]",
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", "NaN", "\"31.7\"", "{\"k\\u0000\":1}",
        "{\"note\":\"line\\nbreak\"}", "{\"ok\":[\"x\",{\"y\":2.5}]}"};

    private TestNode node;
    private String fuzzKey;
    private String steadyKey;
    private String admin;
    private String alertId;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        fuzzKey = node.createUnit("FUZZ-1", "drone");
        steadyKey = node.createUnit("STEADY-1", "vehicle");
        admin = node.adminToken();
        alertId = node.sql("INSERT INTO alerts (type, unit_id, severity, time) "
                + "VALUES ('enter', 'FUZZ-1', 'warning', now()) RETURNING id::text").iterator().next().getString(0);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    /** One generated request: where it goes, what it carries, and the fixes it holds if it is accepted. */
    private record Case(String path, String token, String contentType, String encoding, Buffer body,
                        List<Instant> times, boolean mustFail) {
    }

    private record Outcome(Case sent, int status, String body) {
    }

    @Test
    void noBodyGetsA5xxOrAHangAndOnlyAcceptedFixesAreStored() throws Exception {
        Random random = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < POSITION_CASES; i++) {
            cases.add(positionCase(random, i));
        }
        for (int i = 0; i < OTHER_CASES; i++) {
            cases.add(otherRouteCase(random));
        }
        Collections.shuffle(cases, random);

        AtomicBoolean fuzzing = new AtomicBoolean(true);
        Steady steady = new Steady();
        Future<Void> steadyDone = steady.run(fuzzing);

        long started = System.nanoTime();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        List<String> broken = new CopyOnWriteArrayList<>();
        Semaphore slots = new Semaphore(IN_FLIGHT);
        for (Case c : cases) {
            slots.acquire();
            send(c).onComplete(ar -> {
                if (ar.succeeded()) {
                    outcomes.add(new Outcome(c, ar.result().statusCode(), ar.result().bodyAsString()));
                } else {
                    broken.add(c.path() + " " + c.contentType() + " " + c.encoding() + ": " + ar.cause());
                }
                slots.release();
            });
        }
        assertThat(slots.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)).as("requests still unanswered").isTrue();
        fuzzing.set(false);
        TestNode.await(steadyDone);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        Map<String, Long> tally = new TreeMap<>();
        outcomes.forEach(o -> tally.merge(o.sent().path().replaceAll("/[0-9a-f-]{36}/", "/{id}/") + " "
                + o.status(), 1L, Long::sum));
        System.out.println("TALLY " + tally + " steady " + steady.sent.size() + " in " + seconds + " s");
        assertThat(broken).as("requests that got no answer").isEmpty();
        assertThat(outcomes).hasSize(cases.size());
        List<String> serverErrors = outcomes.stream().filter(o -> o.status() >= 500)
                .map(o -> o.status() + " " + o.sent().path() + " " + o.sent().contentType() + " "
                        + o.sent().encoding() + " " + preview(o.sent().body()) + " -> " + o.body())
                .toList();
        assertThat(serverErrors).as("5xx answers").isEmpty();
        List<String> wronglyAccepted = outcomes.stream().filter(o -> o.sent().mustFail() && o.status() < 300)
                .map(o -> o.status() + " " + o.sent().path() + " " + preview(o.sent().body())).toList();
        assertThat(wronglyAccepted).as("accepted although invalid").isEmpty();
        List<String> unnamed = outcomes.stream()
                .filter(o -> o.status() >= 400 && o.status() != 401 && o.status() != 403 && o.status() != 404
                        && o.status() != 409 && o.status() != 429)
                .filter(o -> !namesAField(o.body()))
                .map(o -> o.status() + " " + o.sent().path() + " " + preview(o.sent().body()) + " -> " + o.body())
                .toList();
        assertThat(unnamed).as("client errors that name no field").isEmpty();

        Set<Instant> expected = new HashSet<>();
        for (Outcome o : outcomes) {
            if (o.sent().path().equals("/api/v1/positions") && o.status() == 202) {
                int accepted = new JsonObject(o.body()).getInteger("accepted");
                expected.addAll(o.sent().times().subList(0, accepted));
            }
        }
        assertThat(storedTimes("FUZZ-1")).isEqualTo(expected);
        assertThat(expected).as("the generator also produced valid requests").hasSizeGreaterThan(300);
        assertThat(outcomes.stream().filter(o -> o.status() == 400).count()).isGreaterThan(500);

        assertThat(steady.failures).as("the valid device's requests").isEmpty();
        assertThat(steady.sent).hasSizeGreaterThan(20);
        assertThat(storedTimes("STEADY-1")).isEqualTo(new HashSet<>(steady.sent));
        assertThat(seconds).as("fuzzing took too long").isLessThan(60);
    }

    private static boolean namesAField(String body) {
        try {
            return new JsonObject(body).getValue("field") instanceof String;
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    private Set<Instant> storedTimes(String unitId) throws Exception {
        Set<Instant> times = new HashSet<>();
        for (Row row : node.sql("SELECT time FROM positions WHERE unit_id = $1", unitId)) {
            times.add(row.getOffsetDateTime("time").toInstant());
        }
        return times;
    }

    private Future<HttpResponse<Buffer>> send(Case c) {
        HttpRequest<Buffer> request = node.http.post(c.path()).timeout(15_000);
        if (c.token() != null) {
            request.bearerTokenAuthentication(c.token());
        }
        if (c.contentType() != null) {
            request.putHeader("Content-Type", c.contentType());
        }
        if (c.encoding() != null) {
            request.putHeader("Content-Encoding", c.encoding());
        }
        return request.sendBuffer(c.body());
    }

    // ---- positions ----

    private Case positionCase(Random random, int caseIndex) throws Exception {
        int count = 1 + random.nextInt(4);
        List<JsonObject> items = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant time = BASE.plusSeconds(caseIndex * 10L + i).plusMillis(random.nextInt(1000));
            times.add(time);
            items.add(validFix("FUZZ-1", time, random));
        }
        // Raw JSON text replaces these markers after encoding, for values no JsonObject would write.
        Map<String, String> raw = new HashMap<>();
        String token = random.nextInt(15) == 0 ? admin : fuzzKey;
        boolean mustFail = false;
        // At most one change per fix, so no second change can undo what made the first one invalid.
        List<JsonObject> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, random);
        int mutations = random.nextInt(10) < 4 ? 0 : Math.min(count, 1 + random.nextInt(2));
        for (int m = 0; m < mutations; m++) {
            mustFail |= mutate(shuffled.get(m), random, raw, token.equals(admin));
        }
        boolean ndjson = random.nextInt(5) == 0;
        String text;
        if (ndjson) {
            StringBuilder lines = new StringBuilder();
            for (JsonObject item : items) {
                lines.append(item.encode()).append(random.nextBoolean() ? "\n" : "\r\n");
            }
            text = lines.toString();
        } else if (count == 1 && random.nextBoolean()) {
            text = items.get(0).encode();
        } else {
            text = new JsonArray(new ArrayList<>(items)).encode();
        }
        for (Map.Entry<String, String> e : raw.entrySet()) {
            text = text.replace("\"" + e.getKey() + "\"", e.getValue());
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int damage = random.nextInt(20);
        if (damage == 0) {
            bytes = insert(bytes, random.nextInt(bytes.length), (byte) (random.nextBoolean() ? 0x01 : 0x00));
            mustFail = true;
        } else if (damage == 1) {
            bytes = insert(bytes, random.nextInt(bytes.length), (byte) (0x80 + random.nextInt(0x40)));
            mustFail = true;
        } else if (damage == 2 && !ndjson) {
            bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
            mustFail = true;
        } else if (damage == 3 && ndjson) {
            // Whole lines before the cut are a valid request; whether they hold the invalid fix is left open.
            bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
            mustFail = false;
        } else if (damage == 4) {
            bytes = formOrJunk(random);
            mustFail = true;
        }
        String contentType = ndjson ? (random.nextInt(6) == 0 ? "application/json" : "application/x-ndjson")
                : CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        if (ndjson && count > 1 && "application/json".equals(contentType)) {
            mustFail = true;
        }
        Coded coded = encode(Buffer.buffer(bytes), random);
        return new Case("/api/v1/positions", token, contentType, coded.encoding(), coded.body(), times,
                mustFail || coded.mustFail());
    }

    static JsonObject validFix(String unitId, Instant time, Random random) {
        JsonObject fix = new JsonObject().put("unitId", unitId).put("time", time.toString())
                .put("lat", 31.0 + random.nextDouble()).put("lon", -106.0 - random.nextDouble());
        if (random.nextBoolean()) {
            fix.put("speed", random.nextDouble() * 30).put("heading", random.nextDouble() * 359.9)
                    .put("alt", random.nextDouble() * 2000).put("accuracy", random.nextDouble() * 10)
                    .put("battery", random.nextDouble() * 100);
        }
        if (random.nextBoolean()) {
            fix.put("attributes", new JsonObject().put("sensor", "eo/ir").put("seq", random.nextInt(1000))
                    .put("tags", new JsonArray().add("a").add("\u00fcber")));
        }
        return fix;
    }

    /** Changes one field of {@code fix}; true when the result must be refused. */
    private static boolean mutate(JsonObject fix, Random random, Map<String, String> raw, boolean asAdmin) {
        String[] fields = {"unitId", "time", "lat", "lon", "speed", "heading", "alt", "accuracy", "battery",
            "attributes", "extra"};
        String field = fields[random.nextInt(fields.length)];
        switch (random.nextInt(6)) {
            case 0 -> {
                if (field.equals("extra")) {
                    return false;
                }
                fix.remove(field);
                return field.equals("unitId") || field.equals("time") || field.equals("lat") || field.equals("lon");
            }
            case 1 -> {
                if (field.equals("time")) {
                    // The same instant written with another offset: still this case's fix.
                    Instant time = Instant.parse(fix.getString("time"));
                    fix.put("time", OffsetDateTime.ofInstant(time, ZoneOffset.ofHours(random.nextInt(25) - 12))
                            .toString());
                    return false;
                }
                String marker = "@@raw" + raw.size() + "@@";
                String value = RAW_VALUES[random.nextInt(RAW_VALUES.length)];
                raw.put(marker, value);
                fix.put(field, marker);
                return !rawIsValidFor(field, value);
            }
            case 2 -> {
                if (field.equals("attributes") || field.equals("extra")) {
                    fix.put(field, bigAttributes(random));
                    return field.equals("attributes");
                }
                fix.put(field, "\u0000" + field);
                return !field.equals("extra");
            }
            case 3 -> {
                double[] edges = {90, -90, 180, -180, 90.0001, -180.0001, 359.999, 360, -0.0, 1e308, -1e-9};
                double value = edges[random.nextInt(edges.length)];
                if (!isNumeric(field)) {
                    fix.put(field, value);
                    return field.equals("unitId") || field.equals("time") || field.equals("attributes");
                }
                fix.put(field, value);
                return !numberIsValidFor(field, value);
            }
            case 4 -> {
                String marker = "@@raw" + raw.size() + "@@";
                raw.put(marker, "[".repeat(1500) + "]".repeat(1500));
                fix.put(field, marker);
                return true;
            }
            default -> {
                // A device key may not report another unit; an admin may, so it gets a unit that does not exist.
                fix.put("unitId", !asAdmin && random.nextBoolean() ? "STEADY-1" : "NO-SUCH-UNIT");
                return true;
            }
        }
    }

    private static boolean isNumeric(String field) {
        return Set.of("lat", "lon", "speed", "heading", "alt", "accuracy", "battery").contains(field);
    }

    private static boolean numberIsValidFor(String field, double value) {
        return switch (field) {
            case "lat" -> value >= -90 && value <= 90;
            case "lon" -> value >= -180 && value <= 180;
            case "speed", "accuracy" -> value >= 0;
            case "heading" -> value >= 0 && value < 360;
            default -> true;
        };
    }

    private static boolean rawIsValidFor(String field, String value) {
        if (value.equals("NaN")) {
            return false; // not JSON at all
        }
        if (field.equals("extra")) {
            return true; // unknown fields are ignored
        }
        if (field.equals("unitId") || field.equals("time")) {
            return false;
        }
        if (field.equals("attributes")) {
            return value.equals("null") || value.equals("{}") || value.startsWith("{\"ok\"");
        }
        if (value.equals("null")) {
            return !field.equals("lat") && !field.equals("lon");
        }
        try {
            double number = Double.parseDouble(value);
            return Double.isFinite(number) && numberIsValidFor(field, number);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static JsonObject bigAttributes(Random random) {
        JsonObject attributes = new JsonObject();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = 0; i < 65 + random.nextInt(100); i++) {
                    attributes.put("k" + i, i);
                }
            }
            case 1 -> attributes.put("blob", "x".repeat(8_200 + random.nextInt(20_000)));
            default -> attributes.put("a", new JsonObject().put("b", new JsonObject().put("c",
                    new JsonObject().put("d", new JsonArray().add(1)))));
        }
        return attributes;
    }

    // ---- other routes ----

    private Case otherRouteCase(Random random) throws Exception {
        JsonObject base;
        String path;
        String token = admin;
        switch (random.nextInt(6)) {
            case 0 -> {
                path = "/api/v1/login";
                token = null;
                base = new JsonObject().put("username", "fuzz-" + random.nextInt(5)).put("password", "wrong-pass-x");
            }
            case 1 -> {
                path = "/api/v1/users";
                base = new JsonObject().put("username", "u" + random.nextInt(1_000_000))
                        .put("password", "long enough password").put("role", "viewer");
            }
            case 2 -> {
                path = "/api/v1/units";
                base = new JsonObject().put("id", "F-" + random.nextInt(1_000_000)).put("name", "fuzz")
                        .put("type", "foot");
            }
            case 3 -> {
                path = "/api/v1/webhooks";
                base = new JsonObject().put("url", "http://192.0.2.1:9/h").put("secret", "long-enough-secret")
                        .put("types", new JsonArray().add("enter"));
            }
            case 4 -> {
                path = "/api/v1/geofences";
                base = new JsonObject().put("type", "Feature")
                        .put("geometry", new JsonObject().put("type", "Point")
                                .put("coordinates", new JsonArray().add(-106.4).add(31.7)))
                        .put("properties", new JsonObject().put("name", "fuzz").put("radiusMeters", 100));
            }
            default -> {
                path = "/api/v1/alerts/" + alertId + "/ack";
                base = new JsonObject().put("comment", "seen");
            }
        }
        Map<String, String> raw = new HashMap<>();
        if (random.nextBoolean()) {
            List<String> keys = new ArrayList<>(base.fieldNames());
            String key = random.nextInt(5) == 0 ? "extra" : keys.get(random.nextInt(keys.size()));
            String marker = "@@raw0@@";
            raw.put(marker, RAW_VALUES[random.nextInt(RAW_VALUES.length)]);
            base.put(key, marker);
        }
        String text = base.encode();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            text = text.replace("\"" + e.getKey() + "\"", e.getValue());
        }
        byte[] bytes = random.nextInt(6) == 0 ? formOrJunk(random) : text.getBytes(StandardCharsets.UTF_8);
        Coded coded = encode(Buffer.buffer(bytes), random);
        return new Case(path, token, CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)], coded.encoding(),
                coded.body(), List.of(), false);
    }

    // ---- bodies and codings ----

    private static byte[] formOrJunk(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "unitId=FUZZ-1&lat=31.7&lon=-106.4&time=now".getBytes(StandardCharsets.UTF_8);
            case 1 -> ("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            case 2 -> new byte[0];
            case 3 -> "   \n\t ".getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] junk = new byte[1 + random.nextInt(3000)];
                random.nextBytes(junk);
                yield junk;
            }
        };
    }

    private record Coded(String encoding, Buffer body, boolean mustFail) {
    }

    private static Coded encode(Buffer plain, Random random) throws Exception {
        int pick = random.nextInt(100);
        if (pick < 50) {
            return new Coded(null, plain, false);
        }
        if (pick < 70) {
            return new Coded(random.nextBoolean() ? "gzip" : "GZip", RequestBodiesIT.gzip(plain), false);
        }
        if (pick < 77) {
            return new Coded("deflate", RequestBodiesIT.deflate(plain, false), false);
        }
        if (pick < 82) {
            return new Coded("deflate", RequestBodiesIT.deflate(plain, true), false);
        }
        if (pick < 87) {
            // Corrupt, yet checked: gzip's CRC-32 catches what the inflater lets through.
            // Not the last deflate byte: its padding bits are ignored by every inflater, so a flip there is no damage.
            byte[] gzip = RequestBodiesIT.gzip(plain).getBytes();
            int data = gzip.length - 19;
            int at = data > 0 && random.nextBoolean() ? 10 + random.nextInt(data) : gzip.length - 8 + random.nextInt(8);
            gzip[at] ^= (byte) (1 + random.nextInt(255));
            return new Coded("gzip", Buffer.buffer(gzip), true);
        }
        if (pick < 90) {
            byte[] gzip = RequestBodiesIT.gzip(plain).getBytes();
            return new Coded("gzip", Buffer.buffer(gzip).slice(0, random.nextInt(gzip.length - 1)), true);
        }
        if (pick < 93) {
            String[] unknown = {"br", "compress", "zstd", "gzip, br", "x-unknown", "gzip;q=1"};
            return new Coded(unknown[random.nextInt(unknown.length)], plain, true);
        }
        if (pick < 96) {
            boolean sayGzip = random.nextBoolean();
            boolean isGzip = random.nextBoolean();
            return new Coded(sayGzip ? " identity , gzip" : "identity", isGzip ? RequestBodiesIT.gzip(plain) : plain,
                    sayGzip != isGzip);
        }
        if (pick < 98) {
            // A small bomb: 17 MB of zeros in a few kilobytes.
            return new Coded("gzip", RequestBodiesIT.gzipOfZeros(17L << 20), true);
        }
        return new Coded("gzip", RequestBodiesIT.gzip(Buffer.buffer(new byte[1 + random.nextInt(1000)])), true);
    }

    private static byte[] insert(byte[] bytes, int at, byte value) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
        return out;
    }

    private static String preview(Buffer body) {
        String text = body.toString(StandardCharsets.ISO_8859_1);
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** The valid device: batches of fixes one after another, in the codings clients use, until fuzzing ends. */
    private final class Steady {

        final List<Instant> sent = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final Random random = new Random(SEED + 1);
        private int batch;

        Future<Void> run(AtomicBoolean going) {
            Promise<Void> done = Promise.promise();
            node.vertx.runOnContext(v -> next(going, done));
            return done.future();
        }

        private void next(AtomicBoolean going, Promise<Void> done) {
            if (!going.get()) {
                done.complete();
                return;
            }
            int n = batch++;
            JsonArray fixes = new JsonArray();
            List<Instant> times = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Instant time = BASE.plusSeconds(n * 5L + i);
                times.add(time);
                fixes.add(validFix("STEADY-1", time, random));
            }
            HttpRequest<Buffer> request = node.http.post("/api/v1/positions").timeout(15_000)
                    .bearerTokenAuthentication(steadyKey);
            Buffer body = fixes.toBuffer();
            try {
                switch (n % 4) {
                    case 0 -> request.putHeader("Content-Type", "application/json");
                    case 1 -> request.putHeader("Content-Type", "application/x-www-form-urlencoded");
                    case 2 -> {
                        request.putHeader("Content-Encoding", "gzip");
                        body = RequestBodiesIT.gzip(body);
                    }
                    default -> {
                        StringBuilder lines = new StringBuilder();
                        fixes.forEach(f -> lines.append(((JsonObject) f).encode()).append('\n'));
                        request.putHeader("Content-Type", "application/x-ndjson");
                        body = RequestBodiesIT.deflate(Buffer.buffer(lines.toString()), false);
                        request.putHeader("Content-Encoding", "deflate");
                    }
                }
            } catch (IOException e) {
                done.fail(e);
                return;
            }
            request.sendBuffer(body).onComplete(ar -> {
                if (ar.succeeded() && ar.result().statusCode() == 202) {
                    sent.addAll(times);
                } else {
                    failures.add(ar.succeeded() ? ar.result().statusCode() + " " + ar.result().bodyAsString()
                            : String.valueOf(ar.cause()));
                }
                next(going, done);
            });
        }
    }
}
