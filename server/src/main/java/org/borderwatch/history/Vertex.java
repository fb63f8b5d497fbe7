package org.borderwatch.history;

import io.vertx.sqlclient.Row;

/**
 * One row of {@link HistorySql#vertices}: a fix as a vertex of line {@code seg} of its unit's track.
 *
 * @param part     0 for coordinates, 1 for the times of GeoJSON's second pass
 * @param lastSeg  the unit's last line number: 0 means one line
 * @param segStart first time of the line, ISO-8601
 * @param segEnd   last time of the line, ISO-8601
 */
record Vertex(String unitId, int part, long seg, long idx, String time, double lon, double lat, Double alt,
              Double speed, Double heading, String segStart, String segEnd, long lastSeg) {

    /** A row of {@link HistorySql#vertices}, its columns read by position. */
    static Vertex of(Row row, IsoTimes times) {
        return new Vertex(row.getString(1), row.getInteger(0), row.getLong(2), row.getLong(3),
                times.format(row.getLong(4)), row.getDouble(5), row.getDouble(6), row.getDouble(7),
                row.getDouble(8), row.getDouble(9), times.format(row.getLong(10)), times.format(row.getLong(11)),
                row.getLong(12));
    }
}
