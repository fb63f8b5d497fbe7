package org.borderwatch.ingest.ais;

import io.vertx.core.json.JsonObject;
import org.borderwatch.contact.Contact;
import org.borderwatch.ingest.BoundedMap;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * What AIS has said about each vessel, by MMSI: static messages (5, 24, 19) give its name, callsign, ship type and
 * destination, and every position report goes out as a contact fix carrying the newest of them. Bounded: vessels
 * silent for an hour are forgotten (static data comes every six minutes), and never more than
 * {@link #MAX_VESSELS} are held.
 */
public final class VesselTracks {

    static final int MAX_VESSELS = 20_000;
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final double MPS_PER_KNOT = 1852.0 / 3600;
    /** The source name of AIS contacts: their ids are {@code ais:} and the MMSI. */
    public static final String SOURCE = "ais";

    private static final class Vessel {
        String name;
        String callsign;
        Integer shipType;
        String destination;
        Integer imo;
        Instant heard;
    }

    private final Map<Integer, Vessel> vessels = new BoundedMap<>(MAX_VESSELS, true);
    private final String agency;
    private final String feed;

    public VesselTracks(String agency, String feed) {
        this.agency = agency;
        this.feed = feed;
    }

    /** Takes one message heard at {@code now}: a position report with a position comes back as a fix, else null. */
    public Contact apply(AisMessage message, Instant now) {
        Vessel vessel = vessels.computeIfAbsent(message.mmsi(), k -> new Vessel());
        vessel.heard = now;
        if (message instanceof AisMessage.Static info) {
            vessel.name = info.name() != null ? info.name() : vessel.name;
            vessel.callsign = info.callsign() != null ? info.callsign() : vessel.callsign;
            vessel.shipType = info.shipType() != null && info.shipType() > 0 ? info.shipType() : vessel.shipType;
            vessel.destination = info.destination() != null ? info.destination() : vessel.destination;
            vessel.imo = info.imo() != null && info.imo() > 0 ? info.imo() : vessel.imo;
            return null;
        }
        AisMessage.Position report = (AisMessage.Position) message;
        if (report.name() != null) {
            vessel.name = report.name();
        }
        if (report.shipType() != null && report.shipType() > 0) {
            vessel.shipType = report.shipType();
        }
        if (!report.hasPosition()) {
            return null;
        }
        JsonObject attributes = new JsonObject().put("mmsi", message.mmsi())
                .put("class", report.type() >= 18 ? "B" : "A");
        put(attributes, "navStatus", report.navStatus());
        put(attributes, "trueHeading", report.heading());
        put(attributes, "callsign", vessel.callsign);
        put(attributes, "shipType", vessel.shipType);
        put(attributes, "destination", vessel.destination);
        put(attributes, "imo", vessel.imo);
        // The heading a map draws is where the vessel goes: course over ground, else where its bow points.
        Double heading = report.course() != null ? report.course()
                : report.heading() == null ? null : report.heading().doubleValue();
        Double speed = report.speed() == null ? null : Math.round(report.speed() * MPS_PER_KNOT * 100) / 100.0;
        return new Contact(SOURCE, String.valueOf(message.mmsi()), now, report.lat(), report.lon(), null, speed,
                heading, "vessel", vessel.name, attributes, agency, feed);
    }

    private static void put(JsonObject attributes, String key, Object value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }

    /** Forgets the vessels not heard since {@link #FORGET_AFTER} before {@code now}. */
    public void sweep(Instant now) {
        Instant cutoff = now.minus(FORGET_AFTER);
        for (Iterator<Vessel> it = vessels.values().iterator(); it.hasNext(); ) {
            if (it.next().heard.isBefore(cutoff)) {
                it.remove();
            }
        }
    }
}
