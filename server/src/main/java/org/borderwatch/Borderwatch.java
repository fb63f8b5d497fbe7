package org.borderwatch;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.borderwatch.alert.SilenceVerticle;
import org.borderwatch.alert.WebhookTargets;
import org.borderwatch.alert.WebhookVerticle;
import org.borderwatch.bus.LocalCodec;
import org.borderwatch.bus.PositionWireCodec;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.contact.ContactBatch;
import org.borderwatch.contact.ContactIngest;
import org.borderwatch.contact.ContactStore;
import org.borderwatch.contact.ContactVerticle;
import org.borderwatch.db.Database;
import org.borderwatch.dispatch.ArrivalVerticle;
import org.borderwatch.history.PartitionVerticle;
import org.borderwatch.http.HttpVerticle;
import org.borderwatch.ingest.Admission;
import org.borderwatch.auth.AuthService;
import org.borderwatch.auth.Sharing;
import org.borderwatch.ingest.Doors;
import org.borderwatch.ingest.OsmAndVerticle;
import org.borderwatch.ingest.adsb.SbsFeedVerticle;
import org.borderwatch.ingest.ais.AisFeedVerticle;
import org.borderwatch.ingest.cot.CotVerticle;
import org.borderwatch.ingest.mqtt.MqttVerticle;
import org.borderwatch.ops.Drain;
import org.borderwatch.ops.Metrics;
import org.borderwatch.sim.SimulatorVerticle;
import org.borderwatch.sim.TrafficVerticle;
import org.borderwatch.tls.Tls;
import org.borderwatch.track.PositionBatch;
import org.borderwatch.track.TrackVerticle;
import org.borderwatch.track.UnitRegistry;
import org.borderwatch.track.WriteLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One node: the verticles and the few objects they share, deployed in dependency order, and stopped in the reverse
 * (API.md §8): first the doors stop taking work and answer what they took, then they close, then the write path
 * commits what is queued, then Vert.x closes and leaves the cluster.
 */
public final class Borderwatch {

    private static final Logger LOG = LoggerFactory.getLogger(Borderwatch.class);
    /** The longest the doors wait for the answers in flight; the rest of the stop takes well under a second. */
    static final long DRAIN_MS = 5_000;
    /**
     * The write path runs on a thread of its own, not on an event loop: the rule work of a group commit of tens of
     * thousands of positions (a backfill) then never delays whichever doors share a loop with it (measured: 0.3 s of
     * added /health/live latency when it shared the HTTP loop). Handlers still run one at a time, in order.
     */
    private static final DeploymentOptions WRITER = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
            .setWorkerPoolName("bw-track-writer").setWorkerPoolSize(1);

    private final Vertx vertx;
    private final Drain drain = new Drain();
    /** Verticles that take work from outside (HTTP, the device doors, the simulator), in deployment order. */
    private final List<String> doors = new ArrayList<>();
    /** Verticles the doors stand on (the track writer, silence, webhooks), in deployment order. */
    private final List<String> core = new ArrayList<>();

