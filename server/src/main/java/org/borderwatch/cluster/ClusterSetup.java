package org.borderwatch.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Hazelcast through vertx-hazelcast: TCP-IP join with the listed members, never multicast. */
public final class ClusterSetup {

    private ClusterSetup() {
    }

    /**
     * Starts a clustered Vert.x. {@code BW_CLUSTER_HOST} may be an address or a name (a container's host name): it is
     * resolved once here, before any event loop runs, and both Hazelcast and the event bus bind to that address.
     */
    public static Future<Vertx> start(org.borderwatch.config.Config config) {
        String address;
        try {
            address = InetAddress.getByName(config.clusterHost()).getHostAddress();
        } catch (UnknownHostException e) {
            return Future.failedFuture(new IllegalArgumentException("BW_CLUSTER_HOST " + config.clusterHost()
                    + " does not resolve", e));
        }
        Config hz = ConfigUtil.loadConfig();
        hz.setClusterName(config.clusterName());
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.wait.seconds.before.join", "0");
        hz.setProperty("hazelcast.logging.type", "slf4j");
        // A member killed without a goodbye is declared dead within seconds, so its units move on quickly.
        hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        // The node's own stop leaves the cluster after its requests are answered (see Main), not Hazelcast's hook at
        // the first moment of SIGTERM; and a graceful leave hands its partitions over within a bounded time.
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        hz.setProperty("hazelcast.graceful.shutdown.max.wait", "3");
        NetworkConfig net = hz.getNetworkConfig();
        net.setPort(config.clusterPort()).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface(address);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        config.clusterMembers().forEach(member -> join.getTcpIpConfig().addMember(member));
        return Vertx.builder()
                .with(new VertxOptions().setEventBusOptions(new EventBusOptions()
                        .setHost(address).setPort(0).setClusterPublicHost(address)))
                .withClusterManager(new HazelcastClusterManager(hz))
                .buildClustered();
    }
}
