package org.borderwatch.history;

/**
 * Statements of the history endpoints (API.md §11). Every one filters by what the viewer may see with the SQL twin of
 * the visibility rule ({@code bw_sees_unit}, sql/V003), asked once per unit rather than once per row, and bounds time
 * so that only the partitions of the window are read.
 */
final class HistorySql {

    /**
     * Whether agency $1 may see the unit of row {@code f}. Root sees every unit, said first so its queries skip the
     * rule; for others the visible units are worked out once and looked up by hash for each row.
     */
    private static final String SEES = """
            ($1 = 'root' OR f.unit_id IN (SELECT u.id FROM units u WHERE bw_sees_unit($1, u.agency, u.type, u.id)))""";

    /** The zone of a zone query, $2 as GeoJSON, flat, in WGS 84. */
    private static final String ZONE = "ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($2)), 4326)";

    /** What PostGIS thinks of a submitted zone before it is used. */
    static final String INSPECT_ZONE = """
            SELECT ST_IsEmpty(g) AS empty, ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
                   ST_NPoints(g) AS points,
                   ST_XMin(g) AS xmin, ST_XMax(g) AS xmax, ST_YMin(g) AS ymin, ST_YMax(g) AS ymax
            FROM (SELECT ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($1)), 4326) AS g) s""";

    /**
     * The window's fixes are read in a subquery of their own ({@code OFFSET 0} keeps PostgreSQL from merging it),
     * filtered there by the zone's bounding box only ({@code &&}, which the planner knows to be cheap); the exact test
     * and the visibility rule come after. Measured at 100 million rows (BENCHMARKS.md), the planner otherwise
     * misjudges PostGIS's costly exact test and the units' join: it probed positions once per unit through the
     * primary key, or walked the whole key for the time range, or compared every fix with every unit, where reading
     * the window through the BRIN index on time is one pass: a one-hour zone query went from 760 ms to 130 ms, a day's
     * from 17.5 s to about a second.
     */
    private static final String FENCE = "OFFSET 0";

    /** Which units agency $1 may see had fixes inside zone $2 between $3 and $4: first, last and how many. */
    static final String WITHIN = """
            SELECT f.unit_id, min(f.time) AS first, max(f.time) AS last, count(*) AS fixes
            FROM (SELECT p.unit_id, p.time, p.geom
                  FROM positions p
                  WHERE p.time >= $3 AND p.time <= $4 AND p.geom && ST_Envelope(%1$s)
                  %2$s) f
            WHERE ST_Intersects(f.geom, %1$s) AND %3$s
            GROUP BY f.unit_id
            ORDER BY f.unit_id COLLATE "C\"""".formatted(ZONE, FENCE, SEES);

    /**
     * Columns are read by position ({@link ReplayWriter}). A replay writes hundreds of thousands of rows and its
     * slices are sorted here while the node writes the slice before, so PostgreSQL does the least per row: numbers
     * leave as float8, in binary, for the node to write ({@link Text#plain}); the time as epoch milliseconds from
     * {@code date_part}, a float8 (three times cheaper than {@code extract}'s numeric), rounded to the millisecond.
     */
    private static final String REPLAY = """
            SELECT f.unit_id, (date_part('epoch', f.time) * 1000)::int8 AS time_ms, ST_Y(f.geom) AS lat,
                   ST_X(f.geom) AS lon, f.alt, f.speed, f.heading, f.accuracy, f.battery,
                   f.attributes::text AS attributes
            FROM (SELECT p.unit_id, p.time, p.geom, p.alt, p.speed, p.heading, p.accuracy, p.battery, p.attributes
                  FROM positions p
                  WHERE p.time >= $2 AND p.time < $3%s
                  %s) f
            WHERE %s
            ORDER BY f.time, f.unit_id COLLATE "C\"""";

    /** The fixes agency $1 may see from $2 to before $3, in time order (then by unit). One slice of a replay. */
    static final String REPLAY_ALL = REPLAY.formatted("", FENCE, SEES);

    /** The same within the box $4..$7 (west, south, east, north); west east of east crosses the antimeridian. */
    static final String REPLAY_BOX = REPLAY.formatted("""

                    AND CASE WHEN $4::float8 <= $6::float8
                             THEN p.geom && ST_MakeEnvelope($4::float8, $5::float8, $6::float8, $7::float8, 4326)
                             ELSE p.geom && ST_MakeEnvelope($4::float8, $5::float8, 180, $7::float8, 4326)
                                  OR p.geom && ST_MakeEnvelope(-180, $5::float8, $6::float8, $7::float8, 4326) END""",
            FENCE, SEES);

    /** One unit's fixes $1 between $2 and $3 in time order, for trips and stops. */
    static final String MOTION = """
            SELECT time, ST_Y(geom) AS lat, ST_X(geom) AS lon, speed
            FROM positions
            WHERE unit_id = $1 AND time >= $2 AND time <= $3
            ORDER BY time""";

    /**
     * Fixes of the units $2 between $3 and $4: the source of track exports. The caller has checked that agency $1
     * sees each unit; the query holds to it as well.
     */
    static final String TRACK_SOURCE = """
            SELECT f.unit_id, f.time, f.geom, f.alt, f.speed, f.heading
            FROM positions f
            WHERE f.unit_id = ANY($2::text[]) AND f.time >= $3 AND f.time <= $4 AND %s""".formatted(SEES);

