package org.borderwatch.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What a positions frame of {@code /ws/live} costs the node when many maps watch the same units: every map's frame
 * encoding each unit again (as before), against each unit encoded once and the frames joined from those strings (as
 * {@code LiveClient} does now). Same run, alternating rounds.
 *
 * <p>{@code java -cp bench/target/borderwatch-bench.jar org.borderwatch.bench.LiveFrameBenchmark [seconds] [maps]}
 */
public final class LiveFrameBenchmark {

    static final int UNITS = 1_000;

    private LiveFrameBenchmark() {
    }

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 20;
        int maps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<JsonObject> units = new ArrayList<>(UNITS);
        for (int i = 0; i < UNITS; i++) {
            units.add(new JsonObject().put("id", String.format("PV-%04d", i)).put("type", "vehicle")
                    .put("lat", 31.7 + i * 1e-4).put("lon", -106.4 - i * 1e-4).put("time", "2026-11-30T10:00:00.123Z")
                    .put("speed", 13.4).put("heading", (double) (i % 360)).put("status", "live")
                    .put("agency", "root").put("name", "Patrol " + i));
        }
        long perMapNanos = 0;
        long onceNanos = 0;
        long rounds = 0;
        long bytes = 0;
        long warmUntil = System.nanoTime() + Math.min(5, seconds / 4) * 1_000_000_000L;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            long a = 0;
            for (int m = 0; m < maps; m++) {
                JsonArray array = new JsonArray();
                units.forEach(array::add);
                a += new JsonObject().put("type", "positions").put("units", array).encode().length();
            }
            long t1 = System.nanoTime();
            long b = 0;
            List<String> encoded = new ArrayList<>(UNITS);
            units.forEach(u -> encoded.add(u.encode()));
            for (int m = 0; m < maps; m++) {
                StringBuilder frame = new StringBuilder(64 + UNITS * 200).append("{\"type\":\"positions\",\"units\":[");
                for (int i = 0; i < encoded.size(); i++) {
                    if (i > 0) {
                        frame.append(',');
                    }
                    frame.append(encoded.get(i));
                }
                b += frame.append("]}").toString().length();
            }
            long t2 = System.nanoTime();
            if (a != b) {
                throw new IllegalStateException("the two ways made frames of different lengths: " + a + ", " + b);
            }
            if (t2 < warmUntil) {
                continue;
            }
            rounds++;
            perMapNanos += t1 - t0;
            onceNanos += t2 - t1;
            bytes += a;
        }
        System.out.printf("positions frames, %d rounds of %,d units to %d maps (%,d bytes a round), load average %s%n",
                rounds, UNITS, maps, rounds == 0 ? 0 : bytes / rounds, Machine.loadAverage());
        System.out.printf("  each map encodes every unit   %,10.0f µs a round%n", perMapNanos / 1e3 / rounds);
        System.out.printf("  each unit encoded once         %,10.0f µs a round%n", onceNanos / 1e3 / rounds);
        System.out.printf("  once/per-map: %.3f%n", (double) onceNanos / perMapNanos);
    }
}
