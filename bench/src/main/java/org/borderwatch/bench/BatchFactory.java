package org.borderwatch.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.Times;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * JSON bodies of {@link IngestBenchmark#BATCH} positions, one per unit of a slice of the bench fleet, each request
 * with a time of its own so nothing is a repeat: request {@code n} reports slice {@code n mod slices} at
 * {@code t0 + (n / slices) * STEP}. A body is a copy of a prepared template with its times written in, so the load
 * generator spends microseconds, not milliseconds, per request and leaves the cores to the server.
 */
final class BatchFactory {

    private static final String PLACEHOLDER = "2000-01-01T00:00:00.000Z";
    /** Rounds are this far apart in device time: an hour of rounds is 36,000 of them. */
    private static final long STEP_MS = 100;
    /** Coordinate sets per slice, taken in turn, so units move between rounds. */
    private static final int VARIANTS = 3;

    private final byte[][] templates;
    private final int[][] timeOffsets;
    private final int slices;
    private final Instant t0;

    /** Bodies for units {@code B-0 … B-(slices*BATCH-1)}; times start an hour ago. */
    BatchFactory(int slices, long seed) {
        this.slices = slices;
        this.t0 = Instant.now().minusSeconds(3600);
        this.templates = new byte[slices * VARIANTS][];
        this.timeOffsets = new int[slices * VARIANTS][];
        Random random = new Random(seed);
        double[] lat = new double[slices * IngestBenchmark.BATCH];
        double[] lon = new double[lat.length];
        for (int u = 0; u < lat.length; u++) {
            lon[u] = -117.0 + random.nextDouble() * 19.8;
            lat[u] = 25.9 + random.nextDouble() * 6.8;
        }
        for (int variant = 0; variant < VARIANTS; variant++) {
            for (int slice = 0; slice < slices; slice++) {
                JsonArray batch = new JsonArray();
                for (int i = 0; i < IngestBenchmark.BATCH; i++) {
                    int u = slice * IngestBenchmark.BATCH + i;
                    lon[u] = Math.max(-117.0, Math.min(-97.2, lon[u] + (random.nextDouble() - 0.5) * 0.01));
                    lat[u] = Math.max(25.9, Math.min(32.7, lat[u] + (random.nextDouble() - 0.5) * 0.01));
                    batch.add(new JsonObject().put("unitId", "B-" + u).put("time", PLACEHOLDER).put("lat", lat[u])
                            .put("lon", lon[u]).put("speed", 12.5).put("heading", 90.0));
                }
                byte[] bytes = batch.encode().getBytes(StandardCharsets.UTF_8);
                templates[variant * slices + slice] = bytes;
                timeOffsets[variant * slices + slice] = offsets(bytes);
            }
        }
    }

    /** The body of request {@code n}. */
    Buffer body(long n) {
        long round = n / slices;
        int template = (int) ((round % VARIANTS) * slices + n % slices);
        byte[] body = templates[template].clone();
        byte[] time = Times.format(t0.plusMillis(round * STEP_MS)).getBytes(StandardCharsets.US_ASCII);
        for (int offset : timeOffsets[template]) {
            System.arraycopy(time, 0, body, offset, time.length);
        }
        return Buffer.buffer(body);
    }

    /** Bytes of one body (all are the same length, give or take a coordinate digit). */
    int bodyBytes() {
        return templates[0].length;
    }

    private static int[] offsets(byte[] bytes) {
        byte[] needle = PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i <= bytes.length - needle.length; i++) {
            if (bytes[i] == needle[0] && matches(bytes, i, needle)) {
                found.add(i);
                i += needle.length - 1;
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean matches(byte[] bytes, int at, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (bytes[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
