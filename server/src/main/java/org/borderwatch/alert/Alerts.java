package org.borderwatch.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.borderwatch.Times;

import java.util.Arrays;

/** The alert's wire shape (API.md §6), from a row of the alerts table. */
public final class Alerts {

    public static final String COLUMNS = """
            id::text, type, unit_id, geofence_id::text, geofence_name, severity, time, detected_at, lat, lon, \
            acked_by, acked_at, comment, units, escalates::text, nearest::text, detections, assigned_unit_id, \
            assigned_by, assigned_at, arrived_at, contact_agency""";

    /**
     * {@link #COLUMNS} as agency {@code viewer} (an SQL expression such as {@code $6}) may read them: the nearest units
     * and the assigned unit it may not see are left out (API.md §9).
     */
    public static String columnsFor(String viewer) {
        return COLUMNS.replace("nearest::text", "bw_visible_nearest(" + viewer + ", nearest)::text AS nearest")
                .replace("assigned_unit_id,", "CASE WHEN assigned_unit_id IS NULL OR EXISTS (SELECT 1 FROM units au"
                        + " WHERE au.id = assigned_unit_id AND bw_sees_unit(" + viewer
                        + ", au.agency, au.type, au.id)) THEN assigned_unit_id END AS assigned_unit_id,");
    }

    /**
     * SQL: may agency {@code viewer} (a parameter such as {@code $6}) see the alert in {@code table}? Only if it sees
     * every unit the alert names (API.md §9): a grouped alert never shows one agency the units it may not see. An
     * alert about a contact is as visible as the contact: to its agency and the agencies that share with it.
     */
    public static String visibleTo(String table, String viewer) {
        return visibleTo(table, table + ".contact_agency", viewer);
    }

    private static String visibleTo(String table, String contactAgency, String viewer) {
        return "(CASE WHEN " + contactAgency + " IS NOT NULL"
                + " THEN bw_sees_agency(" + viewer + ", " + contactAgency + ")"
                + " ELSE NOT EXISTS (SELECT 1 FROM unnest(coalesce(" + table + ".units, ARRAY[" + table + ".unit_id]))"
                + " AS named(id)"
                + " WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = named.id"
                + " AND bw_sees_unit(" + viewer + ", u.agency, u.type, u.id))) END)";
    }

    /**
     * A CTE to follow a CTE {@code raised} that returned new alert rows: queues one delivery per matching webhook, in
     * the same statement, so an alert and its deliveries are durable together. {@code raised} needs {@code id},
     * {@code type}, {@code unit_id} and {@code units}; its {@code contact_agency}, when it returns one, is read by
     * name, so a statement raising only unit alerts need not return it.
     */
    public static final String QUEUE_WEBHOOKS = """
            queued AS (
                INSERT INTO webhook_deliveries (webhook_id, alert_id)
                SELECT w.id, r.id FROM raised r
                JOIN webhooks w ON (w.types IS NULL OR r.type = ANY(w.types))
                WHERE\s""" + visibleTo("r", "(to_jsonb(r) ->> 'contact_agency')", "w.agency") + """

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
            if (row.getString("comment") != null) {
                alert.put("comment", row.getString("comment"));
            }
        }
        if (row.getColumnIndex("escalates") >= 0 && row.getString("escalates") != null) {
            alert.put("escalates", row.getString("escalates"));
        }
        if (row.getColumnIndex("units") >= 0 && row.getArrayOfStrings("units") != null) {
            alert.put("units", new JsonArray(Arrays.asList(row.getArrayOfStrings("units"))));
        }
        if (row.getColumnIndex("nearest") >= 0 && row.getString("nearest") != null) {
            alert.put("nearest", new JsonArray(row.getString("nearest")));
        }
        if (row.getColumnIndex("detections") >= 0 && row.getInteger("detections") != null) {
            alert.put("detections", row.getInteger("detections"));
        }
        if (row.getColumnIndex("contact_agency") >= 0 && row.getString("contact_agency") != null) {
            // About a contact (API.md §10): its id is the unitId, and its agency decides who sees the alert.
            alert.put("contactId", row.getString("unit_id")).put("contactAgency", row.getString("contact_agency"));
        }
        if (row.getColumnIndex("assigned_unit_id") >= 0 && row.getString("assigned_unit_id") != null) {
            alert.put("assignedUnitId", row.getString("assigned_unit_id"))
                    .put("assignedBy", row.getString("assigned_by"))
                    .put("assignedAt", Times.format(row.getOffsetDateTime("assigned_at")));
            if (row.getOffsetDateTime("arrived_at") != null) {
                alert.put("arrivedAt", Times.format(row.getOffsetDateTime("arrived_at")));
            }
        }
        return alert;
    }
}
