package org.borderwatch.history;

import io.vertx.sqlclient.Row;
import org.borderwatch.Times;

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

    static Vertex of(Row row) {
        return new Vertex(row.getString("unit_id"), row.getInteger("part"), row.getLong("seg"), row.getLong("idx"),
                Times.format(row.getOffsetDateTime("time")), row.getDouble("lon"), row.getDouble("lat"),
                row.getDouble("alt"), row.getDouble("speed"), row.getDouble("heading"),
                Times.format(row.getOffsetDateTime("seg_start")), Times.format(row.getOffsetDateTime("seg_end")),
                row.getLong("last_seg"));
    }
}
