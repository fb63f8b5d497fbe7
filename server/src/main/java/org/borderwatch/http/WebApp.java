package org.borderwatch.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.regex.Matcher;

/**
 * The built web app (web/dist, packaged as {@code webroot/}). Vite names every file under {@code /assets} by its
 * content hash, so those are cached for good; {@code index.html} names the current ones and is revalidated on every
 * load, so a redeployed node reaches the browsers at once. A configured tile URL is handed to the app in a
 * {@code <meta name="bw-tile-url">} of {@code index.html}, and a configured tile archive (served at
 * {@link TileArchive#PATH}, as public as the app's own files) in a {@code <meta name="bw-tiles">}, so one build serves
 * any deployment.
 */
final class WebApp {

    private static final String WEBROOT = "webroot";
    private static final long A_YEAR_SECONDS = 365L * 24 * 3600;

    private WebApp() {
    }

    /** Mounts the app on every path not handled before; call it last. Either tile setting may be null. */
    static void mount(Vertx vertx, Router router, String tileUrl, String tilesPath) {
        // A handler on a route ending in * serves the path after the route's prefix: hence webroot/assets.
        router.route("/assets/*").handler(StaticHandler.create(WEBROOT + "/assets").setCachingEnabled(true)
                .setMaxAgeSeconds(A_YEAR_SECONDS));
        router.route("/*").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            ctx.next();
        });
        if (tilesPath != null) {
            TileArchive archive = new TileArchive(tilesPath);
            router.route(HttpMethod.GET, TileArchive.PATH).handler(archive);
            router.route(HttpMethod.HEAD, TileArchive.PATH).handler(archive);
        }
        if (tileUrl != null || tilesPath != null) {
            Future<Buffer> index = vertx.fileSystem().readFile(WEBROOT + "/index.html")
                    .map(html -> Buffer.buffer(withTiles(html.toString(), tileUrl, tilesPath != null)));
            // The app's page, not an API operation: no OpenAPI entry.
            router.routeWithRegex(HttpMethod.GET, "/(index\\.html)?").handler(ctx -> serve(ctx, index));
        }
        router.route("/*").handler(StaticHandler.create(WEBROOT).setCachingEnabled(false)
                .setIndexPage("index.html"));
    }

    private static void serve(RoutingContext ctx, Future<Buffer> index) {
        index.onSuccess(html -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8").end(html))
                .onFailure(e -> ctx.next());
    }

    /** Config has checked the URL holds no quote, angle bracket or space; only {@code &} needs escaping here. */
    static String withTiles(String html, String tileUrl, boolean archive) {
        StringBuilder metas = new StringBuilder();
        if (tileUrl != null) {
            metas.append("\n    <meta name=\"bw-tile-url\" content=\"").append(tileUrl.replace("&", "&amp;"))
                    .append("\" />");
        }
        if (archive) {
            metas.append("\n    <meta name=\"bw-tiles\" content=\"").append(TileArchive.PATH).append("\" />");
        }
        return html.replaceFirst("<head>", "<head>" + Matcher.quoteReplacement(metas.toString()));
    }
}
