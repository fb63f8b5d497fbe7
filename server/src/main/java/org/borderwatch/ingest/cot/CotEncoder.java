package org.borderwatch.ingest.cot;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.borderwatch.Times;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The feed in Cursor-on-Target, as a TAK server sends it: a unit's position as a friendly atom of its type, an alert
 * as an alarm event, and the pong that answers a ping. Each event is encoded once and the same bytes go to every
 * client that may see it.
 */
public final class CotEncoder {

    /** MIL-STD-2525 types a TAK client draws with the right symbol. */
    private static final Map<String, String> UNIT_TYPES = Map.of(
            "drone", "a-f-A-M-F-Q",
            "vehicle", "a-f-G-E-V",
            "boat", "a-f-S-X",
            "foot", "a-f-G-U-C",
            "aircraft", "a-f-A",
            "sensor", "a-f-G-E-S");
    /** ATAK shows this type as "Geo-fence Breached". */
    static final String GEOFENCE_ALARM = "b-a-g";
    static final String ALARM = "b-a";
    /** ATAK's "go to" waypoint: a navigation target on the receiving device. */
    static final String TASK = "b-m-p-w-GOTO";
    /** A task stays on the device's map for an hour, or until the alert closes. */
    private static final long TASK_STALE_SECONDS = 3600;
    private static final String UNKNOWN = "9999999.0";
    /** An alarm stays on a TAK map this long. */
    private static final long ALARM_STALE_SECONDS = 600;

    private final long staleSeconds;

    public CotEncoder(long staleSeconds) {
        this.staleSeconds = staleSeconds;
    }

    /** A unit object of the feed (API.md §7 "U") with the unit's name as callsign. */
    public Buffer position(JsonObject unit, String name) {
        Instant time = Times.parse(unit.getString("time"));
        StringBuilder xml = event(unit.getString("id"), cotType(unit.getString("type")), "m-g", time,
                time.plusSeconds(staleSeconds));
        point(xml, unit.getDouble("lat"), unit.getDouble("lon"));
        xml.append("<detail><contact callsign=\"").append(escape(name)).append("\"/>");
        Double heading = unit.getDouble("heading");
        Double speed = unit.getDouble("speed");
        if (heading != null || speed != null) {
            xml.append("<track course=\"").append(heading == null ? UNKNOWN : heading)
                    .append("\" speed=\"").append(speed == null ? UNKNOWN : speed).append("\"/>");
        }
        xml.append("<__borderwatch unitId=\"").append(escape(unit.getString("id"))).append("\" status=\"")
                .append(escape(unit.getString("status"))).append("\"/></detail></event>");
        return Buffer.buffer(xml.toString());
    }

    /** An alert (API.md §6) as an alarm at the fix that raised it, linked to its unit. */
    public Buffer alert(JsonObject alert, String unitName) {
        String type = alert.getString("type");
        boolean fence = alert.getString("geofenceId") != null;
        Instant time = Times.parse(alert.getString("detectedAt"));
        String what = type.toUpperCase(Locale.ROOT) + ": " + unitName
                + (fence ? " — " + alert.getString("geofenceName") : "");
        StringBuilder xml = event("borderwatch-alert-" + alert.getString("id"), fence ? GEOFENCE_ALARM : ALARM,
                "h-g-i-g-o", time, time.plusSeconds(ALARM_STALE_SECONDS));
        point(xml, alert.getDouble("lat"), alert.getDouble("lon"));
        xml.append("<detail><contact callsign=\"").append(escape(what)).append("\"/>");
        if (fence) {
            xml.append("<emergency type=\"Geo-fence Breached\">").append(escape(unitName)).append("</emergency>");
        }
        xml.append("<link uid=\"").append(escape(alert.getString("unitId"))).append("\" relation=\"p-p\"/>")
                .append("<remarks>").append(escape(what)).append(" (severity ")
                .append(escape(alert.getString("severity"))).append(", fix at ").append(alert.getString("time"))
                .append(")</remarks>")
                .append("<__borderwatch alertId=\"").append(escape(alert.getString("id")))
                .append("\" alertType=\"").append(escape(type))
                .append("\" severity=\"").append(escape(alert.getString("severity")))
                .append("\" unitId=\"").append(escape(alert.getString("unitId"))).append('"');
        if (fence) {
            xml.append(" geofenceId=\"").append(escape(alert.getString("geofenceId"))).append('"');
        }
        xml.append("/></detail></event>");
        return Buffer.buffer(xml.toString());
    }

    /**
     * A task for the client's own unit (API.md §10): a "go to" waypoint at the alert's place, as ATAK draws and
     * navigates to, linked to the alert's alarm, with the distance and ETA in its remarks.
     */
    public Buffer task(JsonObject task, Instant now) {
        String what = "GO TO " + task.getString("type", "alert").toUpperCase(Locale.ROOT);
        StringBuilder xml = event("borderwatch-task-" + task.getString("alertId"), TASK, "h-g-i-g-o", now,
                now.plusSeconds(TASK_STALE_SECONDS));
        point(xml, task.getDouble("lat"), task.getDouble("lon"));
        StringBuilder remarks = new StringBuilder(what).append(" (assigned by ")
                .append(task.getString("assignedBy")).append(')');
        if (task.getLong("distanceMeters") != null) {
            remarks.append(", ").append(task.getLong("distanceMeters")).append(" m, ETA ")
                    .append(Math.max(1, Math.round(task.getLong("etaSeconds") / 60.0))).append(" min");
        }
        xml.append("<detail><contact callsign=\"").append(escape(what)).append("\"/>")
                .append("<link uid=\"borderwatch-alert-").append(escape(task.getString("alertId")))
                .append("\" relation=\"p-p\"/>")
                .append("<remarks>").append(escape(remarks.toString())).append("</remarks>")
                .append("<__borderwatch task=\"true\" alertId=\"").append(escape(task.getString("alertId")))
                .append("\"/></detail></event>");
        return Buffer.buffer(xml.toString());
    }

    /** The answer to a client's {@code t-x-c-t} ping. */
    public static Buffer pong(Instant now) {
        StringBuilder xml = event("takPong", CotEvent.PONG_TYPE, "h-g-i-g-o", now, now.plusSeconds(20));
        point(xml, 0.0, 0.0);
        return Buffer.buffer(xml.append("<detail/></event>").toString());
    }

    static String cotType(String unitType) {
        return UNIT_TYPES.getOrDefault(unitType, "a-f-G");
    }

    private static StringBuilder event(String uid, String type, String how, Instant time, Instant stale) {
        return new StringBuilder(512).append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>")
                .append("<event version=\"2.0\" uid=\"").append(escape(uid)).append("\" type=\"").append(type)
                .append("\" how=\"").append(how).append("\" time=\"").append(Times.format(time))
                .append("\" start=\"").append(Times.format(time)).append("\" stale=\"").append(Times.format(stale))
                .append("\">");
    }

    private static void point(StringBuilder xml, Double lat, Double lon) {
        xml.append("<point lat=\"").append(lat == null ? 0.0 : lat).append("\" lon=\"")
                .append(lon == null ? 0.0 : lon).append("\" hae=\"").append(UNKNOWN).append("\" ce=\"")
                .append(UNKNOWN).append("\" le=\"").append(UNKNOWN).append("\"/>");
    }

    /** XML-escapes text for an attribute or element; control characters become spaces. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 ? ' ' : c);
            }
        }
        return out.toString();
    }
}
