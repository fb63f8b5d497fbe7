package org.borderwatch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real node for integration tests: the real PostGIS (the test database that {@code ./test.sh} provisions, or
 * {@code BW_DB_URL}), a fresh schema state per test, and an HTTP client that speaks to it.
 */
public final class TestNode {

    public static final String DB_URL = System.getenv().getOrDefault("BW_DB_URL",
            "postgresql://borderwatch:borderwatch@127.0.0.1:55432/borderwatch_test");
    public static final String ADMIN_PASSWORD = "test-admin-password";
    private static boolean migrated;

    public final Vertx vertx;
    public final int port;
    public final WebClient http;
    public final Pool db;
    private String adminToken;
    private WebSocketClient webSockets;

    private TestNode(Vertx vertx, int port, String tlsCert) {
        this.vertx = vertx;
        this.port = port;
        WebClientOptions client = new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port);
        if (tlsCert != null) {
            // A node with BW_TLS_CERT speaks HTTPS only: the helper trusts exactly the node's own certificate.
            client.setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(tlsCert));
        }
        this.http = WebClient.create(vertx, client);
        this.db = Database.fromUrl(DB_URL).pool(vertx, 2);
    }

    /**
     * Migrates once per JVM and empties every table but the token key and the append-only audit log (tests read it by
     * time), so each test starts from nothing.
     */
    public static synchronized void resetDatabase(Vertx vertx) throws Exception {
        Database database = Database.fromUrl(DB_URL);
        if (!migrated) {
            database.migrate();
            migrated = true;
        }
        Pool pool = database.pool(vertx, 1);
        try {
            await(pool.query("TRUNCATE users, units, positions, unit_state, geofences, geofence_state, alerts, "
                    + "webhooks, webhook_deliveries, shares, revoked_tokens, login_failures, detections, contacts, "
                    + "contact_positions, contact_fence_state")
                    .execute());
            await(pool.query("DELETE FROM agencies WHERE id <> 'root'").execute());
        } finally {
            await(pool.close());
        }
    }

    /** Starts a node on a free port (or {@code BW_HTTP_PORT} of {@code env}), with {@code env} on top of the defaults. */
    public static TestNode start(Vertx vertx, Map<String, String> env) throws Exception {
        // A test restarting a node passes the port it had, so clients reconnect to the same address.
        int port = env.containsKey("BW_HTTP_PORT") ? Integer.parseInt(env.get("BW_HTTP_PORT")) : freePort();
        Map<String, String> settings = new HashMap<>(Map.of(
                "BW_DB_URL", DB_URL,
                "BW_HTTP_PORT", String.valueOf(port),
                "BW_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "BW_MQTT_PORT", "0",
                "BW_OSMAND_PORT", "0",
                "BW_COT_PORT", "0",
                "BW_COT_TLS_PORT", "0",
                // Test fixes carry fixed times, often hours old: no silence alerts unless a test asks for them.
                "BW_STALE_SECONDS", "31536000"));
        settings.putAll(env);
        await(Borderwatch.deploy(vertx, Config.from(settings), ClusterView.single()));
        return new TestNode(vertx, port, settings.get("BW_TLS_CERT"));
    }

    public static TestNode start(Vertx vertx) throws Exception {
        return start(vertx, Map.of());
    }

    /** A new Vert.x, an emptied database and a node on it: the usual start of a test. */
    public static TestNode fresh(Map<String, String> env) throws Exception {
        Vertx vertx = Vertx.vertx();
        resetDatabase(vertx);
        return start(vertx, env);
    }

    public static TestNode fresh() throws Exception {
        return fresh(Map.of());
    }

    /**
     * A port nobody listens on, never one handed out before in this JVM: a test takes several (MQTT, CoT, then the
     * node's HTTP) before any is bound, and the kernel may offer a free port twice; an HTTP request sent to the CoT
     * port then fails with a closed connection.
     */
    public static synchronized int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    public String adminToken() throws Exception {
        if (adminToken == null) {
            adminToken = login("admin", ADMIN_PASSWORD);
        }
        return adminToken;
    }

    public String login(String user, String password) throws Exception {
        HttpResponse<Buffer> response = await(http.post("/api/v1/login")
                .sendJsonObject(new JsonObject().put("username", user).put("password", password)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + response.statusCode() + " " + response.bodyAsString());
        }
        return response.bodyAsJsonObject().getString("token");
    }

    /** Creates a unit as admin and returns its device key. */
    public String createUnit(String id, String type) throws Exception {
        HttpResponse<Buffer> response = await(http.post("/api/v1/units").bearerTokenAuthentication(adminToken())
                .sendJsonObject(new JsonObject().put("id", id).put("name", id).put("type", type)));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("unit not created: " + response.bodyAsString());
        }
        return response.bodyAsJsonObject().getString("deviceKey");
    }

    /** Creates a user as admin (viewer, operator or admin). */
    public void createUser(String username, String password, String role) throws Exception {
        HttpResponse<Buffer> response = post("/api/v1/users", adminToken(), new JsonObject().put("username", username)
                .put("password", password).put("role", role));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("user not created: " + response.bodyAsString());
        }
    }

    /** Waits up to 10 s for {@code query} to count at least {@code expected}; returns the last count. */
    public long awaitCount(long expected, String query, Object... params) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        long count = count(query, params);
        while (count < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            count = count(query, params);
        }
        return count;
    }

    public HttpResponse<Buffer> post(String path, String token, Object body) throws Exception {
        var request = http.post(path).bearerTokenAuthentication(token);
        return await(body instanceof JsonObject json ? request.sendJsonObject(json)
                : body instanceof JsonArray array ? request.sendJson(array)
                : request.sendBuffer(Buffer.buffer(String.valueOf(body))));
    }

    /** Creates a geofence as admin and returns its id. */
    public String createFence(JsonObject feature) throws Exception {
        return createFenceAs(adminToken(), feature);
    }

    /** Creates a geofence as the holder of {@code token} (its agency's) and returns its id. */
    public String createFenceAs(String token, JsonObject feature) throws Exception {
        HttpResponse<Buffer> created = post("/api/v1/geofences", token, feature);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("geofence not created: " + created.bodyAsString());
        }
        return created.bodyAsJsonObject().getString("id");
    }

    /** The types of the unit's alerts in the order they were detected. */
    public List<String> alertTypes(String unit) throws Exception {
        List<String> types = new ArrayList<>();
        sql("SELECT type FROM alerts WHERE unit_id = $1 ORDER BY detected_at, time", unit)
                .forEach(row -> types.add(row.getString("type")));
        return types;
    }

    public HttpResponse<Buffer> put(String path, String token, JsonObject body) throws Exception {
        return await(http.put(path).bearerTokenAuthentication(token).sendJsonObject(body));
    }

    public HttpResponse<Buffer> delete(String path, String token) throws Exception {
        return await(http.delete(path).bearerTokenAuthentication(token).send());
    }

    public HttpResponse<Buffer> get(String path, String token) throws Exception {
        return await(http.get(path).bearerTokenAuthentication(token).send());
    }

    /** The value of an unlabelled metric from {@code GET /metrics}. */
    public double metric(String name) throws Exception {
        for (String row : await(http.get("/metrics").send()).bodyAsString().split("\n")) {
            if (row.startsWith(name + " ")) {
                return Double.parseDouble(row.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name);
    }

    public RowSet<Row> sql(String query, Object... params) throws Exception {
        return await(db.preparedQuery(query).execute(Tuple.wrap(params)));
    }

    /**
     * Stores {@code count} fixes of {@code unit} straight into positions, one a second after {@code start} (the
     * first at start + 1 s), moving east, speed 0–6: a long history without posting it.
     */
    public void storeEverySecond(String unit, java.time.Instant start, int count) throws Exception {
        sql("INSERT INTO positions (unit_id, time, geom, speed) SELECT $1, $2::timestamptz + make_interval(secs => i), "
                + "ST_SetSRID(ST_MakePoint(-106 + i * 1e-6, 31), 4326), i % 7 FROM generate_series(1, $3) AS i",
                unit, java.time.OffsetDateTime.parse(start.toString()), count);
    }

    public long count(String query, Object... params) throws Exception {
        return sql(query, params).iterator().next().getLong(0);
    }

    /**
     * A WebSocket on {@code uri} (with its query) whose text frames go to {@code onText} from the very first: the
     * handler is set before the handshake, so a frame arriving with the upgrade's answer is not missed, and the client
     * is held by this node, so the collector cannot take it with a handshake in flight.
     */
    public WebSocket socket(String uri, Consumer<String> onText) throws Exception {
        if (webSockets == null) {
            webSockets = vertx.createWebSocketClient();
        }
        ClientWebSocket socket = webSockets.webSocket();
        socket.textMessageHandler(onText::accept);
        return await(socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)));
    }

    public void close() throws Exception {
        await(vertx.close());
    }
}
