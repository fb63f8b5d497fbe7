package org.borderwatch.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place failures become HTTP: client errors with their field, everything else a logged 500. */
public final class Responses {

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
    private static final String JSON = "application/json";

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
            json(ctx, api.status(), api.toJson());
        } else if (cause instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            json(ctx, 409, new ApiException(409, "already exists", null, null).toJson());
        } else if (cause instanceof UnavailableException) {
            ctx.response().putHeader("Retry-After", "1");
            json(ctx, 503, new ApiException(503, cause.getMessage(), null, null).toJson());
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), cause);
            json(ctx, 500, new ApiException(500, "internal error", null, null).toJson());
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
