package org.borderwatch.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.borderwatch.TinyPmtiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BW_TILES_PATH: the node serves the operator's PMTiles archive by byte range at {@code /tiles/archive.pmtiles}, as
 * public as the web app's own files, and tells the web app about it in {@code index.html}.
 */
class TileArchiveIT {

    private static final String ARCHIVE = "/tiles/archive.pmtiles";

    private TestNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private HttpResponse<Buffer> get(String range) throws Exception {
        var request = node.http.get(ARCHIVE);
        if (range != null) {
            request.putHeader("Range", range);
        }
        return TestNode.await(request.send());
    }

    @Test
    void rangesOfTheArchiveComeBackAsPartialContentAndBadRangesAs416(@TempDir Path dir) throws Exception {
        Path archive = TinyPmtiles.write(dir);
        byte[] file = Files.readAllBytes(archive);
        int size = file.length;
        node = TestNode.fresh(Map.of("BW_TILES_PATH", archive.toString()));

        // What a PMTiles reader asks for first: 16 kB of header and root directory, more than this file holds.
        HttpResponse<Buffer> header = get("bytes=0-16383");
        assertThat(header.statusCode()).isEqualTo(206);
        assertThat(header.getHeader("Content-Range")).isEqualTo("bytes 0-" + (size - 1) + "/" + size);
        assertThat(header.body().getBytes()).isEqualTo(file);
        assertThat(header.getHeader("Accept-Ranges")).isEqualTo("bytes");
        assertThat(header.getHeader("Content-Security-Policy")).as("the app's headers").startsWith("default-src");

        HttpResponse<Buffer> tile = get("bytes=" + TinyPmtiles.HEADER_BYTES + "-" + (TinyPmtiles.HEADER_BYTES + 9));
        assertThat(tile.statusCode()).isEqualTo(206);
        assertThat(tile.getHeader("Content-Range"))
                .isEqualTo("bytes 127-136/" + size);
        assertThat(tile.getHeader("Content-Length")).isEqualTo("10");
        assertThat(tile.body().getBytes()).isEqualTo(Arrays.copyOfRange(file, 127, 137));

        HttpResponse<Buffer> suffix = get("bytes=-7");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body().getBytes()).isEqualTo(Arrays.copyOfRange(file, size - 7, size));

        HttpResponse<Buffer> whole = get(null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body().getBytes()).isEqualTo(file);

        for (String bad : new String[] {"bytes=" + size + "-", "bytes=" + (size + 100) + "-" + (size + 200),
                "bytes=9-3", "bytes=abc", "bytes=0-1,5-6", "items=0-1", "bytes=-0", "bytes=-"}) {
            HttpResponse<Buffer> refused = get(bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(416);
            assertThat(refused.getHeader("Content-Range")).as(bad).isEqualTo("bytes */" + size);
        }

        HttpResponse<Buffer> head = TestNode.await(node.http.request(HttpMethod.HEAD, ARCHIVE)
                .putHeader("Range", "bytes=0-15").send());
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.getHeader("Content-Length")).isEqualTo("16");

        // No sign-in needed, as for the app's own files: the tiles are the same for everyone and hold no secret.
        String index = TestNode.await(node.http.get("/").send()).bodyAsString();
        assertThat(index).contains("<meta name=\"bw-tiles\" content=\"" + ARCHIVE + "\" />")
                .doesNotContain("bw-tile-url");
    }

    @Test
    void withoutAnArchiveThereIsNoTileRouteAndNoHint() throws Exception {
        node = TestNode.fresh();
        assertThat(get("bytes=0-16383").statusCode()).isEqualTo(404);
        assertThat(TestNode.await(node.http.get("/").send()).bodyAsString()).doesNotContain("bw-tiles");
    }
}
