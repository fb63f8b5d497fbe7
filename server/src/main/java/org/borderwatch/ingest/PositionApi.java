package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Secrets;
import org.borderwatch.http.BodyReader;
import org.borderwatch.http.Responses;
import org.borderwatch.track.Position;

import java.time.Clock;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * {@code POST /api/v1/positions}: one object, a JSON array, or NDJSON; 202 once every position is durable. Admission
 * control runs on the request's head, before its body is read ({@link Admission}); bodies larger than
 * {@link #INLINE_PARSE_BYTES} are parsed on a worker, so a multi-megabyte backfill never stalls the event loop that
 * answers everyone else.
 */
public final class PositionApi {

    /** Bodies up to this are parsed on the event loop (well under a millisecond); larger ones on a worker. */
    static final int INLINE_PARSE_BYTES = 256 * 1024;

    private final PositionIngest ingest;
    private final Admission admission;
    private final WorkerExecutor parsers;
    private final PositionParser parser = new PositionParser(Clock.systemUTC());

    /** {@code parsers}: the worker pool for large bodies, owned by the caller. */
    public PositionApi(PositionIngest ingest, Admission admission, WorkerExecutor parsers) {
        this.ingest = ingest;
        this.admission = admission;
        this.parsers = parsers;
    }

    /** Admission control: mounted before the body reader, so a refused request's body is never read into memory. */
    public void mountAdmission(Router router) {
        router.post("/api/v1/positions").handler(this::admit);
    }

    public void mount(Router router) {
        router.post("/api/v1/positions").handler(this::post);
    }

    private void admit(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        // A device key is the device: its bound applies before anyone looked the key up. A user's token (an admin
        // relaying for many units) counts against the node's bounds only.
        String device = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authorization.startsWith(Secrets.DEVICE_KEY_PREFIX, 7) ? authorization.substring(7).trim() : null;
        Admission.Ticket ticket;
        try {
            ticket = admission.admit(device, declaredLength(ctx.request().getHeader("Content-Length")));
        } catch (RuntimeException refused) {
            BodyReader.discardRest(ctx.request());
            Responses.fail(ctx, refused);
            return;
        }
        ctx.addEndHandler(ar -> ticket.release());
        ctx.put(BodyReader.BYTES_READ, (LongConsumer) ticket::grow);
        ctx.next();
    }

    private void post(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        String type = ctx.request().getHeader("Content-Type");
        Future<List<Position>> positions;
        if (body != null && body.length() > INLINE_PARSE_BYTES) {
            positions = parsers.executeBlocking(() -> parser.parse(body, type), false);
        } else {
            try {
                positions = Future.succeededFuture(parser.parse(body, type));
            } catch (RuntimeException e) {
                positions = Future.failedFuture(e);
            }
        }
        Responses.reply(ctx, 202, positions.compose(list -> ingest.submit(AuthApi.principal(ctx), list))
                .map(n -> new JsonObject().put("accepted", n)));
    }

    /** The declared body length, 0 when absent or unreadable (the body reader answers that one with 400). */
    static long declaredLength(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
