package org.borderwatch.history;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which day partitions to make and to drop, given the ones that exist. */
class DayPartitionsTest {

    private static final LocalDate DAY = LocalDate.parse("2026-12-01");

    private static DayPartitions.Partition day(LocalDate day) {
        return new DayPartitions.Partition(DayPartitions.name(day), DayPartitions.start(day),
                DayPartitions.start(day.plusDays(1)), false);
    }

    private static final DayPartitions.Partition DEFAULT = new DayPartitions.Partition("positions_default", null,
            null, true);

    @Test
    void namesAndBoundsAreUtcDays() {
        assertThat(DayPartitions.name(DAY)).isEqualTo("positions_p20261201");
        assertThat(DayPartitions.start(DAY)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(DayPartitions.day(Instant.parse("2026-12-01T23:59:59.999Z"))).isEqualTo(DAY);
        assertThat(DayPartitions.ahead(Instant.parse("2026-12-01T23:00:00Z"), 2))
                .containsExactly(DAY, DAY.plusDays(1), DAY.plusDays(2));
    }

    @Test
    void onlyUncoveredDaysAreMade() {
        // The migrated table covers everything before its bound, including part of a day.
        DayPartitions.Partition legacy = new DayPartitions.Partition("positions_legacy", null,
                Instant.parse("2026-12-03T00:00:00Z"), false);
        List<DayPartitions.Partition> existing = List.of(legacy, DEFAULT, day(DAY.plusDays(4)));

        assertThat(DayPartitions.missing(existing, DayPartitions.ahead(Instant.parse("2026-12-01T10:00:00Z"), 5)))
                .containsExactly(DAY.plusDays(2), DAY.plusDays(3), DAY.plusDays(5));
        assertThat(DayPartitions.missing(List.of(DEFAULT), List.of(DAY, DAY))).containsExactly(DAY);
    }

    @Test
    void retentionDropsPartitionsWhoseEveryRowIsOlderThanTheCutoff() {
        DayPartitions.Partition legacy = new DayPartitions.Partition("positions_legacy", null,
                Instant.parse("2026-11-01T00:00:00Z"), false);
        List<DayPartitions.Partition> existing = List.of(legacy, DEFAULT, day(DAY.minusDays(1)), day(DAY));

        assertThat(DayPartitions.expired(existing, Instant.parse("2026-12-01T00:00:00Z")))
                .extracting(DayPartitions.Partition::name).containsExactly("positions_legacy", "positions_p20261130");
        assertThat(DayPartitions.expired(existing, Instant.parse("2026-11-30T23:59:59Z")))
                .extracting(DayPartitions.Partition::name).containsExactly("positions_legacy");
    }
}
