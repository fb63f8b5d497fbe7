package org.borderwatch.ingest;

import io.vertx.core.json.JsonObject;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;

/**
 * One Cursor-on-Target event, {@code <event uid type time start stale how><point lat lon hae ce le/>
 * <detail><track course speed/></detail></event>}, read with a StAX parser that refuses DTDs and external
 * entities. CoT writes 9999999 for "unknown".
 */
public record CotEvent(String uid, String type, String how, String time, double lat, double lon, Double hae,
                       Double ce, Double course, Double speed) {

    private static final double UNKNOWN = 9_999_999;
    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    /** Parses one event; {@link IllegalArgumentException} says what is wrong with it. */
    public static CotEvent parse(String xml) {
        try {
            XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(xml));
            try {
                return read(reader);
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static CotEvent read(XMLStreamReader reader) throws XMLStreamException {
        reader.nextTag();
        if (!"event".equals(reader.getLocalName())) {
            throw new IllegalArgumentException("root element is <" + reader.getLocalName() + ">, not <event>");
        }
        String uid = reader.getAttributeValue(null, "uid");
        String type = reader.getAttributeValue(null, "type");
        String how = reader.getAttributeValue(null, "how");
        String time = reader.getAttributeValue(null, "time");
        Double lat = null;
        Double lon = null;
        Double hae = null;
        Double ce = null;
        Double course = null;
        Double speed = null;
        while (reader.hasNext()) {
            if (reader.next() != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            if ("point".equals(reader.getLocalName())) {
                lat = number(reader, "lat");
                lon = number(reader, "lon");
                hae = known(number(reader, "hae"));
                ce = known(number(reader, "ce"));
            } else if ("track".equals(reader.getLocalName())) {
                course = number(reader, "course");
                speed = number(reader, "speed");
            }
        }
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("event has no uid");
        }
        if (lat == null || lon == null) {
            throw new IllegalArgumentException("event has no <point lat lon>");
        }
        return new CotEvent(uid, type, how, time, lat, lon, hae, ce, course, speed);
    }

    private static Double number(XMLStreamReader reader, String attribute) {
        String value = reader.getAttributeValue(null, attribute);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(attribute + "=\"" + value + "\" is not a number", e);
        }
    }

    private static Double known(Double value) {
        return value == null || value >= UNKNOWN ? null : value;
    }

    /** The position object (API.md §4) this event reports for {@code unitId}; validated by {@link PositionParser}. */
    public JsonObject toPosition(String unitId) {
        JsonObject position = new JsonObject().put("unitId", unitId).put("time", time).put("lat", lat).put("lon", lon)
                .put("alt", hae).put("accuracy", ce).put("speed", speed)
                .put("attributes", new JsonObject().put("cotType", type).put("how", how));
        if (course != null) {
            position.put("heading", ((course % 360) + 360) % 360);
        }
        return position;
    }
}
