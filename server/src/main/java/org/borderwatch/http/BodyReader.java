package org.borderwatch.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongConsumer;

/**
 * Reads every {@code /api} request body into {@code ctx.body()} before the routes run, in place of Vert.x's
 * BodyHandler. That one decodes form encodings, and {@code curl -d '{json}'} sends JSON labelled as a form, which
 * failed inside its decoder as a 500. Here the bytes stay bytes whatever {@code Content-Type} says and each route
 * decides whether they are JSON, so a real form is that route's 400 naming the body. Bodies may be gzip or deflate
 * coded; the limit counts inflated bytes, so a small compressed bomb is a 413 like a large plain body.
 */
public final class BodyReader implements Handler<RoutingContext> {

    /**
     * A route may put a {@link LongConsumer} under this key before the body is read: it is told the body's length
     * (inflated) as it grows, e.g. to count it against admission control's bounds.
     */
    public static final String BYTES_READ = "bw.body.bytesRead";

    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
    /** A declared length is only a claim: buffers grow with the bytes that really arrive. */
    private static final int MAX_PREALLOCATED = 64 * 1024;

    private final long maxBytes;

    public BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        RoutingContextInternal internal = (RoutingContextInternal) ctx;
        if (internal.seenHandler(RoutingContextInternal.BODY_HANDLER)) {
            ctx.next(); // a re-route: the body was read already
            return;
        }
        // Marked as a body handler, so any BodyHandler a route adds later stands aside and never decodes forms.
        internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
        HttpServerRequest request = ctx.request();
        BodyInflater inflater;
        long declared;
        try {
            declared = declaredLength(request);
            boolean bodiless = declared == 0 || (declared < 0 && request.version() != HttpVersion.HTTP_2
                    && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null);
            // A coding only matters for a body: a GET that names one is no reason to refuse it.
            inflater = bodiless ? null : BodyInflater.forEncoding(request.getHeader(HttpHeaders.CONTENT_ENCODING));
        } catch (ApiException e) {
            discardRest(request);
            ctx.fail(e);
            return;
        }
        if (request.isEnded()) {
            internal.setBody(Buffer.buffer());
            request.resume(); // the router paused it; nothing is left to read, but leave the connection as found
            ctx.next();
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))
                && request.version() != HttpVersion.HTTP_1_0) {
            request.response().writeContinue();
        }
        Reading reading = new Reading(ctx, inflater, (int) Math.min(Math.max(declared, 0), MAX_PREALLOCATED),
                ctx.get(BYTES_READ));
        request.handler(reading::chunk);
        request.endHandler(v -> reading.end());
        request.exceptionHandler(reading::broken);
        request.resume();
    }

    /** The Content-Length, -1 when absent; a 413 when it alone says the body is too large, a 400 when unreadable. */
    private long declaredLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Content-Length is not a number", "body");
        }
        if (length > maxBytes) {
            throw tooLarge();
        }
        return length;
    }

    private ApiException tooLarge() {
        return new ApiException(413, "request body is larger than " + maxBytes + " bytes", "body", null);
    }

    /** After an early answer the rest of the body is read and dropped, so the connection can serve the next one. */
    public static void discardRest(HttpServerRequest request) {
        if (!request.isEnded()) {
            request.handler(chunk -> { });
            request.endHandler(null);
            request.exceptionHandler(e -> { });
            request.resume();
        }
    }

    /** One request's body as it arrives. */
    private final class Reading {

        private final RoutingContext ctx;
        private final BodyInflater inflater;
        private final Buffer body;
        private final LongConsumer bytesRead;
        private boolean done;

        Reading(RoutingContext ctx, BodyInflater inflater, int initialSize, LongConsumer bytesRead) {
            this.ctx = ctx;
            this.inflater = inflater;
            this.body = Buffer.buffer(Math.max(initialSize, 256));
            this.bytesRead = bytesRead;
        }

        void chunk(Buffer chunk) {
            if (done) {
                return; // answered already: the rest is dropped
            }
            try {
                if (inflater == null) {
                    append(chunk.getBytes(), chunk.length());
                } else {
                    inflater.write(chunk.getBytes(), this::append);
                }
            } catch (ApiException e) {
                stop(e);
            }
        }

        private void append(byte[] bytes, int length) {
            if (body.length() + (long) length > maxBytes) {
                throw tooLarge();
            }
            body.appendBytes(bytes, 0, length);
            if (bytesRead != null) {
                bytesRead.accept(body.length());
            }
        }

        void end() {
            if (done) {
                return;
            }
            try {
                if (inflater != null) {
                    inflater.finish();
                }
            } catch (ApiException e) {
                stop(e);
                return;
            }
            done = true;
            release();
            ((RoutingContextInternal) ctx).setBody(body);
            ctx.next();
        }

        /** The client went away or broke the HTTP framing mid-body: nobody may be left to answer. */
        void broken(Throwable cause) {
            if (done) {
                return;
            }
            LOG.debug("request body broken off: {}", cause.getClass().getSimpleName());
            stop(ApiException.badRequest("the request body could not be read", "body"));
        }

        private void stop(ApiException error) {
            done = true;
            release();
            ctx.fail(error);
        }

        private void release() {
            if (inflater != null) {
                inflater.release();
            }
        }
    }
}
