package org.borderwatch.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.bus.PositionWireCodec;
import org.borderwatch.track.Position;
import org.borderwatch.track.PositionBatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a forward to another node costs the two nodes' CPUs: encoding a batch of positions and decoding it on the
 * owner, as the JSON the event bus carried before (a JsonArray of one object per position, the time as ISO text) and
 * as {@link PositionWireCodec}, in the same run, alternating rounds so both see the same machine.
 *
 * <p>{@code java -cp bench/target/borderwatch-bench.jar org.borderwatch.bench.CodecBenchmark [seconds]}
 */
public final class CodecBenchmark {

    static final int BATCH = 1_000;

    private CodecBenchmark() {
    }

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 20;
        PositionBatch batch = batch();
        PositionWireCodec codec = new PositionWireCodec();
        long rounds = 0;
        long jsonNanos = 0;
        long binaryNanos = 0;
        long jsonBytes = 0;
        long binaryBytes = 0;
        long checksum = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        boolean warm = false;
        long warmUntil = System.nanoTime() + Math.min(5, seconds / 4) * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            Buffer json = Buffer.buffer();
            json.appendBuffer(toJson(batch).toBuffer());
            List<Position> fromJson = fromJson(new JsonArray(json));
            long t1 = System.nanoTime();
            Buffer wire = Buffer.buffer();
            codec.encodeToWire(wire, batch);
            List<Position> fromWire = codec.decodeFromWire(0, wire).positions();
            long t2 = System.nanoTime();
            checksum += fromJson.size() + fromWire.size();
            if (!warm) {
                warm = t2 > warmUntil;
                continue;
            }
            rounds++;
            jsonNanos += t1 - t0;
            binaryNanos += t2 - t1;
            jsonBytes += json.length();
            binaryBytes += wire.length();
        }
        double positions = (double) rounds * BATCH;
        System.out.printf("forward codec, %d rounds of %,d positions (checksum %d), load average %s%n", rounds,
                BATCH, checksum, Machine.loadAverage());
        System.out.printf("  JSON    encode+decode %,8.0f ns/position, %5.1f bytes/position%n",
                jsonNanos / positions, jsonBytes / positions);
        System.out.printf("  binary  encode+decode %,8.0f ns/position, %5.1f bytes/position%n",
                binaryNanos / positions, binaryBytes / positions);
        System.out.printf("  binary/JSON: time %.3f, bytes %.3f%n", (double) binaryNanos / jsonNanos,
                (double) binaryBytes / jsonBytes);
    }

    /** A batch as devices send them: all units reporting speed and heading, a third altitude, a tenth attributes. */
    static PositionBatch batch() {
        List<Position> positions = new ArrayList<>(BATCH);
        Instant t = Instant.parse("2026-11-30T10:00:00.123Z");
        for (int i = 0; i < BATCH; i++) {
            positions.add(new Position(String.format("PV-%04d", i), t.plusMillis(i), 31.7 + i * 1e-4,
                    -106.4 - i * 1e-4, i % 3 == 0 ? 1200.0 + i : null, 13.4, (double) (i % 360),
                    i % 2 == 0 ? 5.0 : null, 80.0, i % 10 == 0 ? new JsonObject().put("ignition", true) : null));
        }
        return new PositionBatch(positions);
    }

    /** The JSON form forwards had before the binary codec. */
    private static JsonArray toJson(PositionBatch batch) {
        JsonArray json = new JsonArray();
        for (Position p : batch.positions()) {
            json.add(new JsonObject().put("unitId", p.unitId()).put("time", p.time().toString()).put("lat", p.lat())
                    .put("lon", p.lon()).put("alt", p.alt()).put("speed", p.speed()).put("heading", p.heading())
                    .put("accuracy", p.accuracy()).put("battery", p.battery()).put("attributes", p.attributes()));
        }
        return json;
    }

    private static List<Position> fromJson(JsonArray json) {
        List<Position> positions = new ArrayList<>(json.size());
        json.forEach(item -> {
            JsonObject o = (JsonObject) item;
            positions.add(new Position(o.getString("unitId"), Instant.parse(o.getString("time")), o.getDouble("lat"),
                    o.getDouble("lon"), o.getDouble("alt"), o.getDouble("speed"), o.getDouble("heading"),
                    o.getDouble("accuracy"), o.getDouble("battery"), o.getJsonObject("attributes")));
        });
        return positions;
    }
}
