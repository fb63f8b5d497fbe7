package org.borderwatch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between a node and the test database, so a test can take the database away from one node ({@link #cut})
 * and give it back ({@link #open}) without stopping the PostgreSQL cluster the other tests share. Cut, the node's
 * pooled connections close under it and new ones are refused, as when PostgreSQL stops.
 */
public final class DbRelay {

    private final Vertx vertx;
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private final NetClient client;
    private NetServer server;

    private DbRelay(Vertx vertx, String targetHost, int targetPort, int port) {
        this.vertx = vertx;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
        this.client = vertx.createNetClient();
    }

    /** A relay to {@link TestNode#DB_URL}'s server on a free port, open. */
    public static DbRelay open(Vertx vertx) throws Exception {
        URI db = URI.create(TestNode.DB_URL);
        DbRelay relay = new DbRelay(vertx, db.getHost(), db.getPort() > 0 ? db.getPort() : 5432, TestNode.freePort());
        relay.open();
        return relay;
    }

    /** {@link TestNode#DB_URL} through this relay: a node's {@code BW_DB_URL}. */
    public String url() {
        URI db = URI.create(TestNode.DB_URL);
        return TestNode.DB_URL.replace(db.getHost() + ":" + db.getPort(), "127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Listens (again): new connections reach the database. */
    public void open() throws Exception {
        server = TestNode.await(vertx.createNetServer().connectHandler(this::relay).listen(port, "127.0.0.1"));
    }

    private void relay(NetSocket inbound) {
        inbound.pause();
        sockets.add(inbound);
        client.connect(targetPort, targetHost).onComplete(ar -> {
            if (ar.failed()) {
                inbound.close();
                return;
            }
            NetSocket outbound = ar.result();
            sockets.add(outbound);
            inbound.pipeTo(outbound);
            outbound.pipeTo(inbound);
            inbound.resume();
        });
    }

    /** Drops every connection and stops listening: the database is unreachable. */
    public void cut() throws Exception {
        TestNode.await(server.close());
        TestNode.await(Future.all(sockets.stream().map(NetSocket::close).toList()));
        sockets.clear();
    }
}
