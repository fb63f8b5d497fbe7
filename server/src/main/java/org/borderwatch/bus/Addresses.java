package org.borderwatch.bus;

/** Event-bus addresses, all in one place. Payloads on clustered addresses are JSON. */
public final class Addresses {

    /** Local request: a {@code PositionBatch} to group-commit; the reply is the count once durable. */
    public static final String TRACK_SUBMIT = "bw.track.submit";
    /** Publish: JSON array of live unit objects (API.md §7 "U") whose newest position moved forward. */
    public static final String LIVE_POSITIONS = "bw.live.positions";
    /** Publish: JSON {@code {"unitId","status"}} when a unit turns live, stale or lost. */
    public static final String LIVE_STATUS = "bw.live.status";
    /** Publish: one alert as JSON (API.md §6), after it is stored. */
    public static final String ALERTS = "bw.alerts";
    /**
     * Publish (clustered): the first acknowledgement of an alert, {@code {"alertId","ackedBy","ackedAt","comment",
     * "alert"}} with the whole alert for deciding who may see it; maps get all but {@code alert} (API.md §7).
     */
    public static final String ALERT_ACKED = "bw.alerts.acked";
    /**
     * Publish: an alert that changed after it was raised (an incident that grew, a unit assigned to it or arrived), the
     * whole alert; maps replace the one they hold (API.md §7).
     */
    public static final String ALERT_UPDATED = "bw.alerts.updated";
    /** Local request: a {@code ContactBatch} to group-commit; the reply is the count once durable. */
    public static final String CONTACTS_SUBMIT = "bw.contacts.submit";
    /**
     * Publish: JSON array of contacts (API.md §7 "C", without status) whose newest fix moved forward; each carries its
     * {@code agency}, which decides who sees it.
     */
    public static final String LIVE_CONTACTS = "bw.live.contacts";
    /** Publish: a stored detection (API.md §10 "D"), for the maps that see its sensor. */
    public static final String DETECTIONS = "bw.detections";
    /**
     * Publish: a task for a unit, {@code {"unitId","task":{…}}}; the node holding the unit's MQTT subscription or TAK
     * connection sends it on.
     */
    public static final String TASKS = "bw.tasks";
    /** Publish: {@code {"op":"upsert","feature":F}} or {@code {"op":"delete","id":…}} after a geofence change. */
    public static final String GEOFENCE_CHANGED = "bw.geofence.changed";
    /**
     * Publish: a unit JSON ({@code id,name,type,deviceKeyHash,agency}) after it was created or its key rotated; a
     * rotation also names the {@code retiredKeyHash} no node may accept again.
     */
    public static final String UNIT_CHANGED = "bw.unit.changed";

    /** Publish (no body): a share between agencies was created or deleted; every node reloads them. */
    public static final String SHARES_CHANGED = "bw.shares.changed";

    /**
     * Publish: a revocation (see {@code auth.Sessions}): a user disabled or changed, a token signed out, a device key
     * rotated. Every node updates what it accepts, and every door closes the connections named by {@code close}.
     */
    public static final String REVOKED = "bw.auth.revoked";

    /** Clustered request to one node's track writer: a JSON array of positions it owns; reply as TRACK_SUBMIT. */
    public static String trackForward(String nodeId) {
        return "bw.track.forward." + nodeId;
    }

    /** Local publish: the cluster's member list changed, so unit ownership may have moved. */
    public static final String OWNERSHIP_CHANGED = "bw.cluster.ownership";

    private Addresses() {
    }
}
