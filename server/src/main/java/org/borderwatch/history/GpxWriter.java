package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;
import org.borderwatch.track.Unit;

import java.util.function.Function;

/**
 * GPX 1.1 (topografix.com/GPX/1/1): a {@code trk} per unit, a {@code trkseg} per line, a {@code trkpt} per fix with its
 * altitude and time. GPX 1.1 has no speed or course element; the GeoJSON, CSV and replay answers carry them.
 */
final class GpxWriter extends TrackWriter {

    static final String CONTENT_TYPE = "application/gpx+xml";

    private final Function<String, Unit> units;

    GpxWriter(Function<String, Unit> units) {
        this.units = units;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public void head(Buffer out) {
        out.appendString("""
                <?xml version="1.0" encoding="UTF-8"?>
                <gpx version="1.1" creator="Borderwatch" xmlns="http://www.topografix.com/GPX/1/1" \
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
                xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">
                """);
    }

    @Override
    void startUnit(Vertex first, Buffer out) {
        out.appendString("<trk><name>");
        Text.xml(out, first.unitId());
        out.appendString("</name>");
        Unit unit = units.apply(first.unitId());
        if (unit != null) {
            out.appendString("<desc>");
            Text.xml(out, unit.name());
            out.appendString("</desc><type>");
            Text.xml(out, unit.type());
            out.appendString("</type>");
        }
        out.appendString("\n");
    }

    @Override
    void startLine(Vertex first, Buffer out) {
        out.appendString("<trkseg>\n");
    }

    @Override
    void vertex(Vertex vertex, int index, Buffer out) {
        // GPX longitudes lie in [-180, 180): the antimeridian is written as -180.
        double lon = vertex.lon() >= 180 ? -180 : vertex.lon();
        out.appendString("<trkpt lat=\"" + Text.plain(vertex.lat()) + "\" lon=\"" + Text.plain(lon) + "\">");
        if (vertex.alt() != null) {
            out.appendString("<ele>" + Text.plain(vertex.alt()) + "</ele>");
        }
        out.appendString("<time>" + vertex.time() + "</time></trkpt>\n");
    }

    @Override
    void endLine(Vertex first, int count, Buffer out) {
        out.appendString("</trkseg>\n");
    }

    @Override
    void endUnit(Buffer out) {
        out.appendString("</trk>\n");
    }

    @Override
    void finish(Buffer out) {
        out.appendString("</gpx>\n");
    }
}
