package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;
import org.borderwatch.track.Unit;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * GeoJSON (RFC 7946): a FeatureCollection with one Feature per unit, a LineString, or a MultiLineString when silences
 * split the track, and {@code properties.times} in step with the coordinates (an array per line for a
 * MultiLineString). Reads the two passes of {@link HistorySql#vertices}: coordinates, then times. Requested units
 * without a fix in the window come as Features with a null geometry, so every requested unit is answered.
 */
final class GeoJsonWriter extends TrackWriter {

    static final String CONTENT_TYPE = "application/geo+json";

    private final Function<String, Unit> units;
    private final Iterator<String> requested;
    private final String contentType;
    private String pending;
    private boolean multi;
    private boolean firstFeature = true;
    private boolean firstLine;

    /**
     * @param requested   the units asked for, sorted as the query sorts them (by code point); empty for a zone export
     * @param contentType what the client asked for: application/json or application/geo+json
     */
    GeoJsonWriter(Function<String, Unit> units, List<String> requested, String contentType) {
        this.units = units;
        this.requested = requested.iterator();
        this.pending = this.requested.hasNext() ? this.requested.next() : null;
        this.contentType = contentType;
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public void head(Buffer out) {
        out.appendString("{\"type\":\"FeatureCollection\",\"features\":[");
    }

    @Override
    void startUnit(Vertex first, Buffer out) {
        emptyBefore(first.unitId(), out);
        if (first.unitId().equals(pending)) {
            pending = requested.hasNext() ? requested.next() : null;
        }
        multi = first.lastSeg() > 0;
        feature(first.unitId(), out);
        out.appendString(",\"geometry\":{\"type\":\"" + (multi ? "MultiLineString" : "LineString")
                + "\",\"coordinates\":" + (multi ? "[" : ""));
        firstLine = true;
    }

    @Override
    void startPart(Vertex first, Buffer out) {
        out.appendString((multi ? "]" : "") + "},\"properties\":{");
        properties(first.unitId(), out);
        out.appendString(",\"times\":" + (multi ? "[" : ""));
        firstLine = true;
    }

    @Override
    void startLine(Vertex first, Buffer out) {
        out.appendString(firstLine ? "[" : ",[");
        firstLine = false;
    }

    @Override
    void vertex(Vertex vertex, int index, Buffer out) {
        if (index > 0) {
            out.appendString(",");
        }
        out.appendString(vertex.part() == 0 ? "[" + vertex.lon() + "," + vertex.lat() + "]"
                : "\"" + vertex.time() + "\"");
    }

    @Override
    void endLine(Vertex first, int count, Buffer out) {
        if (count == 1) {
            // RFC 7946 wants two positions in a LineString: a lone fix between silences is a line of no length.
            vertex(first, 1, out);
        }
        out.appendString("]");
    }

    @Override
    void endUnit(Buffer out) {
        out.appendString((multi ? "]" : "") + "}}");
    }

    @Override
    void finish(Buffer out) {
        emptyBefore(null, out);
        out.appendString("]}");
    }

    /** The requested units before {@code unitId} (all that are left when null) had no fix: null geometries. */
    private void emptyBefore(String unitId, Buffer out) {
        while (pending != null && (unitId == null || pending.compareTo(unitId) < 0)) {
            feature(pending, out);
            out.appendString(",\"geometry\":null,\"properties\":{");
            properties(pending, out);
            out.appendString(",\"times\":[]}}");
            pending = requested.hasNext() ? requested.next() : null;
        }
    }

    private void feature(String unitId, Buffer out) {
        out.appendString((firstFeature ? "" : ",") + "{\"type\":\"Feature\",\"id\":" + Text.json(unitId));
        firstFeature = false;
    }

    private void properties(String unitId, Buffer out) {
        out.appendString("\"unitId\":" + Text.json(unitId));
        Unit unit = units.apply(unitId);
        if (unit != null) {
            out.appendString(",\"name\":" + Text.json(unit.name()) + ",\"type\":" + Text.json(unit.type()));
        }
    }
}
