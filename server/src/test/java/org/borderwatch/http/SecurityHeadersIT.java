package org.borderwatch.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer, web app and API alike, carries the security headers; no CORS header is ever sent; the web app's
 * {@code index.html} is revalidated on every load while its hashed assets are cached for good.
 */
class SecurityHeadersIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private HttpResponse<Buffer> get(String path) throws Exception {
        return TestNode.await(node.http.get(path).putHeader("Origin", "https://elsewhere.example").send());
    }

    private static void assertSecurityHeaders(HttpResponse<Buffer> response) {
        assertThat(response.getHeader("Content-Security-Policy"))
                .isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY)
                .startsWith("default-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("http:", "https:", "*", "unsafe");
        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(response.getHeader("Strict-Transport-Security")).as("HSTS over clear text").isNull();
        assertThat(response.headers().names()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void theWebAppIsRevalidatedAndItsHashedAssetsAreImmutable() throws Exception {
        HttpResponse<Buffer> root = get("/");
        HttpResponse<Buffer> index = get("/index.html");

        for (HttpResponse<Buffer> page : new HttpResponse[] {root, index}) {
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.getHeader("Content-Type")).startsWith("text/html");
            assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
            assertSecurityHeaders(page);
        }
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index.bodyAsString());
        assertThat(script.find()).as("index.html names its script").isTrue();

        HttpResponse<Buffer> asset = get(script.group(1));
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.getHeader("Content-Type")).contains("javascript");
        assertThat(asset.getHeader("Cache-Control")).contains("immutable").contains("max-age=31536000");
        assertSecurityHeaders(asset);

        HttpResponse<Buffer> missing = get("/assets/no-such-file.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertSecurityHeaders(missing);
    }

    @Test
    void everyApiAnswerCarriesTheHeadersAndNoCors() throws Exception {
        String token = node.adminToken();
        HttpResponse<Buffer> units = TestNode.await(node.http.get("/api/v1/units").bearerTokenAuthentication(token)
                .putHeader("Origin", "https://elsewhere.example").send());
        assertThat(units.statusCode()).isEqualTo(200);
        assertSecurityHeaders(units);

        HttpResponse<Buffer> anonymous = get("/api/v1/units");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertSecurityHeaders(anonymous);

        HttpResponse<Buffer> unknown = TestNode.await(node.http.get("/api/v1/no-such-route")
                .bearerTokenAuthentication(token).send());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertSecurityHeaders(unknown);

        // A browser's preflight from another origin: no Access-Control-Allow-* comes back, so the browser refuses.
        HttpResponse<Buffer> preflight = TestNode.await(node.http.request(HttpMethod.OPTIONS, "/api/v1/units")
                .putHeader("Origin", "https://elsewhere.example")
                .putHeader("Access-Control-Request-Method", "POST")
                .putHeader("Access-Control-Request-Headers", "authorization, content-type").send());
        assertSecurityHeaders(preflight);

        for (String path : new String[] {"/health/live", "/health/ready", "/metrics"}) {
            HttpResponse<Buffer> ops = get(path);
            assertThat(ops.statusCode()).as(path).isEqualTo(200);
            assertSecurityHeaders(ops);
        }
    }

    @Test
    void aConfiguredTileServerIsTheOneOtherOriginTheBrowserMayReach() throws Exception {
        node.close();
        node = TestNode.fresh(Map.of("BW_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png?a=1&b=2"));

        HttpResponse<Buffer> index = get("/");
        String policy = index.getHeader("Content-Security-Policy");
        assertThat(policy).contains("img-src 'self' data: blob: https://tiles.example.org;")
                .contains("connect-src 'self' https://tiles.example.org;")
                .contains("frame-ancestors 'none'");
        assertThat(policy.replace("https://tiles.example.org", "")).doesNotContain("http:", "https:", "*", "unsafe");
        assertThat(index.getHeader("Cache-Control")).isEqualTo("no-cache");
        assertThat(index.bodyAsString())
                .contains("<meta name=\"bw-tile-url\" content=\"https://tiles.example.org/{z}/{x}/{y}.png?a=1&amp;b=2\" />")
                .containsPattern("src=\"/assets/[^\"]+\\.js\"");
        assertThat(get("/index.html").bodyAsString()).contains("bw-tile-url");
        HttpResponse<Buffer> api = TestNode.await(node.http.get("/api/v1/units").send());
        assertThat(api.getHeader("Content-Security-Policy")).isEqualTo(policy);
    }
}
