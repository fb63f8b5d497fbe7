package org.borderwatch.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every HTTP answer, API and web app alike, so a browser on a shared network runs only this node's code
 * and leaks nothing: a Content-Security-Policy with no third-party origin (but the configured tile server), no framing, no MIME sniffing, no referrer,
 * and over TLS a Strict-Transport-Security. No CORS headers are ever sent: the web app is served from the same origin
 * as the API, and nothing else is meant to call the API from a browser.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

    /**
     * Everything from this origin only. MapLibre starts its worker from a {@code blob:} URL and draws images through
     * {@code data:}/{@code blob:} URLs; {@code connect-src 'self'} covers the same-origin WebSockets too.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "child-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    /** A year: browsers that once reached the node over TLS never try it in clear text again. */
    static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

    private final boolean tls;
    private final String policy;

    /** {@code tileOrigin}: the one tile server the web app may load images from, or null to keep it offline. */
    public SecurityHeaders(boolean tls, String tileOrigin) {
        this.tls = tls;
        this.policy = policy(tileOrigin);
    }

    /** MapLibre fetches raster tiles (connect-src) and decodes them as images (img-src): both name the tile origin. */
    static String policy(String tileOrigin) {
        if (tileOrigin == null) {
            return CONTENT_SECURITY_POLICY;
        }
        return CONTENT_SECURITY_POLICY
                .replace("img-src 'self' data: blob:", "img-src 'self' data: blob: " + tileOrigin)
                .replace("connect-src 'self'", "connect-src 'self' " + tileOrigin);
    }

    @Override
    public void handle(RoutingContext ctx) {
        MultiMap headers = ctx.response().headers();
        headers.set("Content-Security-Policy", policy);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        if (tls) {
            headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        }
        ctx.next();
    }
}
