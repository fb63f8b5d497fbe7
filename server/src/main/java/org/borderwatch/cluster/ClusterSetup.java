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

/** Hazelcast through vertx-hazelcast: TCP-IP join with the listed members, never multicast. */
public final class ClusterSetup {

    private ClusterSetup() {
    }

    public static Future<Vertx> start(org.borderwatch.config.Config config) {
        Config hz = ConfigUtil.loadConfig();
        hz.setClusterName(config.clusterName());
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.wait.seconds.before.join", "0");
        hz.setProperty("hazelcast.logging.type", "slf4j");
        // A member killed without a goodbye is declared dead within seconds, so its units move on quickly.
        hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        NetworkConfig net = hz.getNetworkConfig();
        net.setPort(config.clusterPort()).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface(config.clusterHost());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        config.clusterMembers().forEach(member -> join.getTcpIpConfig().addMember(member));
        return Vertx.builder()
                .with(new VertxOptions().setEventBusOptions(new EventBusOptions()
                        .setHost(config.clusterHost()).setPort(0).setClusterPublicHost(config.clusterHost())))
                .withClusterManager(new HazelcastClusterManager(hz))
                .buildClustered();
    }
}
