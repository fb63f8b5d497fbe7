package org.borderwatch.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.borderwatch.track.Position;
import org.borderwatch.track.PositionBatch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Positions forwarded to their unit's owner on another node, in a compact binary form instead of JSON: per position the
 * unit id, the time to the nanosecond, latitude and longitude, a bit mask of the optional numbers present and those
 * numbers, and the attributes (the one part still JSON, absent for most fixes). Decoding makes no JSON parser run per
 * position and no text-to-double conversion. Every member of a cluster runs the same version, so the format carries a
 * version byte only to fail loudly if they do not.
 *
 * <p>On the local bus the batch passes by reference, as with {@link LocalCodec}.
 */
public final class PositionWireCodec implements MessageCodec<PositionBatch, PositionBatch> {

    public static final String NAME = "bw.positions.v1";
    private static final byte VERSION = 1;
    private static final int ALT = 1;
    private static final int SPEED = 2;
    private static final int HEADING = 4;
    private static final int ACCURACY = 8;
    private static final int BATTERY = 16;
    private static final int ATTRIBUTES = 32;

    @Override
    public void encodeToWire(Buffer buffer, PositionBatch batch) {
        int lengthAt = buffer.length();
        buffer.appendInt(0);
        int start = buffer.length();
        buffer.appendByte(VERSION);
        buffer.appendInt(batch.positions().size());
        for (Position p : batch.positions()) {
            appendString(buffer, p.unitId());
            buffer.appendLong(p.time().getEpochSecond());
            buffer.appendInt(p.time().getNano());
            buffer.appendDouble(p.lat());
            buffer.appendDouble(p.lon());
            int present = (p.alt() != null ? ALT : 0) | (p.speed() != null ? SPEED : 0)
                    | (p.heading() != null ? HEADING : 0) | (p.accuracy() != null ? ACCURACY : 0)
                    | (p.battery() != null ? BATTERY : 0) | (p.attributes() != null ? ATTRIBUTES : 0);
            buffer.appendByte((byte) present);
            appendIf(buffer, p.alt());
            appendIf(buffer, p.speed());
            appendIf(buffer, p.heading());
            appendIf(buffer, p.accuracy());
            appendIf(buffer, p.battery());
            if (p.attributes() != null) {
                appendString(buffer, p.attributes().encode());
            }
        }
        buffer.setInt(lengthAt, buffer.length() - start);
    }

    @Override
    public PositionBatch decodeFromWire(int pos, Buffer buffer) {
        int at = pos + 4; // the length, which the event bus does not need back
        byte version = buffer.getByte(at++);
        if (version != VERSION) {
            throw new IllegalStateException("positions from a node speaking format " + version + ", this node speaks "
                    + VERSION + ": every member of a cluster must run the same version");
        }
        int count = buffer.getInt(at);
        at += 4;
        List<Position> positions = new ArrayList<>(count);
        int[] cursor = {at};
        for (int i = 0; i < count; i++) {
            String unitId = readString(buffer, cursor);
            Instant time = Instant.ofEpochSecond(buffer.getLong(cursor[0]), buffer.getInt(cursor[0] + 8));
            double lat = buffer.getDouble(cursor[0] + 12);
            double lon = buffer.getDouble(cursor[0] + 20);
            int present = buffer.getByte(cursor[0] + 28);
            cursor[0] += 29;
            Double alt = readIf(buffer, cursor, present, ALT);
            Double speed = readIf(buffer, cursor, present, SPEED);
            Double heading = readIf(buffer, cursor, present, HEADING);
            Double accuracy = readIf(buffer, cursor, present, ACCURACY);
            Double battery = readIf(buffer, cursor, present, BATTERY);
            JsonObject attributes = (present & ATTRIBUTES) != 0 ? new JsonObject(readString(buffer, cursor)) : null;
            positions.add(new Position(unitId, time, lat, lon, alt, speed, heading, accuracy, battery, attributes));
        }
        return new PositionBatch(positions);
    }

    @Override
    public PositionBatch transform(PositionBatch batch) {
        return batch;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }

    private static void appendString(Buffer buffer, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        buffer.appendInt(bytes.length);
        buffer.appendBytes(bytes);
    }

    private static String readString(Buffer buffer, int[] cursor) {
        int length = buffer.getInt(cursor[0]);
        String value = buffer.getString(cursor[0] + 4, cursor[0] + 4 + length, "UTF-8");
        cursor[0] += 4 + length;
        return value;
    }

    private static void appendIf(Buffer buffer, Double value) {
        if (value != null) {
            buffer.appendDouble(value);
        }
    }

    private static Double readIf(Buffer buffer, int[] cursor, int present, int bit) {
        if ((present & bit) == 0) {
            return null;
        }
        double value = buffer.getDouble(cursor[0]);
        cursor[0] += 8;
        return value;
    }
}
