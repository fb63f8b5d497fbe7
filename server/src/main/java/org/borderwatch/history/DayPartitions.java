package org.borderwatch.history;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Which day partitions of {@code positions} to make and which to drop, decided from the partitions that exist. A day
 * is a UTC day, {@code positions_pYYYYMMDD} for {@code [day, day + 1)}; other partitions (the migrated
 * {@code positions_legacy} from the beginning of time to a bound, the default one) are respected as they are.
 */
final class DayPartitions {

    /** One partition of positions: its bounds (null lower = MINVALUE, null upper = MAXVALUE), or the default. */
    record Partition(String name, Instant lower, Instant upper, boolean isDefault) {

        boolean overlaps(Instant from, Instant to) {
            return !isDefault && (lower == null || lower.isBefore(to)) && (upper == null || upper.isAfter(from));
        }
    }

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'positions_p'yyyyMMdd");

    private DayPartitions() {
    }

    static String name(LocalDate day) {
        return NAME.format(day);
    }

    static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static LocalDate day(Instant time) {
        return LocalDate.ofInstant(time, ZoneOffset.UTC);
    }

    /**
     * The days among {@code wanted} that no partition covers yet, in order. A day partly covered (by the legacy
     * partition's last day, say) is left to the partition that covers it: its rows already have a home.
     */
    static List<LocalDate> missing(Collection<Partition> existing, Collection<LocalDate> wanted) {
        List<LocalDate> missing = new ArrayList<>();
        for (LocalDate day : new TreeSet<>(wanted)) {
            Instant from = start(day);
            Instant to = start(day.plusDays(1));
            if (existing.stream().noneMatch(p -> p.overlaps(from, to))) {
                missing.add(day);
            }
        }
        return missing;
    }

    /** Today and the {@code ahead} days after it, so the partition a fix needs exists before the fix arrives. */
    static List<LocalDate> ahead(Instant now, int ahead) {
        LocalDate today = day(now);
        List<LocalDate> days = new ArrayList<>();
        for (int i = 0; i <= ahead; i++) {
            days.add(today.plusDays(i));
        }
        return days;
    }

    /** The partitions whose every row is older than {@code cutoff}; never the default one. */
    static List<Partition> expired(Collection<Partition> existing, Instant cutoff) {
        return existing.stream().filter(p -> !p.isDefault() && p.upper() != null && !p.upper().isAfter(cutoff))
                .toList();
    }
}
