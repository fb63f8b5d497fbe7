package org.borderwatch.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import org.borderwatch.Times;
import org.borderwatch.bus.Addresses;
import org.borderwatch.config.Config;
import org.borderwatch.geofence.GeofenceInput;
import org.borderwatch.geofence.GeofenceStore;
import org.borderwatch.track.UnitRegistry;
import org.borderwatch.track.UnitStore;
import org.borderwatch.auth.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code BW_SIMULATOR_UNITS} drones, patrol vehicles, boats and foot patrols along the US–Mexico border. Each unit
 * posts its fix every second over HTTP with its own device key, exactly as a real device would.
 */
public final class SimulatorVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorVerticle.class);
    private static final long TICK_MS = 1000;

    private final Config config;
    private final Pool pool;
    private final UnitRegistry registry;
    private final List<SimUnit> fleet = new ArrayList<>();
    private WebClient client;
    private boolean warned;

    public SimulatorVerticle(Config config, Pool pool, UnitRegistry registry) {
        this.config = config;
        this.pool = pool;
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(config.httpPort()).setKeepAlive(true));
        UnitStore units = new UnitStore(vertx, pool, registry, config.staleSeconds());
        return DemoAgencies.ensure(pool)
                .onSuccess(created -> {
                    if (created) {
                        vertx.eventBus().publish(Addresses.SHARES_CHANGED, null);
                    }
                })
                .compose(v -> {
                    List<Future<?>> created = new ArrayList<>();
                    for (int i = 0; i < config.simulatorUnits(); i++) {
                        SimUnit unit = SimUnit.create(i);
                        fleet.add(unit);
                        created.add(units.createOrRekey(unit.id(), unit.name(), unit.type(),
                                        DemoAgencies.of(unit.type()))
                                .onSuccess(json -> unit.deviceKey(json.getString("deviceKey"))));
                    }
                    return Future.all(created);
                })
                .compose(v -> units.lastKnown())
                .onSuccess(seen -> resume(seen.getJsonArray("features")))
                .compose(v -> addDemoGeofences())
                .compose(v -> new SimSensors(vertx, client).start(units, DemoAgencies.FEDERAL))
                .onSuccess(v -> {
                    // A simulated patrol that an operator sends somewhere drives there (API.md §10).
                    vertx.eventBus().<JsonObject>consumer(Addresses.TASKS, msg -> respond(msg.body()));
                    vertx.setPeriodic(TICK_MS, id -> tick());
                    LOG.info("simulator: {} units moving along the US-Mexico border", fleet.size());
                });
    }

    /** Units seen before (the server restarted) carry on from their last-known positions. */
    private void resume(JsonArray lastKnown) {
        Map<String, JsonArray> seen = new HashMap<>();
        lastKnown.forEach(f -> seen.put(((JsonObject) f).getString("id"),
                ((JsonObject) f).getJsonObject("geometry").getJsonArray("coordinates")));
        for (SimUnit unit : fleet) {
            JsonArray at = seen.get(unit.id());
            if (at != null) {
                unit.resume(at.getDouble(0), at.getDouble(1));
            }
        }
    }

    private Future<Void> addDemoGeofences() {
        GeofenceStore store = new GeofenceStore(pool, config.geofenceMaxAreaKm2());
        return store.list(Principal.ROOT).compose(existing -> {
            Set<String> names = new HashSet<>();
            existing.getJsonArray("features").forEach(f -> names.add(((JsonObject) f).getJsonObject("properties")
                    .getString("name")));
            List<Future<?>> added = new ArrayList<>();
            for (JsonObject fence : DemoGeofences.all()) {
                if (!names.contains(fence.getJsonObject("properties").getString("name"))) {
                    added.add(store.create(GeofenceInput.parse(fence), DemoAgencies.FEDERAL)
                            .onSuccess(feature -> vertx.eventBus().publish(Addresses.GEOFENCE_CHANGED,
                                    new JsonObject().put("op", "upsert").put("feature", feature))));
                }
            }
            return Future.all(added).mapEmpty();
        });
    }

    private void respond(JsonObject task) {
        String unitId = task.getString("unitId");
        JsonObject where = task.getJsonObject("task");
        for (SimUnit unit : fleet) {
            if (unit.id().equals(unitId)) {
                unit.goTo(where.getDouble("lon"), where.getDouble("lat"));
            }
        }
    }

    private void tick() {
        String now = Times.format(Instant.now());
        for (SimUnit unit : fleet) {
            JsonObject fix = unit.step(TICK_MS / 1000.0, now);
            client.post("/api/v1/positions")
                    .putHeader("Authorization", "Bearer " + unit.deviceKey())
                    .sendJsonObject(fix)
                    .onComplete(ar -> {
                        int status = ar.succeeded() ? ar.result().statusCode() : -1;
                        if (status != 202 && !warned) {
                            warned = true;
                            LOG.warn("simulated unit {} got {} posting its position", unit.id(),
                                    ar.succeeded() ? status + " " + ar.result().bodyAsString() : ar.cause());
                        }
                    });
        }
    }

    @Override
    public Future<?> stop() {
        client.close();
        return Future.succeededFuture();
    }
}
