package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

import java.util.HashMap;
import java.util.Map;

/**
 * NDJSON, one position per line in time order, shaped as {@code POST /api/v1/positions} takes them (API.md §4): a
 * field the fix did not report is absent, so a replay can be posted again as it is.
 */
final class ReplayWriter implements RowWriter {

    static final String CONTENT_TYPE = "application/x-ndjson";

    private final IsoTimes times = new IsoTimes();
    /** Unit ids as JSON strings, made once per unit rather than once per line (bounded by the units there are). */
    private final Map<String, String> quoted = new HashMap<>();

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public void head(Buffer out) {
    }

    @Override
    public void row(Row row, Buffer out) {
        // Columns by position, as HistorySql.REPLAY selects them.
        StringBuilder line = new StringBuilder(200)
                .append("{\"unitId\":").append(quoted.computeIfAbsent(row.getString(0), Text::json))
                .append(",\"time\":\"").append(times.format(row.getLong(1)))
                .append("\",\"lat\":").append(Text.plain(row.getDouble(2)))
                .append(",\"lon\":").append(Text.plain(row.getDouble(3)));
        optional(line, "alt", row.getDouble(4));
        optional(line, "speed", row.getDouble(5));
        optional(line, "heading", row.getDouble(6));
        optional(line, "accuracy", row.getDouble(7));
        optional(line, "battery", row.getDouble(8));
        String attributes = row.getString(9);
        if (attributes != null) {
            line.append(",\"attributes\":").append(attributes);
        }
        out.appendString(line.append("}\n").toString());
    }

    private static void optional(StringBuilder line, String name, Double value) {
        if (value != null) {
            line.append(",\"").append(name).append("\":").append(Text.plain(value));
        }
    }

    @Override
    public void tail(Buffer out) {
    }
}
