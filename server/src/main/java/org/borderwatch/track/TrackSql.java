package org.borderwatch.track;

import org.borderwatch.alert.Alerts;

/**
 * The group commit: one statement stores a whole batch and asks PostGIS where each new fix stands against the fences
 * near it, a second records the resulting state and alerts, both in one transaction.
 */
final class TrackSql {

    /**
     * Stores the batch (a repeated unit/time is skipped) and, for the rows stored now and flagged {@code evaluate},
     * sorts the fences near each fix into {@code inside} (inside by more than the margin) and {@code band} (edge
     * within the margin). The margin is the larger of the fix's accuracy and the fence's own; {@code reach} is the
     * largest margin any fence could use, which widens the indexed box search. Circles and corridors are measured on
     * the ellipsoid; polygons contain their edges, like ST_Intersects.
     *
     * <p>{@code unknown} lists the fences at a revision this node was not told of: created, edited or deleted by
     * another request or node, the announcement not arrived yet. {@code $15}/{@code $16} are the fences in force this
     * node knows with their revisions; a fence it does not know is unknown when in force, and when deleted only if
     * newer than {@code $14}, the newest announcement. Announcements of concurrent changes arrive in any order, so
     * the newest alone would let a fence whose announcement is still on its way slip past. The caller holds the
     * memberships of unknown fences, so they cannot raise alerts before this node has caught up with them. The ids
     * travel as uuid, not text: PostgreSQL hashes 1,000 of them against the table in 0.5 ms where sorting them as
     * text took 1.4 ms of every commit.
     */
    static final String STORE_AND_CLASSIFY = """
            WITH input AS (
                SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::bytea[], $5::float8[],
                                     $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::text[], $11::bool[],
                                     $12::float8[], $13::float8[])
                    AS t(idx, unit_id, time, ewkb, alt, speed, heading, accuracy, battery, attributes, evaluate,
                         margin, reach)
            ),
            stored AS (
                INSERT INTO positions (unit_id, time, geom, alt, speed, heading, accuracy, battery, attributes)
                SELECT unit_id, time, ST_GeomFromEWKB(ewkb), alt, speed, heading, accuracy, battery, attributes::jsonb
                FROM input
                ON CONFLICT (unit_id, time) DO NOTHING
                RETURNING unit_id, time, geom
            )
            SELECT i.idx, i.evaluate AS evaluated, c.inside, c.band,
                   (SELECT array_agg(g.id::text) FROM geofences g
                    LEFT JOIN unnest($15::uuid[], $16::int8[]) AS k(id, revision) ON k.id = g.id
                    WHERE g.revision > coalesce(k.revision, CASE WHEN g.deleted_at IS NULL THEN -1 ELSE $14 END))
                   AS unknown
            FROM stored s
            JOIN input i ON i.unit_id = s.unit_id AND i.time = s.time
            LEFT JOIN LATERAL (
                SELECT array_agg(v.id) FILTER (WHERE v.verdict = 1) AS inside,
                       array_agg(v.id) FILTER (WHERE v.verdict = 0) AS band
                FROM (
                    SELECT g.id::text AS id,
                           CASE WHEN g.kind = 'polygon' THEN
                                    CASE WHEN greatest(i.margin, g.margin_m) > 0 AND
                                              ST_DWithin(g.edge, s.geom::geography, greatest(i.margin, g.margin_m))
                                         THEN 0
                                         WHEN ST_Intersects(g.geom, s.geom) THEN 1
                                         ELSE -1 END
                                WHEN greatest(i.margin, g.margin_m) = 0 THEN
                                    CASE WHEN ST_DWithin(g.shape, s.geom::geography, g.radius_m) THEN 1 ELSE -1 END
                                ELSE (SELECT CASE WHEN x.d < g.radius_m - x.m THEN 1
                                                  WHEN x.d <= g.radius_m + x.m THEN 0
                                                  ELSE -1 END
                                      FROM (SELECT ST_Distance(g.shape, s.geom::geography) AS d,
                                                   greatest(i.margin, g.margin_m) AS m) x)
                           END AS verdict
                    FROM geofences g
                    WHERE i.evaluate
                      AND g.deleted_at IS NULL
                      AND g.search && ST_Expand(s.geom,
                              i.reach / 111000.0 / greatest(cos(radians(ST_Y(s.geom))), 0.01), i.reach / 110000.0)
                ) v
            ) c ON true""";

