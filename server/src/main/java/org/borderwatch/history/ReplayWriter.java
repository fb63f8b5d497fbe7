package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import org.borderwatch.Times;

/**
 * NDJSON, one position per line in time order, shaped as {@code POST /api/v1/positions} takes them (API.md §4): a
 * field the fix did not report is absent, so a replay can be posted again as it is.
 */
final class ReplayWriter implements RowWriter {

    static final String CONTENT_TYPE = "application/x-ndjson";

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public void head(Buffer out) {
    }

    @Override
    public void row(Row row, Buffer out) {
        StringBuilder line = new StringBuilder(160)
                .append("{\"unitId\":").append(Text.json(row.getString("unit_id")))
                .append(",\"time\":\"").append(Times.format(row.getOffsetDateTime("time")))
                .append("\",\"lat\":").append(row.getDouble("lat"))
                .append(",\"lon\":").append(row.getDouble("lon"));
        optional(line, "alt", row.getDouble("alt"));
        optional(line, "speed", row.getDouble("speed"));
        optional(line, "heading", row.getDouble("heading"));
        optional(line, "accuracy", row.getDouble("accuracy"));
        optional(line, "battery", row.getDouble("battery"));
        String attributes = row.getString("attributes");
        if (attributes != null) {
            line.append(",\"attributes\":").append(attributes);
        }
        out.appendString(line.append("}\n").toString());
    }

    private static void optional(StringBuilder line, String name, Double value) {
        if (value != null) {
            line.append(",\"").append(name).append("\":").append(value.doubleValue());
        }
    }

    @Override
    public void tail(Buffer out) {
    }
}
