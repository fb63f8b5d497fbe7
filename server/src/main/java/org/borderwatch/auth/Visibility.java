package org.borderwatch.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What one principal may see (API.md §9), decided here and nowhere else for streams: every outbound door (the map
 * and alert WebSockets, MQTT, CoT, webhooks) asks this before it sends a unit, an alert or a geofence. A principal
 * sees the units of its agency and those shared with it, the alerts of those units, and the geofences of its agency
 * and of agencies that share with it; root sees everything. Queries use the same rule in SQL, with
 * {@link #agency()} as the viewer ({@code bw_sees_unit}, {@code bw_sees_agency}).
 */
public final class Visibility {

    private final Principal principal;
    private final Sharing sharing;

    Visibility(Principal principal, Sharing sharing) {
        if (principal == null || principal.agency() == null) {
            throw new IllegalArgumentException("visibility needs a principal with an agency");
        }
        this.principal = principal;
        this.sharing = sharing;
    }

    public Principal principal() {
        return principal;
    }

    /** The viewer's agency, the parameter of the SQL twins of this rule. */
    public String agency() {
        return principal.agency();
    }

    /** May the principal see unit {@code unitId}, its positions, status, track and alerts? */
    public boolean seesUnit(String unitId) {
        return unitId != null && (principal.isRoot() || sharing.seesUnit(principal.agency(), unitId));
    }

    /**
     * An alert is as visible as the unit or contact it is about; a grouped alert ({@code units}) only to whoever sees
     * every unit it names, so no one learns of another agency's units through it.
     */
    public boolean seesAlert(JsonObject alert) {
        if (alert.getString("contactId") != null) {
            return seesContactOf(alert.getString("contactAgency"));
        }
        if (!seesUnit(alert.getString("unitId"))) {
            return false;
        }
        JsonArray units = alert.getJsonArray("units");
        if (units != null) {
            for (Object unit : units) {
                if (!(unit instanceof String id) || !seesUnit(id)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The alert as the principal may read it: nearest units and an assigned unit it may not see are left out, so a
     * viewer who sees a shared sensor's detection does not learn of another agency's patrols. The same object when
     * nothing is hidden. SQL's twin: {@code Alerts.columnsFor}.
     */
    public JsonObject redact(JsonObject alert) {
        if (principal.isRoot()) {
            return alert;
        }
        JsonArray nearest = alert.getJsonArray("nearest");
        boolean hideNearest = nearest != null && nearest.stream()
                .anyMatch(n -> !(n instanceof JsonObject near) || !seesUnit(near.getString("unitId")));
        String assigned = alert.getString("assignedUnitId");
        boolean hideAssigned = assigned != null && !seesUnit(assigned);
        if (!hideNearest && !hideAssigned) {
            return alert;
        }
        JsonObject copy = alert.copy();
        if (hideNearest) {
            JsonArray visible = new JsonArray();
            nearest.stream().filter(n -> n instanceof JsonObject near && seesUnit(near.getString("unitId")))
                    .forEach(visible::add);
            copy.put("nearest", visible);
        }
        if (hideAssigned) {
            copy.remove("assignedUnitId");
        }
        return copy;
    }

    /**
     * A contact of agency {@code owner} (API.md §10): visible to it and to the agencies it shares units with, as its
     * geofences are. A contact is what the agency's sensors saw, not one of its units, so a share's unit types and
     * unit ids do not narrow it. SQL's twin: {@code bw_sees_agency}.
     */
    public boolean seesContactOf(String owner) {
        return owner != null && seesGeofenceOf(owner);
    }

    /** A geofence of agency {@code owner}: visible to it and to the agencies it shares units with. */
    public boolean seesGeofenceOf(String owner) {
        return principal.isRoot() || principal.agency().equals(owner) || sharing.sharesWith(owner, principal.agency());
    }
}
