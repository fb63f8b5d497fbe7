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

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Streams a query's rows into a response through a {@link RowWriter}: a cursor reads {@value #FETCH} rows at a time,
 * the output goes out in chunks of about {@value #CHUNK_BYTES} bytes, and no more is read while the client is slower
 * than the database, so the memory a request holds stays flat whatever the size of the answer: the batch being
 * written and, at most, one read ahead on each connection.
 *
 * <p>A query may run once per parameter set ("slices" of a long window), one after the other into one answer. While
 * a batch is written the next is already being read. With more than one slice the stream holds two connections
 * ("lanes") and opens each slice on the lane the one before it does not use, so PostgreSQL sorts the next slice on
 * one core while the node writes this one from the other. Each lane reads in its own transaction: a slice sees the
 * positions committed when its lane began, which for history already written is all of them.
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
    /** One lane per slice read at a time: two for more than one slice. */
    private final List<Lane> lanes = new ArrayList<>(2);
    private Iterator<Tuple> slices;
    private int opened;
    /** The slice being read, and the batch read ahead (of it or of the next slice). */
    private Slice current;
    private Future<RowSet<Row>> ahead;
    /** The slice after it, already opened on the other lane, and its first batch. */
    private Slice following;
    private Future<RowSet<Row>> followingFirst;
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
        new CursorStream(ctx, writer, attachment).start(pool, sql, slices);
    }

    private void start(Pool pool, String sql, List<Tuple> parameterSets) {
        slices = parameterSets.iterator();
        // A client that goes away ends the query: the cursors are closed and the connections returned.
        response.closeHandler(v -> finish(null));
        writer.head(out);
        for (int i = parameterSets.size() > 1 ? 2 : 1; i > 0; i--) {
            lanes.add(new Lane(pool, sql));
        }
        // The first slice's read waits on its lane for the connection, the transaction and the statement; a
        // failure in any of them (the database down) arrives as that read's and is answered before the first byte.
        ahead = readAhead();
        pump();
    }

    /**
     * Reads the next batch: more of the current slice, or the first of the next one (closing the finished cursor,
     * and opening the slice after it on the lane that cursor frees). Succeeds with null when every slice is read.
     */
    private Future<RowSet<Row>> readAhead() {
        if (current != null && current.hasMore()) {
            return current.read();
        }
        if (current != null) {
            // Queued on its lane, ahead of the next slice opened there; nothing needs to wait for it here.
            current.close();
        }
        Future<RowSet<Row>> first;
        if (following != null) {
            current = following;
            first = followingFirst;
        } else if (slices.hasNext()) {
            current = new Slice(nextLane());
            first = current.open(slices.next());
        } else {
            current = null;
            return Future.succeededFuture();
        }
        following = null;
        followingFirst = null;
        if (lanes.size() > 1 && slices.hasNext()) {
            following = new Slice(nextLane());
            followingFirst = following.open(slices.next());
        }
        return first;
    }

    private Lane nextLane() {
        return lanes.get(opened++ % lanes.size());
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

    /** Ends the response (with the rest, or the error) and gives back the cursors and the connections, once. */
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
        current = null;
        following = null;
        ahead = null;
        followingFirst = null;
        lanes.forEach(Lane::release);
    }

    /**
     * A connection in a transaction with the query prepared on it. Every command on a lane is issued after the one
     * before it has come back, the release too: a connection is never returned while its transaction is being
     * begun or a read is in flight, and a transaction is never ended on a connection already returned.
     */
    private static final class Lane {
        private SqlConnection conn;
        private Transaction tx;
        private PreparedStatement statement;
        /** The last command issued on this lane (its opening, at first). */
        private Future<?> last;
        private boolean released;

        Lane(Pool pool, String sql) {
            last = pool.getConnection()
                    .compose(c -> {
                        conn = c;
                        // A cursor lives as long as its transaction; this one only reads.
                        return c.begin();
                    })
                    .compose(t -> {
                        tx = t;
                        // A replay slice's sort (about 4 MB for 25,000 rows) would spill to disk past the default.
                        return conn.query(WORK_MEM).execute();
                    })
                    .compose(rows -> conn.prepare(sql))
                    .onSuccess(prepared -> statement = prepared);
        }

        /** Issues {@code command} once everything issued before it on this lane has succeeded. */
        <T> Future<T> then(Supplier<Future<T>> command) {
            if (released) {
                return Future.failedFuture("the stream has ended");
            }
            Future<T> next = last.compose(v -> command.get());
            last = next;
            return next;
        }

        /**
         * Ends the transaction (which closes any cursor) and returns the connection, after whatever was issued on
         * this lane has come back, whether it succeeded or not.
         */
        void release() {
            if (released) {
                return;
            }
            released = true;
            last = last.<Void>transform(ar -> Future.succeededFuture())
                    .eventually(() -> tx == null ? Future.succeededFuture() : tx.rollback())
                    .eventually(() -> conn == null ? Future.succeededFuture() : conn.close());
        }
    }

    /** One parameter set's cursor on a lane. */
    private static final class Slice {
        private final Lane lane;
        private Cursor cursor;

        Slice(Lane lane) {
            this.lane = lane;
        }

        /** Opens the cursor and reads its first batch. */
        Future<RowSet<Row>> open(Tuple params) {
            return lane.then(() -> {
                cursor = lane.statement.cursor(params);
                return cursor.read(FETCH);
            });
        }

        /** Whether rows are left after the batch read last (known once that read has come back). */
        boolean hasMore() {
            return cursor.hasMore();
        }

        Future<RowSet<Row>> read() {
            return lane.then(() -> cursor.read(FETCH));
        }

        void close() {
            lane.then(() -> cursor.close());
        }
    }
}
