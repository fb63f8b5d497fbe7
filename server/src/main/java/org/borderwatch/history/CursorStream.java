package org.borderwatch.history;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.http.Responses;
import org.borderwatch.ops.LogLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.List;

/**
 * Streams a query's rows into a response through a {@link RowWriter}: a cursor reads {@value #FETCH} rows at a time,
 * the output goes out in chunks of about {@value #CHUNK_BYTES} bytes, and no more is read while the client is slower
 * than the database, so the memory a request holds stays flat whatever the size of the answer: the batch being
 * written and, at most, the one read ahead.
 *
 * <p>A query may run once per parameter set ("slices" of a long window), one after the other into one answer. While
 * a batch is written the next is already being read, also across slices, so PostgreSQL sorts the next slice while
 * the node writes this one.
 *
 * <p>The status is sent with the first chunk: a failure before it (a bad zone PostGIS refuses, the database down) is
 * an ordinary JSON error; a failure after it can only cut the response short, which the client sees as a broken
 * transfer rather than a complete file.
 */
final class CursorStream {

    private static final Logger LOG = LoggerFactory.getLogger(CursorStream.class);
    private static final LogLimit BROKEN = new LogLimit(LOG, "history streams", 10);
    static final int FETCH = 2000;
    /** For this transaction only: the sort of one replay slice (about 25,000 rows of 2,000 units) stays in memory. */
    static final String WORK_MEM = "SET LOCAL work_mem = '32MB'";
    static final int CHUNK_BYTES = 64 * 1024;

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final RowWriter writer;
    private final String attachment;
    private SqlConnection conn;
    private Transaction tx;
    private PreparedStatement statement;
    private Iterator<Tuple> slices;
    /** The slice being read, and the batch read ahead (of it or of the next slice). */
    private Cursor cursor;
    private Future<RowSet<Row>> ahead;
    private Buffer out = Buffer.buffer(CHUNK_BYTES + 1024);
    private boolean started;
    private boolean done;

    private CursorStream(RoutingContext ctx, RowWriter writer, String attachment) {
        this.ctx = ctx;
        this.response = ctx.response();
        this.writer = writer;
        this.attachment = attachment;
    }

    /**
     * Answers {@code ctx} with {@code sql}'s rows as {@code writer} writes them; {@code attachment}, when not null, is
     * the file name a browser saves the answer under.
     */
    static void send(RoutingContext ctx, Pool pool, String sql, Tuple params, RowWriter writer, String attachment) {
        send(ctx, pool, sql, List.of(params), writer, attachment);
    }

    /**
     * The same for a query run once per parameter set, one after the other, into one answer: a long window read as
     * consecutive slices, so the database sorts one slice at a time and the first byte leaves after the first.
     */
    static void send(RoutingContext ctx, Pool pool, String sql, List<Tuple> slices, RowWriter writer,
                     String attachment) {
        new CursorStream(ctx, writer, attachment).start(pool, sql, slices.iterator());
    }

    private void start(Pool pool, String sql, Iterator<Tuple> parameterSets) {
        slices = parameterSets;
        // A client that goes away ends the query: the cursor is closed and the connection returned.
        response.closeHandler(v -> finish(null));
        writer.head(out);
        pool.getConnection()
                .compose(c -> {
                    conn = c;
                    // A cursor lives as long as its transaction; this one only reads.
                    return done ? gone() : c.begin();
                })
                .compose(t -> {
                    tx = t;
                    // A replay slice's rows, with their numbers as text, spill past the default 4 MB to disk.
                    return done ? gone() : conn.query(WORK_MEM).execute();
                })
                .compose(rows -> done ? gone() : conn.prepare(sql))
                .onSuccess(prepared -> {
                    if (done) {
                        release();
                        return;
                    }
                    statement = prepared;
                    ahead = readAhead();
                    pump();
                })
                .onFailure(this::finish);
    }

    /**
     * Reads the next batch: more of the current slice, or the first of the next one (closing the finished cursor).
     * Succeeds with null when every slice is read.
     */
    private Future<RowSet<Row>> readAhead() {
        if (cursor != null && cursor.hasMore()) {
            return cursor.read(FETCH);
        }
        Future<Void> closed = cursor == null ? Future.succeededFuture() : cursor.close();
        cursor = null;
        if (!slices.hasNext()) {
            return closed.map(v -> null);
        }
        Cursor next = statement.cursor(slices.next());
        cursor = next;
        return closed.compose(v -> next.read(FETCH));
    }

    /** Writes the batch read ahead while the next one is read, until the client falls behind or all is written. */
    private void pump() {
        ahead.onComplete(ar -> {
            if (done) {
                return;
            }
            if (ar.failed()) {
                finish(ar.cause());
                return;
            }
            RowSet<Row> batch = ar.result();
            if (batch == null) {
                writer.tail(out);
                finish(null);
                return;
            }
            ahead = readAhead();
            for (Row row : batch) {
                writer.row(row, out);
                if (out.length() >= CHUNK_BYTES) {
                    flush();
                }
            }
            if (response.writeQueueFull()) {
                response.drainHandler(v -> pump());
            } else {
                // Through the event loop, not a nested call: the read ahead is often complete by now, and a month
                // of batches must not become a month-deep stack.
                ctx.vertx().runOnContext(v -> pump());
            }
        });
    }

    private void flush() {
        if (!started) {
            started = true;
            headers().setChunked(true);
        }
        response.write(out);
        out = Buffer.buffer(CHUNK_BYTES + 1024);
    }

    private HttpServerResponse headers() {
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, writer.contentType());
        if (attachment != null) {
            response.putHeader("Content-Disposition", "attachment; filename=\"" + attachment + "\"");
        }
        return response;
    }

    /** Ends the response (with the rest, or the error) and gives back the cursor and the connection, once. */
    private void finish(Throwable failure) {
        if (done) {
            return;
        }
        done = true;
        if (failure == null && !response.closed() && !response.ended()) {
            if (started) {
                response.end(out);
            } else {
                headers().end(out);
            }
        } else if (failure != null && !response.closed() && !response.ended()) {
            if (started) {
                BROKEN.warn("{} {} cut short after it began: {}", ctx.request().method(), ctx.request().path(),
                        failure.getMessage());
                response.reset();
            } else {
                Responses.fail(ctx, failure);
            }
        }
        out = null;
        release();
    }

    /** The client left while the query was being set up: what was set up so far goes back. */
    private <T> Future<T> gone() {
        release();
        return Future.failedFuture("the client went away");
    }

    /**
     * Ends the transaction (which closes any cursor) and returns the connection, after the read in flight, if any,
     * has come back; what is not there yet is left alone.
     */
    private void release() {
        Future<?> pending = ahead == null ? Future.succeededFuture() : ahead;
        Transaction transaction = tx;
        SqlConnection connection = conn;
        ahead = null;
        cursor = null;
        tx = null;
        conn = null;
        pending.<Void>transform(ar -> Future.succeededFuture())
                .eventually(() -> transaction == null ? Future.succeededFuture() : transaction.rollback())
                .eventually(() -> connection == null ? Future.succeededFuture() : connection.close());
    }
}
