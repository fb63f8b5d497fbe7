package org.borderwatch.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.db.Database;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import java.io.StringReader;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

/** The limits every result is read against: COPY (storage), a 204 server (HTTP) and the naive design. */
final class Baselines {

    private static final java.util.concurrent.atomic.AtomicInteger FAILURES_LOGGED =
            new java.util.concurrent.atomic.AtomicInteger();

    private Baselines() {
    }

    /**
     * PostgreSQL COPY of {@code rows} position rows shaped as the node stores them (unit, time, point, speed,
     * heading) into the same positions table, one statement over JDBC; rows/s from the COPY's own time.
     */
    static double copy(String dbUrl, int rows) throws Exception {
        URI uri = URI.create(dbUrl);
        String[] user = uri.getUserInfo().split(":", 2);
        StringBuilder data = new StringBuilder(rows * 90);
        Random random = new Random(3);
        long t0 = System.currentTimeMillis() - rows;
        for (int i = 0; i < rows; i++) {
            data.append("B-").append(i % 10_000).append('\t').append(Instant.ofEpochMilli(t0 + i)).append('\t')
                    .append("SRID=4326;POINT(").append(-117.0 + random.nextDouble() * 19.8).append(' ')
                    .append(25.9 + random.nextDouble() * 6.8).append(")\t12.5\t90.0\n");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":"
                + uri.getPort() + uri.getPath(), user[0], user[1])) {
            CopyManager copy = new CopyManager(connection.unwrap(BaseConnection.class));
            long start = System.nanoTime();
            long copied = copy.copyIn("COPY positions (unit_id, time, geom, speed, heading) FROM STDIN",
                    new StringReader(data.toString()));
            double seconds = (System.nanoTime() - start) / 1e9;
            return copied / seconds;
        }
    }

    /** The HTTP limit: reads each request's body whole and answers 204, storing nothing. */
    static Future<String> nullServer(Vertx vertx, int port) {
        return vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer().requestHandler(request -> request.body()
                                .onSuccess(body -> request.response().setStatusCode(204).end())
                                .onFailure(e -> request.response().setStatusCode(400).end()))
                        .listen(port, "127.0.0.1").<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(2));
    }

    /**
     * The naive design on the same schema and fences: for each position of a request, one INSERT (its own commit)
     * then one {@code ST_Intersects} against the fences (through the fences' indexed box, as a careful naive server
     * would), one position after the other; 202 when all are done. Parses the same JSON the node accepts, checks
     * nothing else (no auth, no validation, no alerts).
     */
    static Future<String> naiveServer(Vertx vertx, String dbUrl, int port, int connections) {
        Pool pool = Database.fromUrl(dbUrl).pool(vertx, connections);
        return vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer().requestHandler(request -> request.body()
                                .compose(body -> naive(pool, body))
                                .onSuccess(n -> request.response().setStatusCode(202)
                                        .end(new JsonObject().put("accepted", n).encode()))
                                .onFailure(e -> fail(request, e)))
                        .listen(port, "127.0.0.1").<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(2));
    }

    private static void fail(HttpServerRequest request, Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (FAILURES_LOGGED.getAndIncrement() < 3) {
            e.printStackTrace();
        }
        request.response().setStatusCode(500).end(message.substring(0, Math.min(100, message.length())));
    }

    static final String NAIVE_INSERT = """
            INSERT INTO positions (unit_id, time, geom, speed, heading)
            VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6)
            ON CONFLICT (unit_id, time) DO NOTHING""";

    static final String NAIVE_INTERSECTS = """
            SELECT id FROM geofences
            WHERE deleted_at IS NULL AND search && ST_SetSRID(ST_MakePoint($1, $2), 4326)
              AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))""";

    private static Future<Integer> naive(Pool pool, Buffer body) {
        List<JsonObject> items = new java.util.ArrayList<>();
        if (body.length() > 0 && body.getByte(0) == '[') {
            JsonArray array = body.toJsonArray();
            for (int i = 0; i < array.size(); i++) {
                items.add(array.getJsonObject(i));
            }
        } else {
            items.add(body.toJsonObject());
        }
        Future<Void> chain = Future.succeededFuture();
        for (JsonObject p : items) {
            double lon = p.getDouble("lon");
            double lat = p.getDouble("lat");
            OffsetDateTime time = OffsetDateTime.ofInstant(Instant.parse(p.getString("time")), ZoneOffset.UTC);
            chain = chain.compose(v -> pool.preparedQuery(NAIVE_INSERT).execute(Tuple.of(p.getString("unitId"), time,
                            lon, lat, p.getDouble("speed"), p.getDouble("heading")))
                    .compose(r -> pool.preparedQuery(NAIVE_INTERSECTS).execute(Tuple.of(lon, lat)))
                    .mapEmpty());
        }
        return chain.map(v -> items.size());
    }
}
