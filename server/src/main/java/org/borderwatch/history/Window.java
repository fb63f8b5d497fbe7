package org.borderwatch.history;

import org.borderwatch.Times;
import org.borderwatch.http.ApiException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The time window of a history request, both ends inclusive and required, at most {@code BW_HISTORY_MAX_DAYS} long:
 * one request never reads more than that many day partitions.
 */
record Window(Instant from, Instant to) {

    static Window of(Object from, Object to, int maxDays) {
        Instant start = time(from, "from");
        Instant end = time(to, "to");
        if (start.isAfter(end)) {
            throw ApiException.badRequest("from must not be after to", "from");
        }
        if (Duration.between(start, end).compareTo(Duration.ofDays(maxDays)) > 0) {
            throw ApiException.badRequest("to may be at most " + maxDays + " days after from", "to");
        }
        return new Window(start, end);
    }

    private static Instant time(Object value, String field) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            throw ApiException.badRequest(field + " is required (an ISO-8601 time)", field);
        }
        if (!(value instanceof String text)) {
            throw ApiException.badRequest(field + " must be an ISO-8601 time", field);
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " is not an ISO-8601 time with an offset", field);
        }
    }

    /** A name for an export file: the window's start, in a form every file system takes. */
    String fileStem() {
        return Times.format(from).replace(":", "").replace(".000", "");
    }
}
