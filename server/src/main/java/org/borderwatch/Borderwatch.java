package org.borderwatch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.borderwatch.alert.SilenceVerticle;
import org.borderwatch.alert.WebhookTargets;
import org.borderwatch.alert.WebhookVerticle;
import org.borderwatch.bus.LocalCodec;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.contact.ContactBatch;
import org.borderwatch.contact.ContactIngest;
import org.borderwatch.contact.ContactStore;
import org.borderwatch.contact.ContactVerticle;
import org.borderwatch.db.Database;
import org.borderwatch.dispatch.ArrivalVerticle;
import org.borderwatch.http.HttpVerticle;
import org.borderwatch.auth.AuthService;
import org.borderwatch.auth.Sharing;
import org.borderwatch.ingest.Doors;
import org.borderwatch.ingest.OsmAndVerticle;
import org.borderwatch.ingest.adsb.SbsFeedVerticle;
import org.borderwatch.ingest.ais.AisFeedVerticle;
import org.borderwatch.ingest.cot.CotVerticle;
import org.borderwatch.ingest.mqtt.MqttVerticle;
import org.borderwatch.ops.Metrics;
import org.borderwatch.sim.SimulatorVerticle;
import org.borderwatch.sim.TrafficVerticle;
import org.borderwatch.tls.Tls;
import org.borderwatch.track.PositionBatch;
import org.borderwatch.track.TrackVerticle;
import org.borderwatch.track.UnitRegistry;

/** One node: the verticles and the few objects they share, deployed in dependency order. */
public final class Borderwatch {

    private Borderwatch() {
    }

    /** Deploys a node on {@code vertx}; the schema must already be migrated ({@link Database#migrate()}). */
    public static Future<Void> deploy(Vertx vertx, Config config, ClusterView cluster) {
        try {
            Tls.check(vertx, config);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        vertx.eventBus().registerDefaultCodec(PositionBatch.class, new LocalCodec<>(PositionBatch.class));
        vertx.eventBus().registerDefaultCodec(ContactBatch.class, new LocalCodec<>(ContactBatch.class));
        Database database = Database.fromUrl(config.dbUrl());
        Metrics metrics = new Metrics();
        Pool registryPool = database.pool(vertx, 2);
        UnitRegistry registry = new UnitRegistry(registryPool);
        metrics.gauge("bw_units_known", "Units known to this node", registry::size);
        metrics.gauge("bw_cluster_members", "Members of the cluster as this node sees it", cluster::size);
        metrics.gauge("bw_units_owned", "Units whose positions this node orders and evaluates",
                () -> registry.ids().stream().filter(cluster::owns).count());
        return registry.load(vertx)
                .compose(r -> new Sharing(registryPool, registry).load(vertx))
                .compose(sharing -> AuthService.create(vertx, registryPool, registry, config.tokenTtlSeconds())
                        .compose(auth -> auth.bootstrapAdmin(config.adminPassword()).map(auth))
                        .map(auth -> new Doors(config, registry, cluster, auth, sharing, database, metrics)))
                .compose(doors -> deploy(vertx, doors, registryPool))
                .mapEmpty();
    }

    private static Future<?> deploy(Vertx vertx, Doors node, Pool registryPool) {
        Config config = node.config();
        return vertx.deployVerticle(new TrackVerticle(node.database(), node.units(), config, node.cluster(),
                        node.metrics()))
                .compose(id -> vertx.deployVerticle(new ContactVerticle(node.database(), config, node.metrics())))
                .compose(id -> vertx.deployVerticle(new SilenceVerticle(node.database(), config, node.metrics())))
                .compose(id -> vertx.deployVerticle(new ArrivalVerticle(node.database(), config.arrivalMeters(),
                        node.metrics())))
                .compose(id -> vertx.deployVerticle(new WebhookVerticle(node.database(), node.metrics(),
                        new WebhookTargets(config.webhookAllowPrivate()), config.webhookRetryHours())))
                .compose(id -> vertx.deployVerticle(new HttpVerticle(config, node.database(), node.units(),
                        node.metrics(), node.cluster(), node.auth(), node.sharing())))
                .compose(id -> deviceProtocols(vertx, node))
                .compose(id -> config.simulatorUnits() > 0
                        ? vertx.deployVerticle(new SimulatorVerticle(config, registryPool, node.units()))
                        : Future.succeededFuture())
                .compose(id -> contactFeeds(vertx, node, registryPool));
    }

    /**
     * The ADS-B (SBS-1) and AIS feeds, each when configured. With the simulator on, an unconfigured one is fed by the
     * simulator's own generators on local ports, through the same feed code a real receiver uses.
     */
    private static Future<?> contactFeeds(Vertx vertx, Doors doors, Pool registryPool) {
        Config config = doors.config();
        boolean simulate = config.simulatorUnits() > 0;
        if (config.adsbSbs() == null && config.aisUdpPort() == 0 && !simulate) {
            return Future.succeededFuture();
        }
        ContactIngest ingest = new ContactIngest(vertx);
        String agency = config.contactFeedAgency();
        Future<Integer> aisPort = ContactStore.agencyExists(registryPool, agency).compose(exists -> {
            if (!exists) {
                return Future.failedFuture(new IllegalArgumentException("BW_CONTACT_FEED_AGENCY names no agency: "
                        + agency));
            }
            if (config.aisUdpPort() == 0 && !simulate) {
                return Future.succeededFuture(0);
            }
            AisFeedVerticle ais = new AisFeedVerticle(config.aisUdpPort(), agency, ingest, doors.metrics());
            return vertx.deployVerticle(ais).map(id -> ais.port());
        });
        return aisPort.compose(port -> {
            if (!simulate) {
                return Future.succeededFuture(0);
            }
            TrafficVerticle traffic = new TrafficVerticle(config.adsbSbs() == null,
                    config.aisUdpPort() == 0 ? port : 0);
            return vertx.deployVerticle(traffic).map(id -> traffic.sbsPort());
        }).compose(simulatedSbs -> {
            if (config.adsbSbs() != null) {
                return vertx.deployVerticle(new SbsFeedVerticle(config.adsbHost(), config.adsbPort(), agency, ingest,
                        doors.metrics()));
            }
            return simulate ? vertx.deployVerticle(new SbsFeedVerticle("127.0.0.1", simulatedSbs, agency, ingest,
                    doors.metrics())) : Future.succeededFuture();
        });
    }

    /** MQTT, OsmAnd and Cursor-on-Target listeners, each unless its port is 0 (CoT: unless both of its are). */
    private static Future<?> deviceProtocols(Vertx vertx, Doors doors) {
        Config config = doors.config();
        Future<?> deployed = Future.succeededFuture();
        if (config.mqttPort() > 0) {
            deployed = deployed.compose(v -> vertx.deployVerticle(new MqttVerticle(doors)));
        }
        if (config.osmandPort() > 0) {
            deployed = deployed.compose(v -> vertx.deployVerticle(new OsmAndVerticle(doors)));
        }
        if (config.cotPort() > 0 || (config.tls() && config.cotTlsPort() > 0)) {
            deployed = deployed.compose(v -> vertx.deployVerticle(new CotVerticle(doors)));
        }
        return deployed;
    }
}
