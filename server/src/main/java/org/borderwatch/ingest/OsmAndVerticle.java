package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.auth.DeviceKeys;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;
import org.borderwatch.http.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * The OsmAnd / Traccar Client front door ({@link OsmAndDecoder} says what it accepts): {@code GET} or {@code POST}
 * on any path. 200 with an empty body once the fix is durable, as Traccar answers; 400 {@code {"error","field"}}
 * for bad input, 403 for an unknown key, 405 for other methods, 413 beyond {@link #MAX_BODY_BYTES}, 503 with
 * {@code Retry-After} when the position store cannot take the fix now. Every request gets an answer.
 */
public final class OsmAndVerticle extends DoorVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(OsmAndVerticle.class);
    /** A fix is a few hundred bytes; the bound keeps a body's decoding on the event loop short. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** After a 413 the rest of the body is read and dropped up to this much, so the client sees the answer. */
    private static final int MAX_DISCARD_BYTES = 1024 * 1024;
    /** A client that stops sending mid-request is closed after this, instead of holding a connection. */
    private static final int IDLE_TIMEOUT_SECONDS = 30;
    private static final long WARN_EVERY_MS = 10_000;

    private final OsmAndDecoder decoder = new OsmAndDecoder(Clock.systemUTC());
    private long lastWarn;
    private long unwarned;

    public OsmAndVerticle(Doors doors) {
        super(doors);
    }

    @Override
    protected Future<?> open() {
        Router router = Router.router(vertx);
        router.route().handler(doors.drain().gate()).handler(this::handle).failureHandler(Responses::onFailure);
        // HTTP/1.1 only, as Traccar's door: no client upgrades to h2c, and a 413 may close the connection it is on.
        return vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                        .setHttp2ClearTextEnabled(false))
                .requestHandler(router)
                .listen(doors.config().osmandPort())
                .onSuccess(s -> {
                    onStop(s::close);
                    LOG.info("OsmAnd protocol on port {}", s.actualPort());
                });
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
            ctx.response().putHeader(HttpHeaders.ALLOW, "GET, POST");
            ctx.fail(405);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean[] keepConnection = {false};
        if (declaredTooLarge(length)) {
            tooLarge(ctx);
        } else if (admitted(ctx, request, length)) {
            if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                ctx.response().writeContinue();
            }
        } else {
            keepConnection[0] = true; // refused before the body: it is small, read and dropped below
        }
        Buffer body = Buffer.buffer();
        long[] discarded = {0};
        request.exceptionHandler(e -> LOG.debug("OsmAnd request failed: {}", e.toString()));
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                discarded[0] += chunk.length();
                if (discarded[0] > MAX_DISCARD_BYTES) {
                    request.connection().close();
                }
            } else if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                tooLarge(ctx);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.end().onSuccess(v -> {
            if (!ctx.response().ended()) {
                store(ctx, request, body);
            } else if (!keepConnection[0]) {
                request.connection().close(); // after a 413: the answer is out, the body read
            }
        });
    }

    /**
     * Admission control on the request's head (the key in the query string is the device, as Traccar Client sends
     * it): true when the request may go on; else it was answered 429 or 503 with {@code Retry-After}.
     */
    private boolean admitted(RoutingContext ctx, HttpServerRequest request, String length) {
        Admission.Ticket ticket;
        try {
            ticket = doors.admission().admit(deviceKey(request), PositionApi.declaredLength(length));
        } catch (ApiException refused) {
            Responses.fail(ctx, refused);
            return false;
        }
        ctx.addEndHandler(ar -> ticket.release());
        return true;
    }

    /** The key in the query string, or null (a key in a body, or a query the decoder will refuse with its 400). */
    private static String deviceKey(HttpServerRequest request) {
        try {
            String key = request.getParam("id");
            return key != null ? key : request.getParam("deviceid");
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static boolean declaredTooLarge(String length) {
        try {
            return length != null && Long.parseLong(length.trim()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false; // the HTTP codec has already refused a Content-Length that is not a number
        }
    }

    private void store(RoutingContext ctx, HttpServerRequest request, Buffer body) {
        OsmAndDecoder.Decoded decoded;
        try {
            decoded = decoder.decode(request.uri(), request.getHeader(HttpHeaders.CONTENT_TYPE), body);
        } catch (RuntimeException e) {
            Responses.fail(ctx, e); // bad input, or a 500 logged with its cause: answered either way
            return;
        }
        DeviceKeys.principal(doors.units(), decoded.key())
                .recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
                        ? ApiException.forbidden("unknown device key") : e))
                .compose(device -> {
                    JsonObject item = decoded.position().put("unitId", device.unitId());
                    return submit(device, List.of(parser.parse(item, 0)));
                })
                .onSuccess(n -> ctx.response().setStatusCode(200).end())
                .onFailure(e -> Responses.fail(ctx, outcome(e)));
    }

    /** Client mistakes keep their status (without the index a single fix has no use for); the rest is "retry". */
    private Throwable outcome(Throwable e) {
        if (e instanceof ApiException api) {
            JsonObject json = api.toJson();
            return new ApiException(api.status(), json.getString("error"), json.getString("field"), null);
        }
        long now = System.currentTimeMillis();
        unwarned++;
        if (now - lastWarn >= WARN_EVERY_MS) {
            String cause = String.valueOf(e);
            LOG.warn("OsmAnd: {} fix(es) refused with 503 since the last warning; latest cause: {}", unwarned,
                    cause.length() > 200 ? cause.substring(0, 200) + "…" : cause);
            lastWarn = now;
            unwarned = 0;
        }
        return e instanceof UnavailableException ? e : new UnavailableException("position store unavailable, "
                + "retry shortly");
    }

    private static void tooLarge(RoutingContext ctx) {
        if (!ctx.response().ended()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            Responses.fail(ctx, new ApiException(413, "request body larger than " + MAX_BODY_BYTES + " bytes",
                    "body", null));
        }
    }
}
