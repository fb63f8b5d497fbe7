package org.borderwatch.dispatch;

import io.vertx.core.json.JsonObject;
import org.borderwatch.http.ApiException;
import org.borderwatch.ingest.PositionParser;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One detection as a sensor or an operator reports it (API.md §10): where, when and what. Without {@code lat}/{@code
 * lon} it is placed at the sensor, or along {@code bearing} at {@code rangeMeters} from it.
 */
public record Detection(String sensorId, Instant time, String kind, Double lat, Double lon, Double bearing,
                        Double rangeMeters, Double confidence, JsonObject attributes) {

    /** Farther than any ground radar sees; a typo of a few zeros is refused rather than placed in another country. */
    static final double MAX_RANGE_METERS = 100_000;
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern SENSOR_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** Validates a request body; {@code sensorId} defaults to {@code topicSensor} (MQTT: the topic's unit). */
    public static Detection parse(JsonObject body, String topicSensor, PositionParser parser) {
        Object sensor = body.getValue("sensorId", topicSensor);
        if (!(sensor instanceof String sensorId) || !SENSOR_ID.matcher(sensorId).matches()) {
            throw ApiException.badRequest("sensorId must be a unit id", "sensorId");
        }
        Instant time = parser.time(body.getValue("time"), 0);
        Object kindValue = body.getValue("kind");
        if (!(kindValue instanceof String kind) || !KIND.matcher(kind).matches()) {
            throw ApiException.badRequest("kind must be 1-32 letters, digits, - or _ (e.g. person, vehicle, motion)",
                    "kind");
        }
        Double lat = PositionParser.optional(body, "lat", 0);
        Double lon = PositionParser.optional(body, "lon", 0);
        if ((lat == null) != (lon == null)) {
            throw ApiException.badRequest("lat and lon come together", lat == null ? "lat" : "lon");
        }
        if (lat != null && (lat < -90 || lat > 90)) {
            throw ApiException.badRequest("lat must be within [-90, 90]", "lat");
        }
        if (lon != null && (lon < -180 || lon > 180)) {
            throw ApiException.badRequest("lon must be within [-180, 180]", "lon");
        }
        Double bearing = PositionParser.optional(body, "bearing", 0);
        if (bearing != null && (bearing < 0 || bearing >= 360)) {
            throw ApiException.badRequest("bearing must be within [0, 360)", "bearing");
        }
        Double range = PositionParser.optional(body, "rangeMeters", 0);
        if (range != null && (range < 0 || range > MAX_RANGE_METERS)) {
            throw ApiException.badRequest("rangeMeters must be within [0, " + (int) MAX_RANGE_METERS + "]",
                    "rangeMeters");
        }
        Double confidence = PositionParser.optional(body, "confidence", 0);
        if (confidence != null && (confidence < 0 || confidence > 1)) {
            throw ApiException.badRequest("confidence must be within [0, 1]", "confidence");
        }
        Object attributes = body.getValue("attributes");
        if (attributes != null && !(attributes instanceof JsonObject)) {
            throw ApiException.badRequest("attributes must be an object", "attributes");
        }
        if (attributes != null) {
            PositionParser.checkAttributes((JsonObject) attributes, 0);
        }
        return new Detection(sensorId, time, kind, lat, lon, bearing, range, confidence, (JsonObject) attributes);
    }
}
