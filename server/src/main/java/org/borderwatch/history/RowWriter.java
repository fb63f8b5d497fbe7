package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

/** Turns the rows of one query into one response body, a row at a time, holding no more than its current row needs. */
interface RowWriter {

    /** The response's {@code Content-Type}. */
    String contentType();

    /** What comes before the first row. */
    void head(Buffer out);

    void row(Row row, Buffer out);

    /** What comes after the last row. */
    void tail(Buffer out);
}
