package org.borderwatch.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.borderwatch.track.Position;
import org.borderwatch.track.PositionBatch;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionWireCodecTest {

    private final PositionWireCodec codec = new PositionWireCodec();

    @Test
    void aForwardedBatchArrivesAsItWasSentWhateverItsFieldsHold() {
        Position full = new Position("PV-14", Instant.parse("2026-11-30T10:00:01.123456789Z"), 31.7619, -106.485,
                1234.5, 13.9, 359.9, 4.0, 87.0, new JsonObject().put("driver", "Peña").put("ignition", true));
        Position bare = new Position("ñandú-7", Instant.parse("1970-01-01T00:00:00Z"), -90, 180, null, null, null,
                null, null, null);
        Position some = new Position("UAV-03", Instant.parse("2026-11-30T10:00:02Z"), 25.9, -97.4, null, 0.0, null,
                12.5, null, new JsonObject());
        PositionBatch sent = new PositionBatch(List.of(full, bare, some));

        // The event bus writes its own header first and hands the codec the body's offset.
        Buffer wire = Buffer.buffer().appendString("header of the event bus");
        int at = wire.length();
        codec.encodeToWire(wire, sent);
        wire.appendString("trailing bytes");

        assertThat(codec.decodeFromWire(at, wire).positions()).containsExactly(full, bare, some);
    }

    @Test
    void anEmptyBatchAndALargeOneSurvive() {
        assertThat(codec.decodeFromWire(0, encode(new PositionBatch(List.of()))).positions()).isEmpty();
        List<Position> many = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            many.add(new Position("U-" + i, Instant.ofEpochSecond(1_764_000_000L + i, i), i % 90, -(i % 180),
                    i % 2 == 0 ? (double) i : null, null, (double) (i % 360), null, null, null));
        }
        assertThat(codec.decodeFromWire(0, encode(new PositionBatch(many))).positions()).isEqualTo(many);
    }

    @Test
    void aMemberSpeakingAnotherFormatIsRefusedLoudly() {
        Buffer wire = encode(new PositionBatch(List.of()));
        wire.setByte(4, (byte) 9);
        assertThatThrownBy(() -> codec.decodeFromWire(0, wire)).hasMessageContaining("same version");
    }

    private Buffer encode(PositionBatch batch) {
        Buffer wire = Buffer.buffer();
        codec.encodeToWire(wire, batch);
        return wire;
    }
}