    /** Fixes inside zone $2 between $3 and $4 of the units agency $1 may see: the source of zone exports. */
    static final String ZONE_SOURCE = """
            SELECT f.unit_id, f.time, f.geom, f.alt, f.speed, f.heading
            FROM (SELECT p.unit_id, p.time, p.geom, p.alt, p.speed, p.heading
                  FROM positions p
                  WHERE p.time >= $3 AND p.time <= $4 AND p.geom && ST_Envelope(%1$s)
                  %2$s) f
            WHERE ST_Intersects(f.geom, %1$s) AND %3$s""".formatted(ZONE, FENCE, SEES);

    private HistorySql() {
    }

    /**
     * The vertices of tracks made of {@code source}'s fixes, one row each, in the order the exporters write them: by
     * unit, line ({@code seg}, a new one after a silence longer than $5 seconds) and time ({@code idx} within the
     * line). Each row carries its line's first and last time ({@code seg_start}, {@code seg_end}) and the unit's last
     * line number ({@code last_seg}), which the writers need before the line's vertices.
     *
     * <p>With {@code simplify}, each line is simplified by Douglas-Peucker ({@code ST_Simplify}, which keeps M, unlike
     * the GEOS-based ST_SimplifyPreserveTopology) to a tolerance of $6 metres, measured in the UTM zone of the line's
     * start; M carries the vertex number, so the kept vertices are the original fixes, with their own times and
     * coordinates, not reprojected ones. A line never collapses below two vertices.
     *
     * <p>Columns, read by position ({@link Vertex#of}): part, unit_id, seg, idx, time_ms, lon, lat, alt, speed,
     * heading, seg_start_ms, seg_end_ms, last_seg; times as epoch milliseconds.
     *
     * <p>With {@code twoParts}, every vertex comes twice: first with {@code part} 0 for the coordinates, then, after
     * all of the unit's, with {@code part} 1 for its times. GeoJSON has the times apart from the coordinates, and this
     * way PostgreSQL orders them, not the server's memory.
     */
    static String vertices(String source, boolean simplify, boolean twoParts) {
        String kept = simplify ? """
                ,
                lines AS (
                    SELECT unit_id, seg,
                           ST_SetSRID(ST_MakeLine(ST_MakePointM(ST_X(geom), ST_Y(geom), idx) ORDER BY idx), 4326)
                               AS line
                    FROM numbered
                    GROUP BY unit_id, seg
                ),
                kept AS (
                    SELECT l.unit_id, l.seg, ST_M(d.geom)::bigint AS idx
                    FROM lines l
                    CROSS JOIN LATERAL (SELECT CASE WHEN ST_Y(ST_StartPoint(l.line)) >= 0 THEN 32600 ELSE 32700 END
                                               + least(60, greatest(1, floor((ST_X(ST_StartPoint(l.line)) + 180) / 6)
                                                                       ::int + 1)) AS srid) utm
                    CROSS JOIN LATERAL ST_DumpPoints(CASE WHEN ST_NPoints(l.line) > 2
                        THEN ST_Simplify(ST_Transform(l.line, utm.srid), $6, true) ELSE l.line END) d
                )""" : "";
        String join = simplify ? "JOIN kept k ON k.unit_id = n.unit_id AND k.seg = n.seg AND k.idx = n.idx" : "";
        String parts = twoParts
                ? "(SELECT 0 AS part, * FROM vertices UNION ALL SELECT 1 AS part, * FROM vertices)"
                : "(SELECT 0 AS part, * FROM vertices)";
        return """
                WITH source AS (%s),
                broken AS (
                    SELECT unit_id, time, geom, alt, speed, heading,
                           CASE WHEN time - lag(time) OVER (PARTITION BY unit_id ORDER BY time)
                                     > make_interval(secs => $5) THEN 1 ELSE 0 END AS breaks
                    FROM source
                ),
                segmented AS (
                    SELECT *, sum(breaks) OVER (PARTITION BY unit_id ORDER BY time) AS seg FROM broken
                ),
                numbered AS (
                    SELECT unit_id, seg, row_number() OVER (PARTITION BY unit_id, seg ORDER BY time) AS idx,
                           time, geom, alt, speed, heading
                    FROM segmented
                )%s,
                vertices AS MATERIALIZED (
                    SELECT n.unit_id, n.seg, n.idx, (extract(epoch FROM n.time) * 1000)::int8 AS time_ms,
                           ST_X(n.geom) AS lon, ST_Y(n.geom) AS lat, n.alt, n.speed, n.heading,
                           (extract(epoch FROM min(n.time) OVER line) * 1000)::int8 AS seg_start_ms,
                           (extract(epoch FROM max(n.time) OVER line) * 1000)::int8 AS seg_end_ms,
                           max(n.seg) OVER (PARTITION BY n.unit_id) AS last_seg
                    FROM numbered n %s
                    WINDOW line AS (PARTITION BY n.unit_id, n.seg)
                )
                SELECT * FROM %s passes
                ORDER BY unit_id COLLATE "C", part, seg, idx""".formatted(source, kept, join, parts);
    }
}
