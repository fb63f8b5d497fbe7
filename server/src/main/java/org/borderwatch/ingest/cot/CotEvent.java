package org.borderwatch.ingest.cot;

import io.vertx.core.json.JsonObject;
import org.borderwatch.auth.Secrets;
import org.borderwatch.ops.LogLimit;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One Cursor-on-Target event: {@code <event uid type time start stale how><point lat lon hae ce le/><detail>…}
 * with what a TAK client puts in its detail ({@code contact@callsign}, {@code __group@name,role},
 * {@code status@battery}, {@code track@course,speed}, {@code takv@device,platform,os,version}). CoT writes 9999999
 * for "unknown".
 */
public record CotEvent(String uid, String type, String how, String time, String start, Double lat, Double lon,
                       Double hae, Double ce, Double course, Double speed, JsonObject detail, Double battery)
        implements CotMessage {

    /** The type of a TAK client's keep-alive ping, answered with {@link #PONG_TYPE} and never stored. */
    public static final String PING_TYPE = "t-x-c-t";
    public static final String PONG_TYPE = "t-x-c-t-r";
    private static final double UNKNOWN = 9_999_999;
    /** Detail attributes kept with a fix: enough to know who and what, bounded whatever the client sends. */
    private static final int MAX_DETAIL_VALUE = 256;

    public static CotEvent parse(String xml) {
        if (CotMessage.parse(xml) instanceof CotEvent event) {
            return event;
        }
        throw new IllegalArgumentException("not a CoT event");
    }

    static CotEvent read(XMLStreamReader reader) throws XMLStreamException {
        String uid = reader.getAttributeValue(null, "uid");
        String type = reader.getAttributeValue(null, "type");
        String how = reader.getAttributeValue(null, "how");
        String time = reader.getAttributeValue(null, "time");
        String start = reader.getAttributeValue(null, "start");
        Double lat = null;
        Double lon = null;
        Double hae = null;
        Double ce = null;
        Double course = null;
        Double speed = null;
        Double battery = null;
        JsonObject detail = new JsonObject();
        while (reader.hasNext()) {
            if (reader.next() != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            switch (reader.getLocalName()) {
                case "point" -> {
                    lat = number(reader, "lat");
                    lon = number(reader, "lon");
                    hae = known(number(reader, "hae"));
                    ce = known(number(reader, "ce"));
                }
                case "track" -> {
                    // iTAK and others write -1 for "unknown", as a phone's location API does.
                    course = nonNegative(known(number(reader, "course")));
                    speed = nonNegative(known(number(reader, "speed")));
                }
                case "contact" -> keep(detail, "callsign", reader.getAttributeValue(null, "callsign"));
                case "__group" -> {
                    keep(detail, "group", reader.getAttributeValue(null, "name"));
                    keep(detail, "role", reader.getAttributeValue(null, "role"));
                }
                case "status" -> battery = number(reader, "battery");
                case "takv" -> {
                    keep(detail, "takDevice", reader.getAttributeValue(null, "device"));
                    keep(detail, "takPlatform", reader.getAttributeValue(null, "platform"));
                    keep(detail, "takOs", reader.getAttributeValue(null, "os"));
                    keep(detail, "takVersion", reader.getAttributeValue(null, "version"));
                }
                case "remarks" -> keep(detail, "remarks", reader.getElementText());
                default -> {
                    // Other detail (links, shapes, chat) is not a fix's business.
                }
            }
        }
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("event has no uid");
        }
        return new CotEvent(uid, type, how, time, start, lat, lon, hae, ce, course, speed, detail, battery);
    }

    public boolean isPing() {
        return PING_TYPE.equals(type);
    }

    /** Atoms ({@code a-…}) are things on the map: a TAK client's own position report is one. */
    public boolean isAtom() {
        return type != null && type.startsWith("a-");
    }

    private static void keep(JsonObject detail, String key, String value) {
        if (value != null && !value.isBlank()) {
            // Remarks carry line breaks; a stored attribute carries no control characters.
            String trimmed = value.replaceAll("\\p{Cntrl}", " ").strip();
            detail.put(key, trimmed.length() <= MAX_DETAIL_VALUE ? trimmed : trimmed.substring(0, MAX_DETAIL_VALUE));
        }
    }

    private static Double number(XMLStreamReader reader, String attribute) {
        String value = reader.getAttributeValue(null, attribute);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(value); // a subnormal is zero from the position parser on
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(attribute + "=\"" + LogLimit.clip(value) + "\" is not a number",
                    e);
        }
    }

    private static Double nonNegative(Double value) {
        return value == null || value < 0 ? null : value;
    }

    private static Double known(Double value) {
        return value == null || Math.abs(value) >= UNKNOWN ? null : value;
    }

    /**
     * The position object (API.md §4) this event reports for {@code unitId}, validated later by the one position
     * parser. Without a {@code time} the event's {@code start} stands in for it.
     */
    public JsonObject toPosition(String unitId) {
        if (lat == null || lon == null) {
            throw new IllegalArgumentException("event has no <point lat lon>");
        }
        JsonObject attributes = detail.copy().put("cotType", type).put("how", how);
        if (!uid.startsWith(Secrets.DEVICE_KEY_PREFIX)) {
            // A uid that is the device key is a credential: stored attributes are shown to every viewer.
            attributes.put("cotUid", uid);
        }
        JsonObject position = new JsonObject().put("unitId", unitId).put("time", time != null ? time : start)
                .put("lat", lat).put("lon", lon).put("alt", hae).put("accuracy", ce).put("speed", speed)
                .put("attributes", attributes);
        if (course != null) {
            position.put("heading", ((course % 360) + 360) % 360);
        }
        if (battery != null && battery >= 0 && battery <= 100) {
            position.put("battery", battery);
        }
        return position;
    }
}
