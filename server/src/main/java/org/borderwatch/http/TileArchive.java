package org.borderwatch.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's offline vector tile archive ({@code BW_TILES_PATH}), served whole or by byte range: the web app's
 * PMTiles reader asks for the header, then for each directory and tile it needs, with one {@code Range} each. A
 * satisfiable range gets 206 with {@code Content-Range}; a malformed or unsatisfiable one 416 naming the size. The file
 * is sent by the kernel from the given offset, so no tile passes through the heap.
 */
final class TileArchive implements Handler<RoutingContext> {

    /** The path the web app reads; one archive per node. */
    static final String PATH = "/tiles/archive.pmtiles";

    /** One range, as a reader sends it: {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}. */
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private final String file;

    TileArchive(String file) {
        this.file = file;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        ctx.vertx().fileSystem().props(file).onComplete(props -> {
            if (props.failed()) {
                // Config checked the file at start; it was moved or removed since.
                response.setStatusCode(404).end();
                return;
            }
            long size = props.result().size();
            response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/vnd.pmtiles")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .putHeader(HttpHeaders.ETAG, "\"" + size + "-" + props.result().lastModifiedTime() + "\"");
            String range = ctx.request().getHeader("Range");
            if (range == null) {
                send(ctx, 0, size);
                return;
            }
            long[] span = span(range.trim(), size);
            if (span == null) {
                response.setStatusCode(416).putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size).end();
                return;
            }
            response.setStatusCode(206)
                    .putHeader(HttpHeaders.CONTENT_RANGE,
                            "bytes " + span[0] + "-" + (span[0] + span[1] - 1) + "/" + size);
            send(ctx, span[0], span[1]);
        });
    }

    private void send(RoutingContext ctx, long offset, long length) {
        HttpServerResponse response = ctx.response();
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length)).end();
        } else {
            response.sendFile(file, offset, length);
        }
    }

    /**
     * The offset and length a single range asks for, clipped to the file (a reader asks for 16 kB of header whatever
     * the file's size); null when the range is malformed, names several ranges, or starts past the end.
     */
    static long[] span(String range, long size) {
        Matcher matcher = RANGE.matcher(range);
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            return null;
        }
        if (matcher.group(1).isEmpty()) {
            long suffix = Long.parseLong(matcher.group(2));
            if (suffix == 0 || size == 0) {
                return null;
            }
            long length = Math.min(suffix, size);
            return new long[] {size - length, length};
        }
        long first = Long.parseLong(matcher.group(1));
        long last = matcher.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(matcher.group(2)), size - 1);
        if (first >= size || last < first) {
            return null;
        }
        return new long[] {first, last - first + 1};
    }
}
