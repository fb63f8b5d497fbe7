package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.borderwatch.auth.Principal;
import org.borderwatch.feed.Feed;
import org.borderwatch.track.Position;
import org.borderwatch.track.UnitStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A device front door (OsmAnd, MQTT, CoT), as Traccar's protocol pairs: it decodes its wire format into positions for
 * the one {@link PositionIngest}, and a door that also sends encodes the one {@link Feed}. What every door shares
 * lives here: the ingest (counted by the node's drain, so a stopping node answers every position it took), the
 * parser, and closing what it opened when the verticle stops.
 */
public abstract class DoorVerticle extends VerticleBase {

    protected final Doors doors;
    protected final PositionParser parser = new PositionParser(Clock.systemUTC());
    private PositionIngest ingest;
    private final List<Supplier<Future<?>>> closers = new ArrayList<>();

    protected DoorVerticle(Doors doors) {
        this.doors = doors;
    }

    @Override
    public final Future<?> start() {
        ingest = new PositionIngest(vertx, doors.units(), doors.cluster());
        return open();
    }

    /** Completes once the positions are durable, as {@link PositionIngest#submit}; in flight until then. */
    protected final Future<Integer> submit(Principal principal, List<Position> positions) {
        return doors.drain().track(ingest.submit(principal, positions));
    }

    /** Opens the door's listeners; whatever must be closed again is registered with {@link #onStop}. */
    protected abstract Future<?> open();

    /** Closed when the verticle stops, the latest registered first. */
    protected final void onStop(Supplier<Future<?>> closer) {
        closers.add(closer);
    }

    /** Starts the node's feed on this verticle's context with {@code listener}, for a door that sends too. */
    protected final Future<Feed> feed(Feed.Listener listener) {
        Pool pool = doors.database().pool(vertx, 1);
        onStop(pool::close);
        int stale = doors.config().staleSeconds();
        Feed feed = new Feed(vertx, new UnitStore(vertx, pool, doors.units(), stale), stale);
        feed.listen(listener);
        onStop(feed::stop);
        return feed.start().map(feed);
    }

    @Override
    public final Future<?> stop() {
        Future<?> chain = Future.succeededFuture();
        for (int i = closers.size() - 1; i >= 0; i--) {
            Supplier<Future<?>> closer = closers.get(i);
            chain = chain.eventually(() -> closer.get());
        }
        return chain;
    }
}
