package org.borderwatch.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every request of Traccar's own OsmAnd decoder test (traccar/traccar,
 * src/test/java/org/traccar/protocol/OsmAndProtocolDecoderTest.java at 9e5c458), written down once, each with what
 * Borderwatch makes of it: the position row it stores, or the field its 400 names. The query samples are GETs, as
 * Traccar's {@code request(uri)} builds them; the JSON samples are POSTs with {@code Content-Type: application/json}.
 * The device ids are Traccar's; {@link Sample#uri(String)} and {@link Sample#body(String)} put a unit's key in their
 * place. Several samples share a time (and a Traccar id), so each needs a unit of its own wherever they are stored.
 */
final class OsmAndTraccarSamples {

    static final double KNOT = 1852.0 / 3600.0;

    private OsmAndTraccarSamples() {
    }

    /** One of Traccar's requests and its outcome: {@code stored} when it carries a position, else the 400's field. */
    record Sample(String name, String deviceId, String method, String path, String contentType, String body,
                  Stored stored, String refusedField) {

        /** The path and query as sent, with the unit's key for Traccar's device id. */
        String uri(String key) {
            return withKey(path, key);
        }

        /** The body as sent (null for a GET), with the unit's key for Traccar's device id. */
        String body(String key) {
            return body == null ? null : withKey(body, key);
        }

        private String withKey(String text, String key) {
            if (deviceId == null) {
                return text;
            }
            // "id=" also covers "deviceid="; the JSON shape names the device in "device_id".
            return text.replace("id=" + deviceId, "id=" + key)
                    .replace("\"device_id\":\"" + deviceId + "\"", "\"device_id\":\"" + key + "\"");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The row a sample leaves in {@code positions}: a null {@code time} is the time of arrival (the sample has none);
     * a null measurement is one the device did not report (or reported as -1, "unknown"). Speed is in m/s.
     * {@code attributes} are the whole jsonb, integers as {@code Long}.
     */
    record Stored(Instant time, double lat, double lon, Double speed, Double heading, Double alt, Double accuracy,
                  Double battery, Map<String, Object> attributes) {

        static Stored at(String time, double lat, double lon) {
            return new Stored(time == null ? null : Instant.parse(time), lat, lon, null, null, null, null, null,
                    Map.of());
        }

        Stored speed(double metresPerSecond) {
            return new Stored(time, lat, lon, metresPerSecond, heading, alt, accuracy, battery, attributes);
        }

        Stored heading(double degrees) {
            return new Stored(time, lat, lon, speed, degrees, alt, accuracy, battery, attributes);
        }

        Stored alt(double metres) {
            return new Stored(time, lat, lon, speed, heading, metres, accuracy, battery, attributes);
        }

        Stored accuracy(double metres) {
            return new Stored(time, lat, lon, speed, heading, alt, metres, battery, attributes);
        }

        Stored battery(double percent) {
            return new Stored(time, lat, lon, speed, heading, alt, accuracy, percent, attributes);
        }

        /** Name, value, name, value... */
        Stored withAttributes(Object... pairs) {
            Map<String, Object> all = new LinkedHashMap<>(attributes);
            for (int i = 0; i < pairs.length; i += 2) {
                all.put((String) pairs[i], pairs[i + 1]);
            }
            return new Stored(time, lat, lon, speed, heading, alt, accuracy, battery, Map.copyOf(all));
        }
    }

    private static Sample get(String name, String deviceId, String uri, Stored stored) {
        return new Sample(name, deviceId, "GET", uri, null, null, stored, null);
    }

    private static Sample refusedGet(String name, String deviceId, String uri, String field) {
        return new Sample(name, deviceId, "GET", uri, null, null, null, field);
    }

    private static Sample postJson(String name, String deviceId, String body, Stored stored) {
        return new Sample(name, deviceId, "POST", "/", "application/json", body, stored, null);
    }

    // testDecodeQuery

    /** Cells and wifi only: Traccar fills in the device's last location; here a report without lat/lon is no fix. */
    static final Sample CELL_AND_WIFI_ONLY = refusedGet("query-cell-wifi-only", "123456",
            "/?id=123456&timestamp=1377177267&cell=257,02,16,2224&cell=257,02,16,2223,-90"
                    + "&wifi=00-14-22-01-23-45,-80&wifi=00-1C-B3-09-85-15,-70", "lat");

    /** Traccar decodes nothing without a device; here a 400 names the missing id. */
    static final Sample WITHOUT_ID = refusedGet("query-without-id", null, "/?timestamp=1377177267&lat=60.0&lon=30.0",
            "id");

    static final Sample ISO_TIME_AND_HDOP = get("query-iso-time-hdop", "902064",
            "/?id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0&altitude=224.0"
                    + "&speed=0.0",
            Stored.at("2016-01-27T18:55:47Z", 42.06288, -88.23412).speed(0.0).alt(224.0)
                    .withAttributes("hdop", 6.0));

    static final Sample MILLISECOND_TIME = get("query-millisecond-time", "902064",
            "/?id=902064&lat=42.06288&lon=-88.23412&timestamp=1442068686579&hdop=6.0&altitude=224.0&speed=0.0",
            Stored.at("2015-09-12T14:38:06.579Z", 42.06288, -88.23412).speed(0.0).alt(224.0)
                    .withAttributes("hdop", 6.0));

    /** A spaced local time: Traccar reads it in its server's zone, Borderwatch in UTC. */
    static final Sample SPACED_TIME_ID_LAST = get("query-spaced-time-id-last", "353861053849681",
            "/?lat=49.60688&lon=6.15788&timestamp=2014-06-04+09%3A10%3A11&altitude=384.7&speed=0.0"
                    + "&id=353861053849681",
            Stored.at("2014-06-04T09:10:11Z", 49.60688, 6.15788).speed(0.0).alt(384.7));

    static final Sample CLASSIC_CLIENT = get("query-classic-client", "123456",
            "/?id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&hdop=0.0",
            Stored.at("2013-08-22T13:14:27Z", 60.0, 30.0).speed(0.0).heading(0.0).alt(0.0)
                    .withAttributes("hdop", 0.0));

    static final Sample MINIMAL = get("query-minimal", "123456", "/?id=123456&timestamp=1377177267&lat=60.0&lon=30.0",
            Stored.at("2013-08-22T13:14:27Z", 60.0, 30.0));

    static final Sample DEVICEID_WITHOUT_TIME = get("query-deviceid-heading-no-time", "123456",
            "/?lat=60.0&lon=30.0&speed=0.0&heading=0.0&vacc=0&hacc=0&altitude=0&deviceid=123456",
            Stored.at(null, 60.0, 30.0).speed(0.0).heading(0.0).alt(0.0).withAttributes("vacc", 0L, "hacc", 0L));

    static final Sample BATTERY_WITHOUT_TIME = get("query-battery-no-time", "861001000719969",
            "/?id=861001000719969&lat=41.666667&lon=-0.883333&altitude=350.059479&speed=0.000000&batt=87",
            Stored.at(null, 41.666667, -0.883333).speed(0.0).alt(350.059479).battery(87.0));

    static final Sample LOCATION_PAIR = get("query-location-pair", "123456",
            "/?id=123456&timestamp=1377177267&location=60.0,30.0", Stored.at("2013-08-22T13:14:27Z", 60.0, 30.0));

    /** Speed in knots; keys the protocol does not name are kept as typed attributes. */
    static final Sample IGNITION_RPM_FUEL = get("query-ignition-rpm-fuel", "123456789012345",
            "/?id=123456789012345&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571&bearing=7.19889788244"
                    + "&speed=40&ignition=true&rpm=933&fuel=24",
            Stored.at("2017-09-07T05:56:50Z", 40.7232948571, -74.0061408571).speed(40 * KNOT).heading(7.19889788244)
                    .withAttributes("ignition", true, "rpm", 933L, "fuel", 24L));

    // testDecodeJson (Traccar Client 9): speed in m/s, battery level a fraction, heading -1 unknown

    private static final Stored ANDROID = Stored.at("2025-06-15T13:45:12.862Z", 37.4219983, -122.084).accuracy(5.0)
            .speed(0.0).alt(5.0).battery(100.0).withAttributes("motion", false, "odometer", 0L,
                    "event", "motionchange", "charge", false, "activity", "still");

    static final Sample JSON_ANDROID = postJson("json-android", "48241179", """
            {"location":{"timestamp":"2025-06-15T13:45:12.862Z","coords":{"latitude":37.4219983,"longitude":-122.084,\
            "accuracy":5,"speed":0,"heading":-1,"altitude":5},"is_moving":false,"odometer":0,"event":"motionchange",\
            "battery":{"level":1,"is_charging":false},"activity":{"type":"still"},"extras":{},\
            "_":"&id=48241179&lat=37.4219983&lon=-122.084&timestamp=2025-06-15T13:45:12.862Z&"},\
            "device_id":"48241179"}""", ANDROID);

    static final Sample JSON_ANDROID_EXTRAS = postJson("json-android-extras", "48241179", """
            {"location":{"timestamp":"2025-06-15T13:45:12.862Z","coords":{"latitude":37.4219983,"longitude":-122.084,\
            "accuracy":5,"speed":0,"heading":-1,"altitude":5},"is_moving":false,"odometer":0,"event":"motionchange",\
            "battery":{"level":1,"is_charging":false},"activity":{"type":"still"},\
            "extras":{"device_string_test":"long_device_id","device_bool_test":true,"device_bool_false_test":false,\
            "device_integer_test":1,"device_integer_twelve_test":12,"device_double_test":1.345,\
            "device_very_long_double_test":1763636.3442},\
            "_":"&id=48241179&lat=37.4219983&lon=-122.084&timestamp=2025-06-15T13:45:12.862Z&"},\
            "device_id":"48241179"}""", ANDROID.withAttributes("device_string_test", "long_device_id",
            "device_bool_test", true, "device_bool_false_test", false, "device_integer_test", 1L,
            "device_integer_twelve_test", 12L, "device_double_test", 1.345,
            "device_very_long_double_test", 1763636.3442));

    /** iOS: speed, heading and battery level -1 are unknown, left out while the fix is kept. */
    static final Sample JSON_IOS = postJson("json-ios-unknowns", "658765", """
            {"location":{"extras":{},"mock":true,"coords":{"speed_accuracy":-1,"speed":-1,"longitude":-122.406417,\
            "ellipsoidal_altitude":0,"floor":null,"heading_accuracy":-1,"latitude":37.785834000000001,\
            "accuracy":5,"altitude_accuracy":-1,"altitude":0,"heading":-1},"is_moving":false,"age":188,\
            "odometer":0,"uuid":"2FB04C65-99CF-42AB-8DD3-EBCB4B108BF8","event":"motionchange",\
            "battery":{"level":-1,"is_charging":false},"activity":{"type":"unknown","confidence":100},\
            "timestamp":"2025-05-09T04:11:30.579Z"},"device_id":"658765"}""",
            Stored.at("2025-05-09T04:11:30.579Z", 37.785834, -122.406417).accuracy(5.0).alt(0.0)
                    .withAttributes("mock", true, "motion", false, "odometer", 0L, "event", "motionchange",
                            "charge", false, "activity", "unknown"));

    static final Sample JSON_SPEED_AND_BATTERY = postJson("json-speed-battery-fraction", "8737767034", """
            {"location":{"event":"motionchange","is_moving":false,"uuid":"0e9a2473-a9a7-4c00-997b-fb97d2154e75",\
            "timestamp":"2021-07-21T08:06:34.444Z","odometer":0,"coords":{"latitude":-6.1148096,\
            "longitude":106.6837015,"accuracy":3.8,"speed":18.67,"speed_accuracy":0.26,"heading":63,\
            "heading_accuracy":0.28,"altitude":35.7,"altitude_accuracy":3.8},"activity":{"type":"still",\
            "confidence":100},"battery":{"is_charging":false,"level":0.79},"extras":{}},"device_id":"8737767034"}""",
            Stored.at("2021-07-21T08:06:34.444Z", -6.1148096, 106.6837015).accuracy(3.8).speed(18.67).heading(63.0)
                    .alt(35.7).battery(79.0).withAttributes("event", "motionchange", "motion", false,
                            "odometer", 0L, "activity", "still", "charge", false));

    /** All of Traccar's samples, in the order of its test. */
    static final List<Sample> ALL = List.of(JSON_ANDROID, JSON_ANDROID_EXTRAS, JSON_IOS, JSON_SPEED_AND_BATTERY,
            CELL_AND_WIFI_ONLY, WITHOUT_ID, ISO_TIME_AND_HDOP, MILLISECOND_TIME, SPACED_TIME_ID_LAST, CLASSIC_CLIENT,
            MINIMAL, DEVICEID_WITHOUT_TIME, BATTERY_WITHOUT_TIME, LOCATION_PAIR, IGNITION_RPM_FUEL);

    /** The samples that carry a position: each is stored. */
    static List<Sample> positions() {
        return ALL.stream().filter(sample -> sample.stored() != null).toList();
    }

    /** The samples Traccar accepts (or drops) without a position: each is refused with its field. */
    static List<Sample> refusals() {
        return ALL.stream().filter(sample -> sample.stored() == null).toList();
    }

    /** Attributes as they come back from JSON, integers as {@code Long}, so they compare with {@link Stored}'s. */
    static Map<String, Object> normalized(Map<String, Object> attributes) {
        Map<String, Object> all = new LinkedHashMap<>();
        if (attributes != null) {
            attributes.forEach((name, value) -> all.put(name, value instanceof Integer || value instanceof Short
                    || value instanceof Byte ? Long.valueOf(((Number) value).longValue()) : value));
        }
        return all;
    }
}
