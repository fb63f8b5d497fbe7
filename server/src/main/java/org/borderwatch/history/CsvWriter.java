package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;

/**
 * CSV (RFC 4180, CRLF line ends, a header row): one row per fix, with the number of its line (from 1) so a reader can
 * split the track where the server did. Empty fields are values the fix did not report.
 */
final class CsvWriter extends TrackWriter {

    static final String CONTENT_TYPE = "text/csv";

    @Override
    public String contentType() {
        return CONTENT_TYPE + "; charset=utf-8";
    }

    @Override
    public void head(Buffer out) {
        out.appendString("unitId,line,time,lat,lon,alt,speed,heading\r\n");
    }

    @Override
    void startUnit(Vertex first, Buffer out) {
    }

    @Override
    void startLine(Vertex first, Buffer out) {
    }

    @Override
    void vertex(Vertex vertex, int index, Buffer out) {
        out.appendString(quoted(vertex.unitId()) + "," + (vertex.seg() + 1) + "," + vertex.time() + ","
                + Text.plain(vertex.lat()) + "," + Text.plain(vertex.lon()) + "," + optional(vertex.alt()) + ","
                + optional(vertex.speed()) + "," + optional(vertex.heading()) + "\r\n");
    }

    /** A field as RFC 4180 wants it: quoted, with quotes doubled, when it holds a comma, quote or line break. */
    static String quoted(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static String optional(Double value) {
        return value == null ? "" : Text.plain(value);
    }

    @Override
    void endLine(Vertex first, int count, Buffer out) {
    }

    @Override
    void endUnit(Buffer out) {
    }

    @Override
    void finish(Buffer out) {
    }
}
