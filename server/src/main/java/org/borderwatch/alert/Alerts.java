package org.borderwatch.alert;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.borderwatch.Times;

/** The alert's wire shape (API.md §6), from a row of the alerts table. */
public final class Alerts {

    public static final String COLUMNS = """
            id::text, type, unit_id, geofence_id::text, geofence_name, severity, time, detected_at, lat, lon, \
            acked_by, acked_at""";

    /**
     * A CTE to follow a CTE {@code raised} that returned new alert rows: queues one delivery per matching webhook, in
     * the same statement, so an alert and its deliveries are durable together.
     */
    public static final String QUEUE_WEBHOOKS = """
            queued AS (
                INSERT INTO webhook_deliveries (webhook_id, alert_id)
                SELECT w.id, r.id FROM raised r
                JOIN units u ON u.id = r.unit_id
                JOIN webhooks w ON (w.types IS NULL OR r.type = ANY(w.types))
                               AND bw_sees_unit(w.agency, u.agency, u.type, u.id)
            )
            """;

    private Alerts() {
    }

    public static JsonObject fromRow(Row row) {
        JsonObject alert = new JsonObject()
                .put("id", row.getString("id"))
                .put("type", row.getString("type"))
                .put("unitId", row.getString("unit_id"));
        String fence = row.getString("geofence_id");
        if (fence != null) {
            alert.put("geofenceId", fence).put("geofenceName", row.getString("geofence_name"));
        }
        alert.put("severity", row.getString("severity"))
                .put("time", Times.format(row.getOffsetDateTime("time")))
                .put("detectedAt", Times.format(row.getOffsetDateTime("detected_at")))
                .put("lat", row.getDouble("lat"))
                .put("lon", row.getDouble("lon"));
        if (row.getColumnIndex("acked_by") >= 0 && row.getString("acked_by") != null) {
            alert.put("ackedBy", row.getString("acked_by"))
                    .put("ackedAt", Times.format(row.getOffsetDateTime("acked_at")));
        }
        return alert;
    }
}
