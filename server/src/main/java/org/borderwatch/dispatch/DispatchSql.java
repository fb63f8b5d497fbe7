package org.borderwatch.dispatch;

import org.borderwatch.alert.Alerts;

/** Statements of detections, incidents, the nearest-unit search, assignments and arrivals. */
final class DispatchSql {

    /** Detections are rare next to positions: one lock orders them cluster-wide, so an incident is joined, not split. */
    static final String LOCK_INCIDENTS = "SELECT pg_advisory_xact_lock(7351001)";

    /**
     * Sensor $1 (its agency and type) and where detection $2.. lies: at $3/$4 (lat/lon) when given, else along bearing
     * $5 at range $6 from the sensor's position (on the ellipsoid), else at the sensor; null when the sensor has no
     * position. {@code incident}: an unacknowledged detection alert of the sensor's agency with a detection within $8
     * metres and $7 seconds of this one, the newest.
     */
    static final String PLACE = """
            SELECT u.id, u.agency, u.type, ST_Y(p.geom) AS lat, ST_X(p.geom) AS lon,
                   (SELECT d.alert_id::text FROM detections d
                    JOIN alerts a ON a.id = d.alert_id AND a.type = 'detection' AND a.acked_at IS NULL
                    JOIN units su ON su.id = a.unit_id AND su.agency = u.agency
                    WHERE d.time BETWEEN $2::timestamptz - make_interval(secs => $7)
                                     AND $2::timestamptz + make_interval(secs => $7)
                      AND ST_DWithin(d.geom::geography, p.geom::geography, $8)
                    ORDER BY d.time DESC LIMIT 1) AS incident
            FROM units u
            LEFT JOIN unit_state s ON s.unit_id = u.id
            CROSS JOIN LATERAL (SELECT CASE
                WHEN $3::float8 IS NOT NULL THEN ST_SetSRID(ST_MakePoint($4::float8, $3::float8), 4326)
                WHEN s.unit_id IS NULL THEN NULL
                WHEN $5::float8 IS NOT NULL AND $6::float8 IS NOT NULL
                    THEN ST_Project(s.geog, $6::float8, radians($5::float8))::geometry
                ELSE ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) END AS geom) p
            WHERE u.id = $1""";

    /**
     * Up to three live patrol units agency $3 may see, nearest to $1/$2 (lat/lon) first: a KNN scan of the geography
     * index (<->, distances on the sphere) takes a dozen candidates, re-ranked by their distance on the ellipsoid.
     * Live: a fix arrived within $4 seconds.
     */
    static final String NEAREST = """
            SELECT k.unit_id, k.type, k.speed, ST_Distance(k.geog, pt.g, true) AS meters
            FROM (SELECT ST_SetSRID(ST_MakePoint($2::float8, $1::float8), 4326)::geography AS g) pt
            CROSS JOIN LATERAL (
                SELECT s.unit_id, u.type, s.speed, s.geog FROM unit_state s JOIN units u ON u.id = s.unit_id
                WHERE u.type IN ('vehicle', 'foot', 'boat', 'drone')
                  AND s.received_at > now() - make_interval(secs => $4)
                  AND bw_sees_unit($3, u.agency, u.type, u.id)
                ORDER BY s.geog <-> pt.g
                LIMIT 12) k
            ORDER BY meters, k.unit_id
            LIMIT 3""";

    /** Stores detection $1..; nothing when the sensor already reported it (same sensor, time and kind). */
    static final String INSERT_DETECTION = """
            INSERT INTO detections (sensor_id, time, kind, geom, bearing, range_m, confidence, attributes)
            VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($5, $4), 4326), $6, $7, $8, $9::jsonb)
            ON CONFLICT DO NOTHING
            RETURNING id::text""";

    static final String SELECT_DETECTION = """
            SELECT d.id::text, d.alert_id::text, ST_Y(d.geom) AS lat, ST_X(d.geom) AS lon
            FROM detections d WHERE sensor_id = $1 AND time = $2 AND kind = $3""";

    static final String LINK_DETECTION = "UPDATE detections SET alert_id = $2::uuid WHERE id = $1::uuid";

    /** A new incident: a detection alert of sensor $1 at $3 (time), $4/$5, listing nearest $6, with its webhooks. */
    static final String RAISE = """
            WITH raised AS (
                INSERT INTO alerts (type, unit_id, severity, time, lat, lon, nearest, detections)
                VALUES ('detection', $1, $2, $3, $4, $5, $6::jsonb, 1)
                ON CONFLICT DO NOTHING
                RETURNING *
            ),
            """ + Alerts.QUEUE_WEBHOOKS + """
            SELECT\s""" + Alerts.COLUMNS + " FROM raised";

    /** Incident $1 grows by a detection: it moves to where the newest one is, with that place's nearest units $4. */
    static final String GROW = """
            UPDATE alerts SET detections = coalesce(detections, 1) + 1, lat = $2, lon = $3, nearest = $4::jsonb
            WHERE id = $1::uuid
            RETURNING\s""" + Alerts.COLUMNS;

    /**
     * Unit $2 is sent to alert $1 by $3, if agency $4 may see the alert: the assignment replaces any earlier one (and
     * its arrival). Returns the alert, and the unit's distance to it and speed for the task's ETA.
     */
    static final String ASSIGN = """
            UPDATE alerts SET assigned_unit_id = $2, assigned_by = $3, assigned_at = now(), arrived_at = NULL
            WHERE id = $1::uuid AND\s""" + Alerts.visibleTo("alerts", "$4") + """

            RETURNING\s""" + Alerts.COLUMNS + """
            , (SELECT ST_Distance(s.geog, ST_SetSRID(ST_MakePoint(alerts.lon, alerts.lat), 4326)::geography, true)
               FROM unit_state s WHERE s.unit_id = $2) AS meters,
              (SELECT s.speed FROM unit_state s WHERE s.unit_id = $2) AS speed""";

    /**
     * Assigned units that reached their alert ($1 metres, a fix that arrived after the assignment): the arrival is
     * recorded once (every node may run this; the row lock and {@code arrived_at IS NULL} decide), and the alert is
     * closed: acknowledged by the unit, unless someone did before. {@code response_seconds}: detection to arrival.
     */
    static final String ARRIVALS = """
            WITH arrived AS (
                UPDATE alerts a SET arrived_at = s.received_at,
                       acked_by = coalesce(a.acked_by, a.assigned_unit_id),
                       comment = CASE WHEN a.acked_at IS NULL THEN coalesce(a.comment, 'arrived') ELSE a.comment END,
                       acked_at = coalesce(a.acked_at, s.received_at)
                FROM unit_state s
                WHERE a.assigned_unit_id IS NOT NULL AND a.arrived_at IS NULL AND s.unit_id = a.assigned_unit_id
                  AND s.received_at >= a.assigned_at
                  AND ST_DWithin(s.geog, ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326)::geography, $1)
                RETURNING a.*, a.acked_at = s.received_at AS closed_now
            )
            SELECT\s""" + Alerts.COLUMNS + """
            , extract(epoch FROM arrived_at - detected_at)::float8 AS response_seconds, closed_now
            FROM arrived""";

    private DispatchSql() {
    }
}
