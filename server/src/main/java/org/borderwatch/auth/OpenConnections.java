package org.borderwatch.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.borderwatch.bus.Addresses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The open connections of one door (a WebSocket route, MQTT, CoT) by the principal, and login session, they were
 * opened with, so a revocation from any node closes them at once: a disabled or changed user's, a signed-out
 * token's, a rotated device key's. Single-threaded: create it, add and close on the door's own context.
 */
public final class OpenConnections {

    private final Map<String, Set<Runnable>> byKey = new HashMap<>();

    private OpenConnections() {
    }

    /** A registry that listens for revocations on the calling context (call it from the door's start). */
    public static OpenConnections listen(Vertx vertx) {
        OpenConnections open = new OpenConnections();
        vertx.eventBus().<JsonObject>consumer(Addresses.REVOKED, msg -> open.close(msg.body().getString("close")));
        return open;
    }

    /**
     * Registers a connection of {@code principal}, opened with login token {@code session} (null for none), that
     * {@code close} closes. Returns what forgets it again: call that from the connection's close handler.
     */
    public Runnable add(Principal principal, String session, Runnable close) {
        List<String> keys = new ArrayList<>(2);
        keys.add(principal.name());
        if (session != null) {
            keys.add(Sessions.sessionKey(session));
        }
        keys.forEach(key -> byKey.computeIfAbsent(key, k -> new HashSet<>()).add(close));
        return () -> keys.forEach(key -> {
            Set<Runnable> set = byKey.get(key);
            if (set != null && set.remove(close) && set.isEmpty()) {
                byKey.remove(key);
            }
        });
    }

    /** How many connections are open here; for gauges and tests. */
    public int size() {
        Set<Runnable> all = new HashSet<>();
        byKey.values().forEach(all::addAll);
        return all.size();
    }

    private void close(String key) {
        Set<Runnable> closing = key == null ? null : byKey.remove(key);
        if (closing != null) {
            List.copyOf(closing).forEach(Runnable::run);
        }
    }
}
