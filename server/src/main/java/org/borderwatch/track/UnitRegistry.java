package org.borderwatch.track;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.bus.Addresses;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's view of all units, shared by its verticles: who a device key belongs to and what type a unit is. Loaded
 * at start, kept current by {@link Addresses#UNIT_CHANGED}; a miss (a unit created a moment ago on another node)
 * falls back to the database.
 */
public final class UnitRegistry {

    private final Map<String, Unit> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByKeyHash = new ConcurrentHashMap<>();
    /** Hashes of rotated keys: never accepted again, even if a lookup that started before the rotation returns one. */
    private final Set<String> retired = ConcurrentHashMap.newKeySet();
    private final Pool pool;

    public UnitRegistry(Pool pool) {
        this.pool = pool;
    }

    public Future<UnitRegistry> load(Vertx vertx) {
        vertx.eventBus().<JsonObject>consumer(Addresses.UNIT_CHANGED, msg -> {
            String retiredHash = msg.body().getString("retiredKeyHash");
            if (retiredHash != null) {
                retire(retiredHash);
            }
            put(Unit.fromBusJson(msg.body()));
        });
        return pool.query(UnitSql.SELECT_ALL).execute().map(rows -> {
            rows.forEach(row -> put(unit(row)));
            return this;
        });
    }

    public void put(Unit unit) {
        if (retired.contains(unit.deviceKeyHash())) {
            return;
        }
        Unit previous = byId.put(unit.id(), unit);
        if (previous != null && !previous.deviceKeyHash().equals(unit.deviceKeyHash())) {
            idByKeyHash.remove(previous.deviceKeyHash());
        }
        idByKeyHash.put(unit.deviceKeyHash(), unit.id());
    }

    /** Forgets a rotated key's hash on this node for good: its unit no longer answers to it. */
    public void retire(String keyHash) {
        retired.add(keyHash);
        idByKeyHash.remove(keyHash);
    }

    public Unit get(String id) {
        return byId.get(id);
    }

    /** The unit's display name (a TAK callsign, an MQTT payload's name): its id when the unit is not known here. */
    public String name(String id) {
        Unit unit = byId.get(id);
        return unit == null ? id : unit.name();
    }

    public Future<Unit> find(String id) {
        Unit known = byId.get(id);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return pool.preparedQuery(UnitSql.SELECT_BY_ID).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Unit unit = unit(rows.iterator().next());
            put(unit);
            return unit;
        });
    }

    public Future<Unit> findByKeyHash(String keyHash) {
        if (retired.contains(keyHash)) {
            return Future.succeededFuture(null);
        }
        String id = idByKeyHash.get(keyHash);
        if (id != null) {
            return Future.succeededFuture(byId.get(id));
        }
        return pool.preparedQuery(UnitSql.SELECT_BY_KEY).execute(Tuple.of(keyHash)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Unit unit = unit(rows.iterator().next());
            put(unit);
            return unit;
        });
    }

    public Set<String> ids() {
        return byId.keySet();
    }

    public int size() {
        return byId.size();
    }

    static Unit unit(Row row) {
        return new Unit(row.getString("id"), row.getString("name"), row.getString("type"),
                row.getString("device_key_hash"), row.getString("agency"));
    }
}
