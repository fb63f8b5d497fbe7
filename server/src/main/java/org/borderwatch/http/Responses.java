package org.borderwatch.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import org.borderwatch.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** The one place failures become HTTP: client errors with their field, everything else a logged 500. */
public final class Responses {

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
    private static final String JSON = "application/json";
    /** SQLSTATEs of text PostgreSQL cannot hold: 22021 a NUL or bad byte, 22P05 a character with no encoding. */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");
    private static final String DATABASE_RETRY_SECONDS = "5";
    private static final long OUTAGE_LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final AtomicLong LAST_OUTAGE_LOG = new AtomicLong(System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS);
    private static final AtomicLong OUTAGE_REQUESTS = new AtomicLong();

    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(String.valueOf(body));
    }

    /** Ends the request with the outcome of {@code result}: 200 (or {@code status}) with its JSON, or the error. */
    public static void reply(RoutingContext ctx, int status, Future<?> result) {
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, status, ar.result());
            } else {
                fail(ctx, ar.cause());
            }
        });
    }

    public static void fail(RoutingContext ctx, Throwable cause) {
        if (ctx.response().ended()) {
            return;
        }
        if (cause instanceof ApiException api) {
            if (api.retryAfterSeconds() != null) {
                ctx.response().putHeader("Retry-After", String.valueOf(api.retryAfterSeconds()));
            }
            json(ctx, api.status(), api.toJson());
        } else if (cause instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            json(ctx, 409, new ApiException(409, "already exists", null, null).toJson());
        } else if (cause instanceof PgException pg && "23503".equals(pg.getSqlState())) {
            // A reference to something that does not exist, e.g. an agency id: the constraint names the column.
            String constraint = String.valueOf(pg.getConstraint());
            String field = constraint.endsWith("_agency_fkey") ? "agency" : null;
            json(ctx, 400, ApiException.badRequest(field == null ? "refers to something that does not exist"
                    : "no such agency", field).toJson());
        } else if (cause instanceof PgException pg && UNSTORABLE_TEXT.contains(pg.getSqlState())) {
            // Only client text gets here (a NUL in a query parameter, say): the client's mistake, not ours.
            json(ctx, 400, ApiException.badRequest("the request holds text the database cannot store", null)
                    .toJson());
        } else if (cause instanceof UnavailableException) {
            ctx.response().putHeader("Retry-After", "1");
            json(ctx, 503, new ApiException(503, cause.getMessage(), null, null).toJson());
        } else if (Database.unreachable(cause)) {
            logOutage(cause);
            ctx.response().putHeader("Retry-After", DATABASE_RETRY_SECONDS);
            json(ctx, 503, new ApiException(503, "database unavailable, retry shortly", null, null).toJson());
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), cause);
            json(ctx, 500, new ApiException(500, "internal error", null, null).toJson());
        }
    }

    /** One line per ten seconds however many requests meet the outage, so an outage cannot fill the disk. */
    private static void logOutage(Throwable cause) {
        long now = System.nanoTime();
        long last = LAST_OUTAGE_LOG.get();
        long missed = OUTAGE_REQUESTS.incrementAndGet();
        if (now - last >= OUTAGE_LOG_INTERVAL_NANOS && LAST_OUTAGE_LOG.compareAndSet(last, now)) {
            OUTAGE_REQUESTS.addAndGet(-missed);
            LOG.warn("database unreachable ({}): {} requests answered 503 since the last report",
                    cause.getClass().getSimpleName(), missed);
        }
    }

    /** Router failure handler: a thrown exception or {@code ctx.fail(status)}. */
    public static void onFailure(RoutingContext ctx) {
        Throwable cause = ctx.failure();
        if (cause != null) {
            fail(ctx, cause);
        } else {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            String error = switch (status) {
                case 401 -> "authentication required";
                case 403 -> "forbidden";
                case 404 -> "not found";
                case 405 -> "method not allowed";
                case 413 -> "request body too large";
                default -> "request failed";
            };
            // BodyHandler's 413 is about the request body, named like any other bad body.
            String field = status == 413 ? "body" : null;
            json(ctx, status, new ApiException(status, error, field, null).toJson());
        }
    }
}
