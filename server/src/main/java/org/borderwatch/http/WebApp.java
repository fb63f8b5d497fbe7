package org.borderwatch.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The built web app (web/dist, packaged as {@code webroot/}). Vite names every file under {@code /assets} by its
 * content hash, so those are cached for good; {@code index.html} names the current ones and is revalidated on every
 * load, so a redeployed node reaches the browsers at once.
 */
final class WebApp {

    private static final String WEBROOT = "webroot";
    private static final long A_YEAR_SECONDS = 365L * 24 * 3600;

    private WebApp() {
    }

    /** Mounts the app on every path not handled before; call it last. */
    static void mount(Router router) {
        // A handler on a route ending in * serves the path after the route's prefix: hence webroot/assets.
        router.route("/assets/*").handler(StaticHandler.create(WEBROOT + "/assets").setCachingEnabled(true)
                .setMaxAgeSeconds(A_YEAR_SECONDS));
        router.route("/*").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            ctx.next();
        });
        router.route("/*").handler(StaticHandler.create(WEBROOT).setCachingEnabled(false)
                .setIndexPage("index.html"));
    }
}
