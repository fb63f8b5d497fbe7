package org.borderwatch.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.audit.Audit;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

/** {@code GET /api/v1/alerts} (newest first, filtered) and {@code POST /api/v1/alerts/{id}/ack}. */
public final class AlertApi {

    static final Set<String> TYPES = Set.of("enter", "exit", "dwell", "stale", "lost");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final Pool pool;

    public AlertApi(Pool pool) {
        this.pool = pool;
    }

    public void mount(Router router) {
        router.get("/api/v1/alerts").handler(AuthApi.require(Role.VIEWER)).handler(this::search);
        router.post("/api/v1/alerts/:id/ack").handler(AuthApi.require(Role.OPERATOR)).handler(this::ack);
    }

    private void search(RoutingContext ctx) {
        OffsetDateTime since = null;
        String sinceParam = ctx.request().getParam("since");
        if (sinceParam != null && !sinceParam.isBlank()) {
            try {
                since = OffsetDateTime.parse(sinceParam);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("since is not an ISO-8601 time", "since");
            }
        }
        String[] types = types(ctx.request().getParam("type"), "type");
        String geofenceId = ctx.request().getParam("geofenceId");
        UUID fence = null;
        if (geofenceId != null && !geofenceId.isBlank()) {
            try {
                fence = UUID.fromString(geofenceId);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("geofenceId is not a geofence id", "geofenceId");
            }
        }
        int limit = limit(ctx.request().getParam("limit"));
        Tuple params = Tuple.tuple().addOffsetDateTime(since).addArrayOfString(types)
                .addString(ctx.request().getParam("unitId")).addUUID(fence).addInteger(limit)
                .addString(AuthApi.principal(ctx).agency());
        Responses.reply(ctx, 200, pool.preparedQuery(AlertSql.SEARCH).execute(params).map(rows -> {
            JsonArray alerts = new JsonArray();
            rows.forEach(row -> alerts.add(Alerts.fromRow(row)));
            return alerts;
        }));
    }

    /** Comma-separated alert types, null when absent; {@code field} is the query parameter an error names. */
    static String[] types(String param, String field) {
        if (param == null || param.isBlank()) {
            return null;
        }
        String[] types = Arrays.stream(param.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .toArray(String[]::new);
        for (String type : types) {
            if (!TYPES.contains(type)) {
                throw ApiException.badRequest("unknown alert type " + type + "; one of " + TYPES, field);
            }
        }
        return types;
    }

    static int limit(String param) {
        if (param == null || param.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(param);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400 below
        }
        throw ApiException.badRequest("limit must be 1 to " + MAX_LIMIT, "limit");
    }

    private void ack(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ApiException.requireUuid(id, "alert");
        Principal who = AuthApi.principal(ctx);
        Responses.reply(ctx, 200, pool.preparedQuery(AlertSql.ACK).execute(Tuple.of(id, who.name(), who.agency()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("alert " + id);
                    }
                    JsonObject alert = Alerts.fromRow(rows.iterator().next());
                    Audit.record(ctx, "alert.ack", id, null, new JsonObject().put("unitId", alert.getString("unitId"))
                            .put("ackedBy", alert.getString("ackedBy")).put("ackedAt", alert.getString("ackedAt")));
                    return alert;
                }));
    }
}
