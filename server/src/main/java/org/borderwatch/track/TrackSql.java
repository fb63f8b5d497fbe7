package org.borderwatch.track;

/**
 * The group commit: one statement stores a whole batch and asks PostGIS which fences each new fix is inside, a second
 * records the resulting state and alerts, both in one transaction.
 */
final class TrackSql {

    /**
     * Stores the batch (a repeated unit/time is skipped) and, for the rows that were new and flagged
     * {@code evaluate} (newer than the unit's last fix), returns the ids of the fences containing them. Circles and
     * corridors are measured on the ellipsoid; {@code search} is the indexed box that covers every shape.
     */
    static final String STORE_AND_CLASSIFY = """
            WITH input AS (
                SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::bytea[], $5::float8[],
                                     $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::text[], $11::bool[])
                    AS t(idx, unit_id, time, ewkb, alt, speed, heading, accuracy, battery, attributes, evaluate)
            ),
            stored AS (
                INSERT INTO positions (unit_id, time, geom, alt, speed, heading, accuracy, battery, attributes)
                SELECT unit_id, time, ST_GeomFromEWKB(ewkb), alt, speed, heading, accuracy, battery, attributes::jsonb
                FROM input
                ON CONFLICT (unit_id, time) DO NOTHING
                RETURNING unit_id, time, geom
            )
            SELECT i.idx,
                   CASE WHEN i.evaluate THEN ARRAY(
                       SELECT g.id::text FROM geofences g
                       WHERE g.search && s.geom
                         AND CASE g.kind WHEN 'polygon' THEN ST_Intersects(g.geom, s.geom)
                                         ELSE ST_DWithin(g.shape, s.geom::geography, g.radius_m) END)
                   END AS inside
            FROM stored s JOIN input i ON i.unit_id = s.unit_id AND i.time = s.time""";

    /**
     * Records what the batch decided: fences left and entered, each unit's newest fix (never moved backwards), and
     * the alerts. The unique key on alerts makes a replayed crossing insert nothing; only new alerts come back.
     */
    static final String APPLY = """
            WITH gone AS (
                DELETE FROM geofence_state s
                USING unnest($1::text[], $2::text[]) AS d(unit_id, geofence_id)
                WHERE s.unit_id = d.unit_id AND s.geofence_id = d.geofence_id::uuid
            ),
            came AS (
                INSERT INTO geofence_state (unit_id, geofence_id, entered_at)
                SELECT unit_id, geofence_id::uuid, entered_at
                FROM unnest($3::text[], $4::text[], $5::timestamptz[]) AS c(unit_id, geofence_id, entered_at)
                ON CONFLICT (unit_id, geofence_id) DO UPDATE SET entered_at = excluded.entered_at
            ),
            latest AS (
                INSERT INTO unit_state AS u (unit_id, time, lat, lon, speed, heading)
                SELECT * FROM unnest($6::text[], $7::timestamptz[], $8::float8[], $9::float8[], $10::float8[],
                                     $11::float8[])
                ON CONFLICT (unit_id) DO UPDATE SET time = excluded.time, lat = excluded.lat, lon = excluded.lon,
                    speed = excluded.speed, heading = excluded.heading, received_at = now()
                WHERE u.time < excluded.time
            )
            INSERT INTO alerts (type, unit_id, geofence_id, geofence_name, severity, time, lat, lon)
            SELECT type, unit_id, geofence_id::uuid, geofence_name, severity, time, lat, lon
            FROM unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::timestamptz[],
                        $18::float8[], $19::float8[])
                AS a(type, unit_id, geofence_id, geofence_name, severity, time, lat, lon)
            ON CONFLICT DO NOTHING
            RETURNING id::text, type, unit_id, geofence_id::text, geofence_name, severity, time, detected_at, lat, lon""";

    static final String LOAD_UNIT_STATE = "SELECT unit_id, time FROM unit_state";
    static final String LOAD_FENCE_STATE = "SELECT unit_id, geofence_id::text, entered_at FROM geofence_state";
    static final String LOAD_UNIT_STATE_FOR = "SELECT unit_id, time FROM unit_state WHERE unit_id = ANY($1::text[])";
    static final String LOAD_FENCE_STATE_FOR = """
            SELECT unit_id, geofence_id::text, entered_at FROM geofence_state WHERE unit_id = ANY($1::text[])""";

    private TrackSql() {
    }
}
