package org.borderwatch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of a node, read once from the environment (API.md §2). Names and defaults live here and nowhere
 * else.
 *
 * @param httpPort          {@code BW_HTTP_PORT}: HTTP API, WebSockets and the web app
 * @param dbUrl             {@code BW_DB_URL}: {@code postgresql://user:pass@host:port/db}; default is the local
 *                          cluster that {@code ./run.sh} provisions
 * @param adminPassword     {@code BW_ADMIN_PASSWORD}: password of user {@code admin} at first start; null = generate
 * @param simulatorUnits    {@code BW_SIMULATOR_UNITS}: simulated units fed through the real ingest path
 * @param cluster           {@code BW_CLUSTER}: join a Hazelcast cluster
 * @param clusterMembers    {@code BW_CLUSTER_MEMBERS}: {@code host:port} list for TCP-IP join
 * @param clusterPort       {@code BW_CLUSTER_PORT}: this member's Hazelcast port
 * @param clusterHost       {@code BW_CLUSTER_HOST}: address Hazelcast and the event bus bind to and advertise
 * @param clusterName       {@code BW_CLUSTER_NAME}: Hazelcast cluster name, so two watch floors never merge
 * @param mqttPort          {@code BW_MQTT_PORT}: MQTT ingest, 0 = off
 * @param osmandPort        {@code BW_OSMAND_PORT}: OsmAnd / Traccar Client protocol, 0 = off
 * @param cotPort           {@code BW_COT_PORT}: Cursor-on-Target over TCP and UDP, 0 = off
 * @param cotTlsPort        {@code BW_COT_TLS_PORT}: Cursor-on-Target over TLS (TCP both ways), as TAK Server's 8089;
 *                          listens only when TLS is configured, 0 = off
 * @param tlsCert           {@code BW_TLS_CERT}: path of the PEM certificate chain (server first); with
 *                          {@code BW_TLS_KEY} HTTP, WebSocket and MQTT speak TLS only. Null = no TLS
 * @param tlsKey            {@code BW_TLS_KEY}: path of the PEM private key of {@code BW_TLS_CERT} (PKCS#8, or
 *                          PKCS#1 RSA, or SEC1 EC), unencrypted
 * @param tlsClientCa       {@code BW_TLS_CLIENT_CA}: path of a PEM CA bundle; CoT TLS clients must then present a
 *                          certificate it signed, whose CN names their unit or user (mutual TLS, as TAK Server)
 * @param staleSeconds      {@code BW_STALE_SECONDS}: silence after which a unit is stale (lost at 5x)
 * @param batchMaxPositions {@code BW_BATCH_MAX}: most positions in one group commit
 * @param queueMaxPositions {@code BW_QUEUE_MAX}: positions waiting for a commit before ingest answers 503
 * @param tokenTtlSeconds   {@code BW_TOKEN_TTL_SECONDS}: lifetime of a login token
 * @param geofenceMaxAreaKm2 {@code BW_GEOFENCE_MAX_AREA_KM2}: largest fence accepted, so a typo cannot cover a
 *                          continent
 * @param geofencesEnabled  {@code BW_GEOFENCES}: false stores and streams positions without geofence evaluation
 *                          (pure tracking; also the benchmarks' baseline)
 * @param geofenceMaxAccuracyMeters {@code BW_GEOFENCE_MAX_ACCURACY_M}: fixes reporting a worse accuracy are stored
 *                          and shown but change no geofence state
 * @param webhookAllowPrivate {@code BW_WEBHOOK_ALLOW_PRIVATE}: let webhooks target loopback, private and link-local
 *                          addresses (off: a webhook cannot be turned on the floor's own network)
 * @param webhookRetryHours {@code BW_WEBHOOK_RETRY_HOURS}: a webhook delivery still failing this long after its alert
 *                          was queued is dead (a fraction of an hour is allowed)
 * @param silenceGroupMin   {@code BW_SILENCE_GROUP_MIN}: this many units of one agency and type falling silent in one
 *                          check (a relay down) raise one grouped alert naming them, not one alert each
 * @param escalateSeconds   {@code BW_ESCALATE_SECONDS}: a critical alert unacknowledged this long raises an
 *                          {@code escalated} alert; 0 turns escalation off
 * @param tileUrl           {@code BW_TILE_URL}: an online raster tile template ({@code https://host/{z}/{x}/{y}.png})
 *                          the web app draws under the map; its origin is the one other origin the browser may reach.
 *                          Unset keeps the floor fully offline
 * @param incidentMeters    {@code BW_INCIDENT_METERS}: detections this close (and {@code incidentSeconds} apart) join
 *                          one incident alert
 * @param incidentSeconds   {@code BW_INCIDENT_SECONDS}: see {@code incidentMeters}
 * @param arrivalMeters     {@code BW_ARRIVAL_METERS}: an assigned unit this close to its alert has arrived
 * @param etaKmh            {@code BW_ETA_KMH}: the speed an ETA assumes per unit type when the unit reports none
 *                          (or crawls), {@code type:km/h} pairs
 * @param retentionDays     {@code BW_RETENTION_DAYS}: positions older than this many days are dropped, a whole day's
 *                          partition at a time; 0 keeps them forever
 * @param trackGapSeconds   {@code BW_TRACK_GAP_SECONDS}: a silence longer than this between two fixes splits a
 *                          history track into two lines, and ends a trip
 * @param historyMaxDays    {@code BW_HISTORY_MAX_DAYS}: the longest time window one history request may ask for, so
 *                          one request cannot read a year of a whole floor
 * @param partitionCheckSeconds {@code BW_PARTITION_CHECK_SECONDS}: how often a node makes the position partitions of
 *                          the coming days and applies retention (also once at start)
 * @param admission         {@code BW_ADMISSION}: {@code off} lets every position request in, as before admission
 *                          control (for comparison in benchmarks); anything else, or unset, is on
 * @param maxInflightRequests {@code BW_MAX_INFLIGHT_REQUESTS}: position requests (HTTP, OsmAnd, MQTT publishes, CoT
 *                          events) a node works on at once; more get 503 before their body is read. Single-fix
 *                          requests share commits, so this is high: it bounds connection state, not latency
 * @param maxInflightBytes  {@code BW_MAX_INFLIGHT_BYTES}: body bytes of the position requests a node works on at
 *                          once, before the next one gets 503 (bounds the memory that bodies and their positions
 *                          take; a larger body goes in whenever there is room at all)
 * @param deviceMaxInflightRequests {@code BW_DEVICE_MAX_INFLIGHT_REQUESTS}: requests one device key has in flight;
 *                          more get 429 (MQTT and CoT: wait, unacknowledged)
 * @param deviceMaxInflightBytes {@code BW_DEVICE_MAX_INFLIGHT_BYTES}: body bytes one device key may have in flight
 *                          before its next request gets 429
 * @param maxQueueWaitMillis {@code BW_MAX_QUEUE_WAIT_MS}: while the commit queue holds more than the writer commits in
 *                          this time (by its recent pace), new position requests get 503: this bounds how long an
 *                          accepted request waits, whatever the offered load
 * @param adsbSbs           {@code BW_ADSB_SBS}: {@code host:port} of a BaseStation (SBS-1) feed, as dump1090 and
 *                          readsb serve on 30003; the node connects to it as a client. Null = no ADS-B feed
 * @param aisUdpPort        {@code BW_AIS_UDP_PORT}: UDP port taking AIS NMEA ({@code !AIVDM}) sentences, as AIS
 *                          receivers and dispatchers forward them; 0 = off
 * @param contactStaleSeconds {@code BW_CONTACT_STALE_SECONDS}: silence after which a contact is stale; it leaves the
 *                          live picture at five times that
 * @param contactRetentionHours {@code BW_CONTACT_RETENTION_HOURS}: contact fixes (trails) older than this are purged
 * @param contactQueueMax   {@code BW_CONTACT_QUEUE_MAX}: contact fixes waiting for a commit before reports get 503
 *                          (a feed drops them)
 * @param contactFeedAgency {@code BW_CONTACT_FEED_AGENCY}: the agency the ADS-B and AIS feeds' contacts belong to
 * @param tilesPath         {@code BW_TILES_PATH}: path of an offline vector tile archive (a readable {@code .pmtiles}
 *                          file, e.g. a Protomaps extract of the border region) that the server hands to the web app
 *                          at {@code /tiles/archive.pmtiles} with HTTP range requests, for street detail on an
 *                          air-gapped floor. Null = the bundled ground context only
 */
public record Config(
        int httpPort,
        String dbUrl,
        String adminPassword,
        int simulatorUnits,
        boolean cluster,
        List<String> clusterMembers,
        int clusterPort,
        String clusterHost,
        String clusterName,
        int mqttPort,
        int osmandPort,
        int cotPort,
        int cotTlsPort,
        String tlsCert,
        String tlsKey,
        String tlsClientCa,
        int staleSeconds,
        int batchMaxPositions,
        int queueMaxPositions,
        int tokenTtlSeconds,
        double geofenceMaxAreaKm2,
        boolean geofencesEnabled,
        double geofenceMaxAccuracyMeters,
        boolean webhookAllowPrivate,
        double webhookRetryHours,
        int silenceGroupMin,
        int escalateSeconds,
        String tileUrl,
        int incidentMeters,
        int incidentSeconds,
        int arrivalMeters,
        Map<String, Double> etaKmh,
        int retentionDays,
        int trackGapSeconds,
        int historyMaxDays,
        int partitionCheckSeconds,
        boolean admission,
        int maxInflightRequests,
        long maxInflightBytes,
        int deviceMaxInflightRequests,
        long deviceMaxInflightBytes,
        int maxQueueWaitMillis,
        String adsbSbs,
        int aisUdpPort,
        int contactStaleSeconds,
        int contactRetentionHours,
        int contactQueueMax,
        String contactFeedAgency,
        String tilesPath) {

    /** ETA speeds when BW_ETA_KMH names none: a patrol car on tracks, a walker, a patrol boat, a small drone. */
    public static final String DEFAULT_ETA_KMH = "vehicle:50,foot:5,boat:30,drone:60";

    /** The database {@code ./run.sh} provisions: a project-local cluster on port 55432. */
    public static final String LOCAL_DB_URL = "postgresql://borderwatch:borderwatch@127.0.0.1:55432/borderwatch";

    /** Defaults of the admission bounds, chosen by measurement (BENCHMARKS.md, "Overload"). */
    static final int DEFAULT_MAX_INFLIGHT_REQUESTS = 2048;
    static final int DEFAULT_MAX_INFLIGHT_BYTES = 16 * 1024 * 1024;
    static final int DEFAULT_DEVICE_MAX_INFLIGHT_REQUESTS = 8;
    static final int DEFAULT_DEVICE_MAX_INFLIGHT_BYTES = 4 * 1024 * 1024;
    static final int DEFAULT_MAX_QUEUE_WAIT_MS = 500;

    /** True when a certificate is configured: every listener but the plain device ports then speaks TLS. */
    public boolean tls() {
        return tlsCert != null;
    }

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        return new Config(
                intVar(env, "BW_HTTP_PORT", 8080),
                stringVar(env, "BW_DB_URL", LOCAL_DB_URL),
                stringVar(env, "BW_ADMIN_PASSWORD", null),
                intVar(env, "BW_SIMULATOR_UNITS", 0),
                Boolean.parseBoolean(stringVar(env, "BW_CLUSTER", "false")),
                listVar(env, "BW_CLUSTER_MEMBERS"),
                intVar(env, "BW_CLUSTER_PORT", 5701),
                stringVar(env, "BW_CLUSTER_HOST", "127.0.0.1"),
                stringVar(env, "BW_CLUSTER_NAME", "borderwatch"),
                intVar(env, "BW_MQTT_PORT", 1883),
                intVar(env, "BW_OSMAND_PORT", 5055),
                intVar(env, "BW_COT_PORT", 8087),
                intVar(env, "BW_COT_TLS_PORT", 8089),
                stringVar(env, "BW_TLS_CERT", null),
                stringVar(env, "BW_TLS_KEY", null),
                stringVar(env, "BW_TLS_CLIENT_CA", null),
                intVar(env, "BW_STALE_SECONDS", 60),
                intVar(env, "BW_BATCH_MAX", 5000),
                intVar(env, "BW_QUEUE_MAX", 100_000),
                intVar(env, "BW_TOKEN_TTL_SECONDS", 12 * 3600),
                intVar(env, "BW_GEOFENCE_MAX_AREA_KM2", 1_000_000),
                Boolean.parseBoolean(stringVar(env, "BW_GEOFENCES", "true")),
                intVar(env, "BW_GEOFENCE_MAX_ACCURACY_M", 500),
                Boolean.parseBoolean(stringVar(env, "BW_WEBHOOK_ALLOW_PRIVATE", "false")),
                positiveDoubleVar(env, "BW_WEBHOOK_RETRY_HOURS", 24),
                intVar(env, "BW_SILENCE_GROUP_MIN", 10),
                intVar(env, "BW_ESCALATE_SECONDS", 0),
                tileUrlVar(env),
                intVar(env, "BW_INCIDENT_METERS", 500),
                intVar(env, "BW_INCIDENT_SECONDS", 300),
                intVar(env, "BW_ARRIVAL_METERS", 100),
                etaVar(stringVar(env, "BW_ETA_KMH", DEFAULT_ETA_KMH)),
                atLeast(env, "BW_RETENTION_DAYS", 0, 0),
                atLeast(env, "BW_TRACK_GAP_SECONDS", 300, 1),
                atLeast(env, "BW_HISTORY_MAX_DAYS", 31, 1),
                atLeast(env, "BW_PARTITION_CHECK_SECONDS", 3600, 1),
                !"off".equalsIgnoreCase(stringVar(env, "BW_ADMISSION", "on")),
                atLeast(env, "BW_MAX_INFLIGHT_REQUESTS", DEFAULT_MAX_INFLIGHT_REQUESTS, 1),
                atLeast(env, "BW_MAX_INFLIGHT_BYTES", DEFAULT_MAX_INFLIGHT_BYTES, 1),
                atLeast(env, "BW_DEVICE_MAX_INFLIGHT_REQUESTS", DEFAULT_DEVICE_MAX_INFLIGHT_REQUESTS, 1),
                atLeast(env, "BW_DEVICE_MAX_INFLIGHT_BYTES", DEFAULT_DEVICE_MAX_INFLIGHT_BYTES, 1),
                atLeast(env, "BW_MAX_QUEUE_WAIT_MS", DEFAULT_MAX_QUEUE_WAIT_MS, 1),
                hostPortVar(env, "BW_ADSB_SBS"),
                intVar(env, "BW_AIS_UDP_PORT", 0),
                atLeast(env, "BW_CONTACT_STALE_SECONDS", 60, 1),
                atLeast(env, "BW_CONTACT_RETENTION_HOURS", 48, 1),
                atLeast(env, "BW_CONTACT_QUEUE_MAX", 20_000, 1),
                stringVar(env, "BW_CONTACT_FEED_AGENCY", "root"),
                tilesPathVar(env));
    }

    /** The host of {@link #adsbSbs}; null when no ADS-B feed is configured. */
    public String adsbHost() {
        return adsbSbs == null ? null : adsbSbs.substring(0, adsbSbs.lastIndexOf(':'));
    }

    /** The port of {@link #adsbSbs}; 0 when no ADS-B feed is configured. */
    public int adsbPort() {
        return adsbSbs == null ? 0 : Integer.parseInt(adsbSbs.substring(adsbSbs.lastIndexOf(':') + 1));
    }

    private static String hostPortVar(Map<String, String> env, String name) {
        String value = stringVar(env, name, null);
        if (value == null) {
            return null;
        }
        int colon = value.lastIndexOf(':');
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (colon > 0 && port > 0 && port < 65536 && value.chars().noneMatch(c -> c <= ' ')) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(name + " must be host:port, e.g. 127.0.0.1:30003, got '" + value + "'");
    }

    private static String stringVar(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int intVar(Map<String, String> env, String name, int fallback) {
        String value = stringVar(env, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", e);
        }
    }

    private static int atLeast(Map<String, String> env, String name, int fallback, int min) {
        int value = intVar(env, name, fallback);
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static double positiveDoubleVar(Map<String, String> env, String name, double fallback) {
        String value = stringVar(env, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (parsed > 0 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(name + " must be a positive number, got '" + value + "'");
    }

    /**
     * A tile template must be a plain http(s) URL with the {z}, {x} and {y} placeholders: anything else would either
     * draw nothing or let the Content-Security-Policy open to more than one tile server.
     */
    private static String tileUrlVar(Map<String, String> env) {
        String value = stringVar(env, "BW_TILE_URL", null);
        if (value == null) {
            return null;
        }
        boolean placeholders = value.contains("{z}") && value.contains("{x}") && value.contains("{y}");
        try {
            URI uri = new URI(value.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"));
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (placeholders && web && uri.getHost() != null && uri.getUserInfo() == null && value.length() <= 2048
                    && value.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>')) {
                return value;
            }
        } catch (URISyntaxException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("BW_TILE_URL must be an http(s) URL with {z}, {x} and {y}, e.g. "
                + "https://tiles.example.org/{z}/{x}/{y}.png");
    }

    /**
     * The archive must be there when the node starts: a typo would otherwise show up as an empty map on every screen
     * with nothing in the log. Only the name is checked for the format; the web app reads the header.
     */
    private static String tilesPathVar(Map<String, String> env) {
        String value = stringVar(env, "BW_TILES_PATH", null);
        if (value == null) {
            return null;
        }
        if (!value.toLowerCase(Locale.ROOT).endsWith(".pmtiles")) {
            throw new IllegalArgumentException("BW_TILES_PATH must name a .pmtiles file, got '" + value + "'");
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("BW_TILES_PATH is not a readable file: '" + value + "'");
        }
        return path.toAbsolutePath().toString();
    }

    /** The scheme, host and port of {@link #tileUrl}, as a Content-Security-Policy source; null when unset. */
    public String tileOrigin() {
        if (tileUrl == null) {
            return null;
        }
        URI uri = URI.create(tileUrl.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"));
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static Map<String, Double> etaVar(String value) {
        Map<String, Double> speeds = new HashMap<>();
        for (String pair : (DEFAULT_ETA_KMH + "," + value).split(",")) {
            String[] parts = pair.trim().split(":");
            try {
                double kmh = Double.parseDouble(parts[1]);
                if (parts.length == 2 && kmh > 0 && Double.isFinite(kmh)) {
                    speeds.put(parts[0].trim(), kmh);
                    continue;
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // falls through to the message below
            }
            throw new IllegalArgumentException("BW_ETA_KMH must be type:km/h pairs such as " + DEFAULT_ETA_KMH
                    + ", got '" + value + "'");
        }
        return Map.copyOf(speeds);
    }

    private static List<String> listVar(Map<String, String> env, String name) {
        String value = stringVar(env, name, null);
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return List.copyOf(items);
    }
}
