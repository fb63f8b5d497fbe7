package org.borderwatch.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.TreeSet;

/** {@code GET /api/v1/audit?since&actor&action&limit} (admin): its agency's entries, every entry for root. */
public final class AuditApi {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final Pool pool;

    public AuditApi(Pool pool) {
        this.pool = pool;
    }

    public void mount(Router router) {
        router.get("/api/v1/audit").handler(AuthApi.require(Role.ADMIN)).handler(this::search);
    }

    private void search(RoutingContext ctx) {
        Principal admin = AuthApi.principal(ctx);
        OffsetDateTime since = null;
        String sinceParam = ctx.request().getParam("since");
        if (sinceParam != null && !sinceParam.isBlank()) {
            try {
                since = OffsetDateTime.parse(sinceParam);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("since is not an ISO-8601 time", "since");
            }
        }
        String action = blankToNull(ctx.request().getParam("action"));
        if (action != null && !Audit.ACTIONS.contains(action)) {
            throw ApiException.badRequest("action must be one of " + new TreeSet<>(Audit.ACTIONS), "action");
        }
        Tuple params = Tuple.tuple().addString(admin.isRoot() ? null : admin.agency()).addOffsetDateTime(since)
                .addString(blankToNull(ctx.request().getParam("actor"))).addString(action)
                .addInteger(limit(ctx.request().getParam("limit")));
        Responses.reply(ctx, 200, pool.preparedQuery(AuditSql.SEARCH).execute(params).map(rows -> {
            JsonArray entries = new JsonArray();
            rows.forEach(row -> entries.add(json(row)));
            return entries;
        }));
    }

    private static JsonObject json(Row row) {
        return new JsonObject().put("id", row.getLong("id")).put("time", Times.format(row.getOffsetDateTime("time")))
                .put("actor", row.getString("actor")).put("agency", row.getString("actor_agency"))
                .put("action", row.getString("action")).put("target", row.getString("target"))
                .put("address", row.getString("address")).put("before", row.getValue("before"))
                .put("after", row.getValue("after"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static int limit(String param) {
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
}
