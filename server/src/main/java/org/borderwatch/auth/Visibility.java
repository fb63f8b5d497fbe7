package org.borderwatch.auth;

import io.vertx.core.json.JsonObject;

/**
 * What one principal may see (API.md §9), decided here and nowhere else: every outbound door (the map and alert
 * WebSockets, MQTT, CoT) asks this before it sends a unit or an alert. Until agencies exist every signed-in principal
 * sees the whole floor, devices included (a TAK client shows the watch floor's picture); agencies narrow it here.
 */
public final class Visibility {

    private final Principal principal;

    private Visibility(Principal principal) {
        this.principal = principal;
    }

    public static Visibility of(Principal principal) {
        if (principal == null) {
            throw new IllegalArgumentException("visibility needs a principal");
        }
        return new Visibility(principal);
    }

    public Principal principal() {
        return principal;
    }

    /** May the principal see unit {@code unitId}, its positions and its status? */
    public boolean seesUnit(String unitId) {
        return unitId != null;
    }

    /** May the principal see this alert (API.md §6 shape)? An alert is as visible as the unit it is about. */
    public boolean seesAlert(JsonObject alert) {
        return seesUnit(alert.getString("unitId"));
    }
}
