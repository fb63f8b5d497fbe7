package org.borderwatch.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.borderwatch.bus.Addresses;
import org.borderwatch.track.Unit;
import org.borderwatch.track.UnitRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shares between agencies, as every node holds them for its streams: loaded at start and reloaded whenever any
 * node announces a change ({@link Addresses#SHARES_CHANGED}). Thread-safe: readers see one immutable snapshot.
 * Queries use the same rule in SQL ({@code bw_sees_unit} in {@code sql/V003__agencies.sql}).
 */
public final class Sharing {

    /** One share: {@code from} shows {@code to} its units, or those of {@code unitTypes}, or {@code unitIds}. */
    public record Share(String id, String from, String to, Set<String> unitTypes, Set<String> unitIds) {

        boolean covers(Unit unit) {
            return (unitTypes == null || unitTypes.contains(unit.type()))
                    && (unitIds == null || unitIds.contains(unit.id()));
        }
    }

    private final Pool pool;
    private final UnitRegistry units;
    /** Shares by receiving agency. */
    private volatile Map<String, List<Share>> byViewer = Map.of();

    public Sharing(Pool pool, UnitRegistry units) {
        this.pool = pool;
        this.units = units;
    }

    public Future<Sharing> load(Vertx vertx) {
        vertx.eventBus().consumer(Addresses.SHARES_CHANGED, msg -> reload());
        return reload().map(this);
    }

    /** Reads every share again; called on this node after any node changed one. */
    public Future<Void> reload() {
        return pool.query(SharingSql.SELECT_ALL).execute().map(rows -> {
            List<Share> all = new ArrayList<>();
            for (Row row : rows) {
                all.add(share(row));
            }
            byViewer = all.stream().collect(Collectors.groupingBy(Share::to));
            return null;
        });
    }

    static Share share(Row row) {
        String[] types = row.getArrayOfStrings("unit_types");
        String[] ids = row.getArrayOfStrings("unit_ids");
        return new Share(row.getUUID("id").toString(), row.getString("from_agency"), row.getString("to_agency"),
                types == null ? null : Set.of(types), ids == null ? null : Set.of(ids));
    }

    /** What {@code principal} may see; the one rule every outbound door and stream asks. */
    public Visibility visibility(Principal principal) {
        return new Visibility(principal, this);
    }

    boolean seesUnit(String viewer, String unitId) {
        Unit unit = units.get(unitId);
        if (unit == null) {
            return false;
        }
        if (viewer.equals(unit.agency())) {
            return true;
        }
        return byViewer.getOrDefault(viewer, List.of()).stream()
                .anyMatch(share -> share.from().equals(unit.agency()) && share.covers(unit));
    }

    boolean sharesWith(String owner, String viewer) {
        return byViewer.getOrDefault(viewer, List.of()).stream().anyMatch(share -> share.from().equals(owner));
    }
}
