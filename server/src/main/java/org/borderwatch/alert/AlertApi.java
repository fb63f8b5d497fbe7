package org.borderwatch.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.audit.Audit;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.bus.Addresses;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

/**
 * {@code GET /api/v1/alerts} (newest first, filtered) and {@code POST /api/v1/alerts/{id}/ack} with an optional
 * comment, shown on every connected map.
 */
public final class AlertApi {

    static final Set<String> TYPES = Set.of("enter", "exit", "dwell", "stale", "lost", "detection", "escalated");
    static final int MAX_COMMENT_CHARS = 1000;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final Pool pool;
    private final Vertx vertx;

    public AlertApi(Vertx vertx, Pool pool) {
        this.vertx = vertx;
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
        Boolean acked = acked(ctx.request().getParam("acked"));
        Tuple params = Tuple.tuple().addOffsetDateTime(since).addArrayOfString(types)
                .addString(ctx.request().getParam("unitId")).addUUID(fence).addInteger(limit)
                .addString(AuthApi.principal(ctx).agency()).addBoolean(acked);
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

    private static Boolean acked(String param) {
        if (param == null || param.isBlank()) {
            return null;
        }
        return switch (param) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest("acked must be true or false", "acked");
        };
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
        String comment = comment(ctx);
        Principal who = AuthApi.principal(ctx);
        Responses.reply(ctx, 200, pool.preparedQuery(AlertSql.ACK)
                .execute(Tuple.of(id, who.name(), who.agency(), comment))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("alert " + id);
                    }
                    Row row = rows.iterator().next();
                    JsonObject alert = Alerts.fromRow(row);
                    Audit.record(ctx, "alert.ack", id, null, new JsonObject().put("unitId", alert.getString("unitId"))
                            .put("ackedBy", alert.getString("ackedBy")).put("ackedAt", alert.getString("ackedAt")));
                    if (row.getBoolean("fresh")) {
                        // Clustered publish: every node's maps show it (API.md §7); a repeated ack changes nothing.
                        vertx.eventBus().publish(Addresses.ALERT_ACKED, new JsonObject().put("alertId", id)
                                .put("ackedBy", alert.getString("ackedBy")).put("ackedAt", alert.getString("ackedAt"))
                                .put("comment", alert.getString("comment")).put("alert", alert));
                    }
                    return alert;
                }));
    }

    /** The optional comment of an ack: text of at most 1,000 characters, line breaks the only control characters. */
    private static String comment(RoutingContext ctx) {
        Buffer raw = ctx.body().buffer();
        if (raw == null || raw.length() == 0) {
            return null; // an ack without a body, as before comments existed
        }
        Object value = AuthApi.jsonBody(ctx).getValue("comment");
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw ApiException.badRequest("comment must be text", "comment");
        }
        if (text.codePointCount(0, text.length()) > MAX_COMMENT_CHARS) {
            throw ApiException.badRequest("comment must be at most " + MAX_COMMENT_CHARS + " characters", "comment");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r') {
                throw ApiException.badRequest("comment may hold line breaks but no other control characters",
                        "comment");
            }
        }
        return text.isBlank() ? null : text;
    }
}
