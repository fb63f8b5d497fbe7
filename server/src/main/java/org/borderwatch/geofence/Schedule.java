package org.borderwatch.geofence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.http.ApiException;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A weekly window in a time zone when a fence raises alerts, e.g. nights from 22:00 to 06:00 in Mexico City. A window
 * whose end is not after its start runs past midnight and belongs to the day it starts on; outside every window the
 * fence still tracks who is inside, but raises nothing.
 */
public record Schedule(ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to) {

    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    public boolean isActive(Instant time) {
        ZonedDateTime local = time.atZone(zone);
        LocalTime clock = local.toLocalTime();
        DayOfWeek day = local.getDayOfWeek();
        if (from.isBefore(to)) {
            return days.contains(day) && !clock.isBefore(from) && clock.isBefore(to);
        }
        return (days.contains(day) && !clock.isBefore(from)) || (days.contains(day.minus(1)) && clock.isBefore(to));
    }

    /** Parses {@code {"tz","days","from","to"}}; null when absent; 400 naming {@code schedule.*} when malformed. */
    public static Schedule parse(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonObject json)) {
            throw ApiException.badRequest("schedule must be an object {tz, days, from, to}", "schedule");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(String.valueOf(json.getValue("tz", "UTC")));
        } catch (DateTimeException e) {
            throw ApiException.badRequest("schedule.tz is not an IANA time zone", "schedule.tz");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        Object dayList = json.getValue("days", new JsonArray(DAY_NAMES));
        if (!(dayList instanceof JsonArray array) || array.isEmpty()) {
            throw ApiException.badRequest("schedule.days must list days as mon … sun", "schedule.days");
        }
        for (Object day : array) {
            int index = DAY_NAMES.indexOf(String.valueOf(day).toLowerCase());
            if (index < 0) {
                throw ApiException.badRequest("schedule.days must list days as mon … sun", "schedule.days");
            }
            days.add(DayOfWeek.of(index + 1));
        }
        LocalTime from = time(json, "from");
        LocalTime to = time(json, "to");
        return new Schedule(zone, Set.copyOf(days), from, to);
    }

    private static LocalTime time(JsonObject json, String field) {
        try {
            return LocalTime.parse(String.valueOf(json.getValue(field)));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("schedule." + field + " must be HH:mm", "schedule." + field);
        }
    }

    public JsonObject toJson() {
        JsonArray dayList = new JsonArray();
        for (DayOfWeek day : DayOfWeek.values()) {
            if (days.contains(day)) {
                dayList.add(DAY_NAMES.get(day.getValue() - 1));
            }
        }
        return new JsonObject().put("tz", zone.getId()).put("days", dayList).put("from", from.toString())
                .put("to", to.toString());
    }
}
