package org.borderwatch.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import org.borderwatch.bus.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * This node's view of the cluster and of who owns each unit. Ownership is rendezvous hashing of the unit id over the
 * current members: every node with the same member list agrees, and when a member leaves or joins only its share of
 * the units moves. Ownership orders a unit's positions on one node; the database's row locks (see the track writer)
 * keep crossings exactly-once even while two nodes briefly disagree about the member list.
 */
public final class ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
    private static final long REFRESH_MS = 250;
    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

    private final ClusterManager manager;
    private final String self;
    private volatile List<String> members;

    private ClusterView(ClusterManager manager, String self, List<String> members) {
        this.manager = manager;
        this.self = self;
        this.members = members;
    }

    /** A node on its own: it owns every unit. */
    public static ClusterView single() {
        return new ClusterView(null, "local", List.of("local"));
    }

    /** The view of a clustered Vert.x (or {@link #single()} when it is not clustered); follows membership changes. */
    public static ClusterView of(Vertx vertx) {
        ClusterManager manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
        if (manager == null) {
            return single();
        }
        ClusterView view = new ClusterView(manager, manager.getNodeId(), sorted(manager.getNodes()));
        vertx.setPeriodic(REFRESH_MS, id -> view.refresh(vertx));
        return view;
    }

    private void refresh(Vertx vertx) {
        if (!manager.isActive()) {
            return;
        }
        List<String> now = sorted(manager.getNodes());
        if (!now.equals(members)) {
            LOG.info("cluster members changed: {} -> {} (this node {})", members.size(), now.size(), self);
            members = now;
            vertx.eventBus().publish(Addresses.OWNERSHIP_CHANGED, now.size(), LOCAL);
        }
    }

    private static List<String> sorted(List<String> nodes) {
        List<String> copy = new ArrayList<>(nodes);
        copy.sort(null);
        return List.copyOf(copy);
    }

    public boolean clustered() {
        return manager != null;
    }

    public boolean joined() {
        return manager == null || manager.isActive();
    }

    public String self() {
        return self;
    }

    public int size() {
        return members.size();
    }

    /** The node that orders and evaluates this unit's positions. */
    public String owner(String unitId) {
        String owner = ownerAmong(unitId, members);
        return owner == null ? self : owner;
    }

    /** Rendezvous hashing: the member with the highest score for this unit. */
    static String ownerAmong(String unitId, List<String> members) {
        String best = null;
        long bestScore = Long.MIN_VALUE;
        for (String node : members) {
            long score = score(unitId, node);
            if (best == null || score > bestScore) {
                bestScore = score;
                best = node;
            }
        }
        return best;
    }

    /** Whether {@code node} is a member as this node last saw the cluster. */
    public boolean member(String node) {
        return members.contains(node);
    }

    public boolean owns(String unitId) {
        return self.equals(owner(unitId));
    }

    /** FNV-1a over unit and node, then the MurmurHash3 finaliser: cheap, stable across JVMs, well spread. */
    static long score(String unitId, String node) {
        long h = 0xcbf29ce484222325L;
        String key = unitId + '\u0000' + node;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
