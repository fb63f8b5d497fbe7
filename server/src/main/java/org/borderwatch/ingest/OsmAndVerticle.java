package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.borderwatch.Times;
import org.borderwatch.auth.DeviceKeys;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.http.ApiException;
import org.borderwatch.track.Position;
import org.borderwatch.track.UnitRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The OsmAnd protocol as Traccar Client speaks it: {@code GET} or {@code POST} with the parameters {@code id, lat,
 * lon, timestamp, speed, bearing, altitude, accuracy, batt} in the query or a form-encoded body. {@code id} is the
 * unit's device key; speed is in knots; timestamp is Unix seconds or milliseconds or an ISO-8601 time, and the time
 * of arrival when absent, as in Traccar.
 * 200 once durable, 400 with the reason for bad input, 403 for an unknown key.
 */
public final class OsmAndVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(OsmAndVerticle.class);
    private static final double KNOTS_TO_MPS = 1852.0 / 3600.0;
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final int port;
    private final UnitRegistry units;
    private final ClusterView cluster;
    private final PositionParser parser = new PositionParser(Clock.systemUTC());
    private PositionIngest ingest;
    private HttpServer server;

    public OsmAndVerticle(int port, UnitRegistry units, ClusterView cluster) {
        this.port = port;
        this.units = units;
        this.cluster = cluster;
    }

    @Override
    public Future<?> start() {
        ingest = new PositionIngest(vertx, units, cluster);
        return vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(port)
                .onSuccess(s -> {
                    server = s;
                    LOG.info("OsmAnd protocol on port {}", s.actualPort());
                });
    }

    private void handle(HttpServerRequest request) {
        if (request.method().name().equals("POST")) {
            request.setExpectMultipart(true);
        }
        request.end().onComplete(ended -> {
            MultiMap params = MultiMap.caseInsensitiveMultiMap().addAll(request.params())
                    .addAll(request.formAttributes());
            DeviceKeys.principal(units, params.get("id"))
                    .recover(e -> Future.failedFuture(ApiException.forbidden("unknown device id")))
                    .compose(device -> ingest.submit(device, List.of(parse(device.unitId(), params))))
                    .onSuccess(n -> respond(request, 200, ""))
                    .onFailure(e -> {
                        int status = e instanceof ApiException api ? api.status() : 503;
                        if (status >= 500) {
                            LOG.warn("OsmAnd position not stored: {}", e.getMessage());
                        }
                        respond(request, status, e instanceof ApiException api ? api.toJson().encode()
                                : e.getMessage());
                    });
        });
    }

    /** Maps OsmAnd's parameters onto a position of {@code unitId} and validates it like any other. */
    private Position parse(String unitId, MultiMap params) {
        JsonObject item = new JsonObject().put("unitId", unitId).put("time", time(params.get("timestamp")));
        number(item, "lat", params.get("lat"), 1);
        number(item, "lon", params.get("lon"), 1);
        number(item, "speed", params.get("speed"), KNOTS_TO_MPS);
        number(item, "heading", params.get("bearing"), 1);
        number(item, "alt", params.get("altitude"), 1);
        number(item, "accuracy", params.get("accuracy"), 1);
        number(item, "battery", params.get("batt"), 1);
        if (item.getValue("heading") instanceof Double heading && heading == 360.0) {
            item.put("heading", 0.0);
        }
        return parser.parse(item, 0);
    }

    private static void number(JsonObject item, String field, String value, double factor) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            item.put(field, Double.parseDouble(value) * factor);
        } catch (NumberFormatException e) {
            item.put(field, value); // the parser reports it as "must be a number"
        }
    }

    private static String time(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return Times.format(Instant.now());
        }
        try {
            long number = Long.parseLong(timestamp.trim());
            return Times.format(number > 100_000_000_000L
                    ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number));
        } catch (DateTimeException | ArithmeticException outOfRange) {
            // A number no time can hold is the device's bad input, not the server's failure.
            throw ApiException.badRequest("timestamp is out of range", "time");
        } catch (NumberFormatException notANumber) {
            try {
                return Times.format(LocalDateTime.parse(timestamp.trim(), SPACED).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notSpaced) {
                return timestamp.trim(); // ISO-8601 or rejected by the parser
            }
        }
    }

    private static void respond(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