    private Borderwatch(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Deploys a node on {@code vertx}; the schema must already be migrated ({@link Database#migrate()}). */
    public static Future<Borderwatch> deploy(Vertx vertx, Config config, ClusterView cluster) {
        try {
            Tls.check(vertx, config);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        Borderwatch node = new Borderwatch(vertx);
        vertx.eventBus().registerDefaultCodec(PositionBatch.class, new LocalCodec<>(PositionBatch.class));
        vertx.eventBus().registerCodec(new PositionWireCodec());
        vertx.eventBus().registerDefaultCodec(ContactBatch.class, new LocalCodec<>(ContactBatch.class));
        Database database = Database.fromUrl(config.dbUrl());
        Metrics metrics = new Metrics();
        Pool registryPool = database.pool(vertx, 2);
        UnitRegistry registry = new UnitRegistry(registryPool);
        metrics.gauge("bw_units_known", "Units known to this node", registry::size);
        metrics.gauge("bw_cluster_members", "Members of the cluster as this node sees it", cluster::size);
        metrics.gauge("bw_units_owned", "Units whose positions this node orders and evaluates",
                () -> registry.ids().stream().filter(cluster::owns).count());
        WriteLoad writes = new WriteLoad();
        Admission admission = new Admission(Admission.Limits.of(config), writes, metrics);
        return registry.load(vertx)
                .compose(r -> new Sharing(registryPool, registry).load(vertx))
                .compose(sharing -> AuthService.create(vertx, registryPool, registry, config.tokenTtlSeconds())
                        .compose(auth -> auth.bootstrapAdmin(config.adminPassword()).map(auth))
                        .map(auth -> new Doors(config, registry, cluster, auth, sharing, database, metrics,
                                node.drain, admission)))
                .compose(doors -> node.deploy(doors, registryPool, writes))
                .map(node);
    }

    private Future<?> deploy(Doors node, Pool registryPool, WriteLoad writes) {
        Config config = node.config();
        return deploy(core, new PartitionVerticle(node.database(), config))
                .compose(id -> vertx.deployVerticle(new TrackVerticle(node.database(), node.units(), config,
                        node.cluster(), node.metrics(), writes), WRITER).onSuccess(core::add))
                .compose(id -> deploy(core, new ContactVerticle(node.database(), config, node.metrics())))
                .compose(id -> deploy(core, new SilenceVerticle(node.database(), config, node.metrics())))
                .compose(id -> deploy(core, new ArrivalVerticle(node.database(), config.arrivalMeters(),
                        node.metrics())))
                .compose(id -> deploy(core, new WebhookVerticle(node.database(), node.metrics(),
                        new WebhookTargets(config.webhookAllowPrivate()), config.webhookRetryHours())))
                .compose(id -> deploy(doors, new HttpVerticle(config, node.database(), node.units(),
                        node.metrics(), node.cluster(), node.auth(), node.sharing(), drain, node.admission())))
                .compose(id -> deviceProtocols(node))
                .compose(id -> config.simulatorUnits() > 0
                        ? deploy(doors, new SimulatorVerticle(config, registryPool, node.units()))
                        : Future.succeededFuture())
                .compose(id -> contactFeeds(node, registryPool));
    }

    /**
     * The ADS-B (SBS-1) and AIS feeds, each when configured. With the simulator on, an unconfigured one is fed by the
     * simulator's own generators on local ports, through the same feed code a real receiver uses.
     */
    private Future<?> contactFeeds(Doors node, Pool registryPool) {
        Config config = node.config();
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
            AisFeedVerticle ais = new AisFeedVerticle(config.aisUdpPort(), agency, ingest, node.metrics());
            return deploy(doors, ais).map(id -> ais.port());
        });
        return aisPort.compose(port -> {
            if (!simulate) {
                return Future.succeededFuture(0);
            }
            TrafficVerticle traffic = new TrafficVerticle(config.adsbSbs() == null,
                    config.aisUdpPort() == 0 ? port : 0);
            return deploy(doors, traffic).map(id -> traffic.sbsPort());
        }).compose(simulatedSbs -> {
            if (config.adsbSbs() != null) {
                return deploy(doors, new SbsFeedVerticle(config.adsbHost(), config.adsbPort(), agency, ingest,
                        node.metrics()));
            }
            return simulate ? deploy(doors, new SbsFeedVerticle("127.0.0.1", simulatedSbs, agency, ingest,
                    node.metrics())) : Future.succeededFuture();
        });
    }

    /** MQTT, OsmAnd and Cursor-on-Target listeners, each unless its port is 0 (CoT: unless both of its are). */
    private Future<?> deviceProtocols(Doors node) {
        Config config = node.config();
        Future<?> deployed = Future.succeededFuture();
        if (config.mqttPort() > 0) {
            deployed = deployed.compose(v -> deploy(doors, new MqttVerticle(node)));
        }
        if (config.osmandPort() > 0) {
            deployed = deployed.compose(v -> deploy(doors, new OsmAndVerticle(node)));
        }
        if (config.cotPort() > 0 || (config.tls() && config.cotTlsPort() > 0)) {
            deployed = deployed.compose(v -> deploy(doors, new CotVerticle(node)));
        }
        return deployed;
    }

    private Future<String> deploy(List<String> group, Deployable verticle) {
        return vertx.deployVerticle(verticle).onSuccess(group::add);
    }

    /**
     * Stops the node gracefully and closes its Vert.x: the doors take nothing new and answer what they took (up to
     * {@link #DRAIN_MS}); they close their listeners and connections; the track writer commits what is queued; Vert.x
     * closes, leaving the cluster. Never blocks; the caller bounds the whole (see {@code Main}).
     */
    public Future<Void> stop() {
        long started = System.nanoTime();
        LOG.info("stopping: taking no new requests, answering the {} in flight", drain.inFlight());
        drain.begin();
        return drain.idle(vertx, DRAIN_MS)
                .onSuccess(left -> {
                    if (left > 0) {
                        LOG.warn("stopping: {} requests still unanswered after {} ms; closing anyway", left,
                                DRAIN_MS);
                    }
                })
                .transform(ar -> undeploy(doors))
                .transform(ar -> undeploy(core))
                .transform(ar -> vertx.close())
                .onComplete(ar -> LOG.info("stopped in {} ms: {}",
                        (System.nanoTime() - started) / 1_000_000, drain.summary()));
    }

    /** Undeploys {@code group} one by one, the last deployed first. */
    private Future<Void> undeploy(List<String> group) {
        Future<Void> chain = Future.succeededFuture();
        for (int i = group.size() - 1; i >= 0; i--) {
            String id = group.get(i);
            chain = chain.transform(ar -> vertx.undeploy(id).recover(e -> {
                LOG.warn("stopping: undeploying a verticle failed: {}", e.toString());
                return Future.succeededFuture();
            }));
        }
        return chain;
    }
}