    /**
     * Records what the batch decided: memberships ended and begun (or changed by a dwell alert), each unit's newest
     * fix (never moved backwards; a new fix ends a silence), and the alerts. The unique key on alerts makes a
     * replayed crossing insert nothing; only new alerts come back.
     */
    static final String APPLY = """
            WITH gone AS (
                DELETE FROM geofence_state s
                USING unnest($1::text[], $2::text[]) AS d(unit_id, geofence_id)
                WHERE s.unit_id = d.unit_id AND s.geofence_id = d.geofence_id::uuid
            ),
            came AS (
                INSERT INTO geofence_state (unit_id, geofence_id, entered_at, dwell_alerted)
                SELECT unit_id, geofence_id::uuid, entered_at, dwell_alerted
                FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::bool[])
                    AS c(unit_id, geofence_id, entered_at, dwell_alerted)
                ON CONFLICT (unit_id, geofence_id)
                DO UPDATE SET entered_at = excluded.entered_at, dwell_alerted = excluded.dwell_alerted
            ),
            latest AS (
                INSERT INTO unit_state AS u (unit_id, time, lat, lon, speed, heading)
                SELECT * FROM unnest($7::text[], $8::timestamptz[], $9::float8[], $10::float8[], $11::float8[],
                                     $12::float8[])
                ON CONFLICT (unit_id) DO UPDATE SET time = excluded.time, lat = excluded.lat, lon = excluded.lon,
                    speed = excluded.speed, heading = excluded.heading, received_at = now(), silence = NULL
                WHERE u.time < excluded.time
            ),
            -- Silence is judged from arrival (API.md §6): a fix older than the unit's newest, uploaded late, moves
            -- nothing but is a sign of life all the same. ($21: the batch's units without a newer fix.)
            alive AS (
                UPDATE unit_state SET received_at = now(), silence = NULL WHERE unit_id = ANY($21::text[])
            ),
            raised AS (
                INSERT INTO alerts (type, unit_id, geofence_id, geofence_name, severity, time, lat, lon)
                SELECT type, unit_id, geofence_id::uuid, geofence_name, severity, time, lat, lon
                FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::timestamptz[],
                            $19::float8[], $20::float8[])
                    AS a(type, unit_id, geofence_id, geofence_name, severity, time, lat, lon)
                ON CONFLICT DO NOTHING
                RETURNING id, type, unit_id, geofence_id, geofence_name, severity, time, detected_at, lat, lon, units
            ),
            """ + Alerts.QUEUE_WEBHOOKS + """
            SELECT id::text, type, unit_id, geofence_id::text, geofence_name, severity, time, detected_at, lat, lon
            FROM raised""";

    /**
     * Fences changed (any number at once, so hundreds created together settle in one transaction): the units whose
     * last-known position a new shape (with its margin band) no longer holds, or whose type it no longer watches, stop
     * being inside it, silently ...
     */
    static final String FORGET_OUTSIDE = """
            DELETE FROM geofence_state m
            USING geofences g, unit_state s, units u,
                  LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS p) pt
            WHERE m.geofence_id = ANY($1::uuid[]) AND m.unit_id = ANY($2::text[])
              AND g.id = m.geofence_id AND s.unit_id = m.unit_id AND u.id = m.unit_id
              AND NOT (g.deleted_at IS NULL AND 'units' = ANY(g.targets)
                       AND (g.unit_types IS NULL OR u.type = ANY(g.unit_types))
                       AND CASE WHEN g.kind = 'polygon' THEN ST_Intersects(g.geom, pt.p)
                                    OR (g.margin_m > 0 AND ST_DWithin(g.edge, pt.p::geography, g.margin_m))
                                ELSE ST_DWithin(g.shape, pt.p::geography, g.radius_m + g.margin_m) END)""";

    /**
     * ... and the units whose last-known position it contains and who were not inside it yet start being inside,
     * silently too, so the edit itself raises nothing and the next real crossing does. Units that stay inside keep
     * when they entered and whether their dwell alert was raised.
     */
    static final String BASELINE_FENCE = """
            INSERT INTO geofence_state (unit_id, geofence_id, entered_at)
            SELECT s.unit_id, g.id, s.time
            FROM geofences g
            CROSS JOIN unit_state s
            JOIN units u ON u.id = s.unit_id
            CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS p) pt
            WHERE g.id = ANY($1::uuid[])
              AND g.deleted_at IS NULL AND 'units' = ANY(g.targets)
              AND s.unit_id = ANY($2::text[])
              AND (g.unit_types IS NULL OR u.type = ANY(g.unit_types))
              AND g.search && pt.p
              AND CASE WHEN g.kind = 'polygon' THEN ST_Intersects(g.geom, pt.p)
                       ELSE ST_DWithin(g.shape, pt.p::geography, g.radius_m) END
            ON CONFLICT (unit_id, geofence_id) DO NOTHING""";

    /**
     * Locks the batch's units for the transaction, in a fixed order so two nodes never deadlock, and returns the
     * newest time the database holds for each (null before its first fix): the check that what this node remembers
     * is current. The unit rows are the lock, so even a unit's very first fixes are decided on one node at a time;
     * its state row is locked as well, which the silence check skips.
     */
    static final String LOCK_UNITS = """
            WITH locked AS (SELECT id FROM units WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE)
            SELECT l.id AS unit_id, s.time
            FROM locked l
            LEFT JOIN LATERAL (SELECT time FROM unit_state WHERE unit_id = l.id FOR UPDATE) s ON true""";

    /** The same without locks, for a single node, which is the only writer. */
    static final String READ_UNITS = "SELECT unit_id, time FROM unit_state WHERE unit_id = ANY($1::text[])";
    static final String LOAD_FENCE_STATE_FOR = """
            SELECT unit_id, geofence_id::text, entered_at, dwell_alerted
            FROM geofence_state WHERE unit_id = ANY($1::text[])""";

    private TrackSql() {
    }
}
