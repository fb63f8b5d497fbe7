package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;
import org.borderwatch.track.Unit;

import java.util.function.Function;

/**
 * KML 2.2 (OGC 07-147r2): a {@code Folder} per unit, a {@code Placemark} per line with the line's {@code TimeSpan},
 * so Google Earth's time slider shows each line while it was driven. Plain KML 2.2 has no time per vertex (that is
 * Google's gx:Track extension); the GeoJSON, GPX and CSV answers carry them.
 */
final class KmlWriter extends TrackWriter {

    static final String CONTENT_TYPE = "application/vnd.google-earth.kml+xml";

    private final Function<String, Unit> units;
    private int line;

    KmlWriter(Function<String, Unit> units) {
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
                <kml xmlns="http://www.opengis.net/kml/2.2">
                <Document><name>Borderwatch history</name>
                """);
    }

    @Override
    void startUnit(Vertex first, Buffer out) {
        line = 0;
        out.appendString("<Folder><name>");
        Text.xml(out, first.unitId());
        out.appendString("</name>");
        Unit unit = units.apply(first.unitId());
        if (unit != null) {
            out.appendString("<description>");
            Text.xml(out, unit.name() + " (" + unit.type() + ")");
            out.appendString("</description>");
        }
        out.appendString("\n");
    }

    @Override
    void startLine(Vertex first, Buffer out) {
        line++;
        out.appendString("<Placemark><name>");
        Text.xml(out, first.unitId() + " #" + line);
        out.appendString("</name><TimeSpan><begin>" + first.segStart() + "</begin><end>" + first.segEnd()
                + "</end></TimeSpan><LineString><tessellate>1</tessellate><coordinates>");
    }

    @Override
    void vertex(Vertex vertex, int index, Buffer out) {
        if (index > 0) {
            out.appendString(" ");
        }
        out.appendString(Text.plain(vertex.lon()) + "," + Text.plain(vertex.lat()));
    }

    @Override
    void endLine(Vertex first, int count, Buffer out) {
        if (count == 1) {
            // A line needs two positions: a lone fix between two silences is a line of no length.
            vertex(first, 1, out);
        }
        out.appendString("</coordinates></LineString></Placemark>\n");
    }

    @Override
    void endUnit(Buffer out) {
        out.appendString("</Folder>\n");
    }

    @Override
    void finish(Buffer out) {
        out.appendString("</Document>\n</kml>\n");
    }
}
