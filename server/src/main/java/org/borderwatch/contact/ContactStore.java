package org.borderwatch.contact;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads contacts: the live picture, a search by time and area, and a contact's trail. */
public final class ContactStore {

    /** Most fixes one trail answers with; a longer one is cut (ask for a shorter window). */
    static final int TRACK_LIMIT = 50_000;
    /** Most contacts one search answers with. */
    public static final int SEARCH_LIMIT = 10_000;

    private final Pool pool;

    public ContactStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * A contact as the maps get it (API.md §7's "C"), without its status, which the feed judges:
     * {@code {"id","source","trackId","kind","name","agency","lat","lon","alt","time","speed","heading"}}.
     */
    public static JsonObject wire(Row row) {
        return new JsonObject()
                .put("id", row.getString("id"))
                .put("source", row.getString("source"))
                .put("trackId", row.getString("track_id"))
                .put("kind", row.getString("kind"))
                .put("name", row.getString("name"))
                .put("agency", row.getString("agency"))
                .put("lat", row.getDouble("lat"))
                .put("lon", row.getDouble("lon"))
                .put("alt", row.getDouble("alt"))
                .put("time", Times.format(row.getOffsetDateTime("time")))
                .put("speed", row.getDouble("speed"))
                .put("heading", row.getDouble("heading"));
    }

    /** Every contact with a fix in the last {@code seconds}, of every agency: what a node's feed starts from. */
    public Future<List<JsonObject>> recent(int seconds) {
        return pool.preparedQuery(ContactSql.RECENT).execute(Tuple.of(seconds)).map(rows -> {
            List<JsonObject> contacts = new ArrayList<>();
            rows.forEach(row -> contacts.add(wire(row)));
            return contacts;
        });
    }

    /**
     * The contacts agency {@code viewer} may see with a fix at or after {@code since}, inside {@code bbox} (null:
     * everywhere), newest first, as a GeoJSON FeatureCollection; {@code status} judges each from its time.
     */
    Future<JsonObject> search(String viewer, Instant since, double[] bbox, int limit,
                              Function<Instant, String> status) {
        Tuple params = Tuple.of(Times.utc(since), viewer)
                .addValue(bbox == null ? null : bbox[0]).addValue(bbox == null ? null : bbox[1])
                .addValue(bbox == null ? null : bbox[2]).addValue(bbox == null ? null : bbox[3])
                .addInteger(limit);
        return pool.preparedQuery(ContactSql.SEARCH).execute(params).map(rows -> {
            JsonArray features = new JsonArray();
            for (Row row : rows) {
                JsonObject props = wire(row);
                props.remove("lat");
                props.remove("lon");
                props.put("attributes", row.getValue("attributes") instanceof JsonObject attributes ? attributes : null)
                        .put("status", status.apply(row.getOffsetDateTime("time").toInstant()));
                features.add(new JsonObject().put("type", "Feature").put("id", row.getString("id"))
                        .put("geometry", new JsonObject().put("type", "Point").put("coordinates",
                                new JsonArray().add(row.getDouble("lon")).add(row.getDouble("lat"))))
                        .put("properties", props));
            }
            return new JsonObject().put("type", "FeatureCollection").put("features", features);
        });
    }

    /** Whether agency {@code id} exists: the feeds' contacts belong to one (BW_CONTACT_FEED_AGENCY). */
    public static Future<Boolean> agencyExists(Pool pool, String id) {
        return pool.preparedQuery(ContactSql.AGENCY).execute(Tuple.of(id)).map(rows -> rows.size() > 0);
    }

    /** Whether contact {@code id} exists and agency {@code viewer} may see it. */
    Future<Boolean> visible(String id, String viewer) {
        return pool.preparedQuery(ContactSql.VISIBLE).execute(Tuple.of(id, viewer)).map(rows -> rows.size() > 0);
    }

    /** The first of {@code ids} that belongs to an agency other than {@code agency}, or null. */
    Future<String> ownedElsewhere(String[] ids, String agency) {
        return pool.preparedQuery(ContactSql.OWNED_ELSEWHERE).execute(Tuple.of(ids, agency))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("id"));
    }

    /**
     * The contact's fixes between {@code from} and {@code to} as one LineString, as a unit's track: {@code times} has
     * one entry per vertex, {@code speeds}, {@code headings} and {@code alts} are in step with it.
     */
    Future<JsonObject> track(String id, Instant from, Instant to) {
        return pool.preparedQuery(ContactSql.TRACK)
                .execute(Tuple.of(id, Times.utc(from), Times.utc(to), TRACK_LIMIT))
                .map(rows -> {
                    JsonArray coordinates = new JsonArray();
                    JsonArray times = new JsonArray();
                    JsonArray speeds = new JsonArray();
                    JsonArray headings = new JsonArray();
                    JsonArray alts = new JsonArray();
                    for (Row row : rows) {
                        coordinates.add(new JsonArray().add(row.getDouble("lon")).add(row.getDouble("lat")));
                        times.add(Times.format(row.getOffsetDateTime("time")));
                        speeds.add(row.getDouble("speed"));
                        headings.add(row.getDouble("heading"));
                        alts.add(row.getDouble("alt"));
                    }
                    return new JsonObject().put("type", "Feature").put("id", id)
                            .put("geometry", new JsonObject().put("type", "LineString")
                                    .put("coordinates", coordinates))
                            .put("properties", new JsonObject().put("contactId", id).put("times", times)
                                    .put("speeds", speeds).put("headings", headings).put("alts", alts));
                });
    }
}
