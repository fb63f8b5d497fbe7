package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

/**
 * The shape every track export shares: units, each of one or more lines (split at silences), each of vertices, in the
 * order {@link HistorySql#vertices} delivers them. Subclasses write the format; this class only notices where units,
 * passes and lines begin and end, so nothing but the current line's first vertex is held.
 */
abstract class TrackWriter implements RowWriter {

    private final IsoTimes times = new IsoTimes();
    private String unit;
    private int part;
    private long seg = -1;
    private Vertex first;
    private int count;

    @Override
    public final void row(Row row, Buffer out) {
        Vertex vertex = Vertex.of(row, times);
        if (!vertex.unitId().equals(unit)) {
            if (unit != null) {
                closeLine(out);
                endUnit(out);
            }
            unit = vertex.unitId();
            part = vertex.part();
            startUnit(vertex, out);
        } else if (vertex.part() != part) {
            closeLine(out);
            part = vertex.part();
            startPart(vertex, out);
        }
        if (vertex.seg() != seg) {
            closeLine(out);
            seg = vertex.seg();
            first = vertex;
            count = 0;
            startLine(vertex, out);
        }
        vertex(vertex, count++, out);
    }

    @Override
    public final void tail(Buffer out) {
        if (unit != null) {
            closeLine(out);
            endUnit(out);
        }
        finish(out);
    }

    private void closeLine(Buffer out) {
        if (seg >= 0) {
            endLine(first, count, out);
            seg = -1;
        }
    }

    /** The first vertex of a unit, before its first line. */
    abstract void startUnit(Vertex first, Buffer out);

    /** GeoJSON's second pass over the unit's lines, for the times; the other formats have one pass. */
    void startPart(Vertex first, Buffer out) {
    }

    abstract void startLine(Vertex first, Buffer out);

    /** The {@code index}th vertex of the current line (from 0). */
    abstract void vertex(Vertex vertex, int index, Buffer out);

    /** After the line's last vertex; {@code count} of them, the first being {@code first}. */
    abstract void endLine(Vertex first, int count, Buffer out);

    abstract void endUnit(Buffer out);

    /** After the last unit. */
    abstract void finish(Buffer out);
}
