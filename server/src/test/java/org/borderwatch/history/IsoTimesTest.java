package org.borderwatch.history;

import org.borderwatch.Times;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The exporters' hand-written time format is the wire format of {@link Times}, to the millisecond. */
class IsoTimesTest {

    @Test
    void writesWhatTimesWrites() {
        IsoTimes times = new IsoTimes();
        Random random = new Random(7);
        long[] edges = {0, -1, 86_399_999, 86_400_000, Instant.parse("2026-11-25T10:00:00.123Z").toEpochMilli(),
                Instant.parse("1969-12-31T23:59:59.999Z").toEpochMilli()};
        for (long edge : edges) {
            assertThat(times.format(edge)).isEqualTo(Times.format(Instant.ofEpochMilli(edge)));
        }
        for (int i = 0; i < 10_000; i++) {
            long millis = random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            assertThat(times.format(millis)).isEqualTo(Times.format(Instant.ofEpochMilli(millis)));
        }
    }
}
