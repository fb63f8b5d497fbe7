package org.borderwatch.contact;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;
import org.borderwatch.ingest.PositionParser;
import org.borderwatch.track.UnitRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/contacts} (API.md §10): a sensor's key or an operator reports contacts; everyone signed in reads the
 * contacts they may see, by time and area, and a contact's trail.
 */
public final class ContactApi {

    /** Most contacts in one report: a radar's picture, not a bulk import. */
    static final int MAX_ITEMS = 10_000;

    private final ContactIngest ingest;
    private final ContactStore store;
    private final UnitRegistry registry;
    private final int staleSeconds;
    private final PositionParser parser = new PositionParser(Clock.systemUTC());

    public ContactApi(ContactIngest ingest, ContactStore store, UnitRegistry registry, int staleSeconds) {
        this.ingest = ingest;
        this.store = store;
        this.registry = registry;
        this.staleSeconds = staleSeconds;
    }

    public void mount(Router router) {
        router.post("/api/v1/contacts").handler(this::report);
        router.get("/api/v1/contacts").handler(AuthApi.require(Role.VIEWER)).handler(this::search);
        router.get("/api/v1/contacts/:id/track").handler(AuthApi.require(Role.VIEWER)).handler(this::track);
    }

    /**
     * A sensor reports with its own key, the contacts becoming its agency's; an operator (or above) reports for its
     * agency. Contacts another agency already holds are refused whole (409 naming the item): they stay that agency's.
     */
    private void report(RoutingContext ctx) {
        Principal who = AuthApi.principal(ctx);
        if (who.role() != Role.DEVICE && !who.role().includes(Role.OPERATOR)) {
            throw ApiException.forbidden("reporting contacts takes an operator or a sensor's key");
        }
        List<Contact> parsed = parse(ctx.body().buffer());
        Future<String> reporter = who.role() == Role.DEVICE
                ? registry.find(who.unitId()).map(unit -> {
                    if (unit == null || !"sensor".equals(unit.type())) {
                        throw ApiException.forbidden("only a sensor's key reports contacts");
                    }
                    return unit.id();
                })
                : Future.succeededFuture(who.name());
        Responses.reply(ctx, 202, reporter.compose(name -> {
            List<Contact> contacts = new ArrayList<>(parsed.size());
            parsed.forEach(c -> contacts.add(c.reportedBy(who.agency(), name)));
            String[] ids = contacts.stream().map(Contact::id).distinct().toArray(String[]::new);
            return store.ownedElsewhere(ids, who.agency()).compose(taken -> {
                if (taken != null) {
                    int index = contacts.stream().map(Contact::id).toList().indexOf(taken);
                    throw new ApiException(409, "contact " + taken + " is reported by another agency", "trackId",
                            index);
                }
                return ingest.submit(contacts);
            });
        }).map(n -> new JsonObject().put("accepted", n)));
    }

    private List<Contact> parse(Buffer body) {
        Object json;
        try {
            json = body == null || body.length() == 0 ? null : Json.decodeValue(body);
        } catch (DecodeException e) {
            throw ApiException.badRequest("body is not valid JSON", "body");
        }
        if (json instanceof JsonObject object) {
            return List.of(Contact.parse(object, 0, parser));
        }
        if (!(json instanceof JsonArray array) || array.isEmpty()) {
            throw ApiException.badRequest("body must be a contact object or a non-empty array of them", "body");
        }
        if (array.size() > MAX_ITEMS) {
            throw ApiException.badRequest("more than " + MAX_ITEMS + " contacts in one request", "body");
        }
        List<Contact> contacts = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject item)) {
                throw ApiException.badRequest("item is not an object", "body", i);
            }
            contacts.add(Contact.parse(item, i, parser));
        }
        return contacts;
    }

    private void search(RoutingContext ctx) {
        Instant now = Instant.now();
        Instant since = time(ctx, "since", now.minusSeconds((long) staleSeconds * ContactStatus.DROP_FACTOR));
        double[] bbox = bbox(ctx.request().getParam("bbox"));
        int limit = limit(ctx.request().getParam("limit"));
        Responses.reply(ctx, 200, store.search(AuthApi.principal(ctx).agency(), since, bbox, limit,
                time -> ContactStatus.of(time, now, staleSeconds).wireName()));
    }

    private void track(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Instant to = time(ctx, "to", Instant.now());
        Instant from = time(ctx, "from", to.minus(Duration.ofHours(24)));
        if (from.isAfter(to)) {
            throw ApiException.badRequest("from must not be after to", "from");
        }
        if (!Contact.isId(id)) {
            throw ApiException.notFound("contact " + id.substring(0, Math.min(id.length(), 100)));
        }
        String viewer = AuthApi.principal(ctx).agency();
        Responses.reply(ctx, 200, store.visible(id, viewer).compose(visible -> {
            // Another agency's contact is not found, the same as one that does not exist (API.md §9).
            if (!visible) {
                throw ApiException.notFound("contact " + id);
            }
            return store.track(id, from, to);
        }));
    }

    /** {@code w,s,e,n} in degrees; null when absent. */
    static double[] bbox(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String[] parts = value.split(",", -1);
        if (parts.length != 4) {
            throw ApiException.badRequest("bbox must be w,s,e,n in degrees", "bbox");
        }
        double[] box = new double[4];
        try {
            for (int i = 0; i < 4; i++) {
                box[i] = Double.parseDouble(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bbox must be w,s,e,n in degrees", "bbox");
        }
        boolean lons = Math.abs(box[0]) <= 180 && Math.abs(box[2]) <= 180;
        boolean lats = Math.abs(box[1]) <= 90 && Math.abs(box[3]) <= 90 && box[1] <= box[3];
        if (!lons || !lats) {
            throw ApiException.badRequest("bbox must be w,s,e,n with longitudes within ±180 and south <= north",
                    "bbox");
        }
        return box;
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return ContactStore.SEARCH_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= ContactStore.SEARCH_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw ApiException.badRequest("limit must be 1 to " + ContactStore.SEARCH_LIMIT, "limit");
    }

    private static Instant time(RoutingContext ctx, String param, Instant fallback) {
        String value = ctx.request().getParam(param);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(param + " is not an ISO-8601 time", param);
        }
    }
}
