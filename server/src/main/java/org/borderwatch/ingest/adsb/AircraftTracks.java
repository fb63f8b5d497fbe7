package org.borderwatch.ingest.adsb;

import io.vertx.core.json.JsonObject;
import org.borderwatch.contact.Contact;
import org.borderwatch.ingest.BoundedMap;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * What an SBS-1 feed has said about each aircraft, combined by ICAO address: a transmission type carries only some
 * fields (1: callsign; 3: altitude and position; 4: ground speed, track, vertical rate; 5 and 6: altitude, squawk), so
 * every position goes out with the newest of the others. Bounded: aircraft silent for ten minutes are forgotten, and
 * never more than {@link #MAX_AIRCRAFT} are held.
 */
public final class AircraftTracks {

    static final int MAX_AIRCRAFT = 10_000;
    static final Duration FORGET_AFTER = Duration.ofMinutes(10);
    private static final double METRES_PER_FOOT = 0.3048;
    private static final double MPS_PER_KNOT = 1852.0 / 3600;
    private static final double MPS_PER_FPM = METRES_PER_FOOT / 60;

    /** The source name of ADS-B contacts: their ids are {@code adsb:} and the ICAO address. */
    public static final String SOURCE = "adsb";

    private static final class Aircraft {
        String callsign;
        Integer altitude;
        Double groundSpeed;
        Double track;
        Integer verticalRate;
        String squawk;
        Boolean onGround;
        boolean nonIcao;
        Instant heard;
    }

    private final Map<String, Aircraft> aircraft = new BoundedMap<>(MAX_AIRCRAFT, true);
    private final String agency;
    private final String feed;

    /**
     * @param agency the agency the contacts belong to
     * @param feed   what reported them, for the record (e.g. {@code adsb:host:port})
     */
    public AircraftTracks(String agency, String feed) {
        this.agency = agency;
        this.feed = feed;
    }

    /** Takes one message heard at {@code now}; a position comes back as the aircraft's contact fix, else null. */
    public Contact apply(SbsMessage msg, Instant now) {
        Aircraft a = aircraft.computeIfAbsent(msg.icao(), k -> new Aircraft());
        a.heard = now;
        a.nonIcao = msg.nonIcao();
        if (msg.callsign() != null) {
            a.callsign = msg.callsign();
        }
        if (msg.altitude() != null) {
            a.altitude = msg.altitude();
        }
        if (msg.groundSpeed() != null) {
            a.groundSpeed = msg.groundSpeed();
        }
        if (msg.track() != null) {
            a.track = msg.track();
        }
        if (msg.verticalRate() != null) {
            a.verticalRate = msg.verticalRate();
        }
        if (msg.squawk() != null) {
            a.squawk = msg.squawk();
        }
        if (msg.onGround() != null) {
            a.onGround = msg.onGround();
        }
        if (!msg.hasPosition()) {
            return null;
        }
        JsonObject attributes = new JsonObject().put("icao", msg.icao());
        if (a.squawk != null) {
            attributes.put("squawk", a.squawk);
        }
        if (a.verticalRate != null) {
            attributes.put("verticalRate", round(a.verticalRate * MPS_PER_FPM));
        }
        if (a.onGround != null) {
            attributes.put("onGround", a.onGround);
        }
        if (a.nonIcao) {
            attributes.put("nonIcao", true);
        }
        return new Contact(SOURCE, msg.icao(), now, msg.lat(), msg.lon(),
                a.altitude == null ? null : round(a.altitude * METRES_PER_FOOT),
                a.groundSpeed == null ? null : round(a.groundSpeed * MPS_PER_KNOT), a.track, "aircraft", a.callsign,
                attributes, agency, feed);
    }

    /** Forgets the aircraft not heard since {@link #FORGET_AFTER} before {@code now}. */
    public void sweep(Instant now) {
        Instant cutoff = now.minus(FORGET_AFTER);
        for (Iterator<Aircraft> it = aircraft.values().iterator(); it.hasNext(); ) {
            if (it.next().heard.isBefore(cutoff)) {
                it.remove();
            }
        }
    }

    public int size() {
        return aircraft.size();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
