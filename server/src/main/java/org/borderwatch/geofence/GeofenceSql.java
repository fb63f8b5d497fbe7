package org.borderwatch.geofence;

/**
 * Statements about geofences. Circles and corridors are buffered on the ellipsoid (geography), never in degrees.
 * GeoJSON may carry altitudes (RFC 7946); fences are flat, so ST_Force2D drops them wherever GeoJSON is parsed.
 */
final class GeofenceSql {

    /** What PostGIS thinks of a submitted geometry before anything is stored. */
    static final String INSPECT = """
            SELECT ST_IsEmpty(g) AS empty, ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
                   ST_NPoints(g) AS points,
                   ST_XMin(g) AS xmin, ST_XMax(g) AS xmax, ST_YMin(g) AS ymin, ST_YMax(g) AS ymax,
                   CASE WHEN $2 = 'polygon' THEN ST_Area(g::geography)
                        ELSE ST_Area(ST_Buffer(g::geography, $3)) END AS area_m2
            FROM (SELECT ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($1)), 4326) AS g) s""";

    /** $1 GeoJSON geometry, $2 kind, $3 radius/half-width in metres (null for polygons). */
    private static final String SHAPED = """
            WITH src AS (SELECT ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($1)), 4326) AS g),
            shaped AS (
                SELECT CASE WHEN $2 = 'polygon' THEN g ELSE ST_Buffer(g::geography, $3, 'quad_segs=16')::geometry
                       END AS area,
                       CASE WHEN $2 = 'polygon' THEN NULL ELSE g::geography END AS shape,
                       CASE WHEN $2 = 'polygon' THEN ST_Boundary(g)::geography END AS edge,
                       CASE WHEN $2 = 'polygon' THEN ST_Envelope(g)
                            ELSE ST_Envelope(ST_Buffer(g::geography, $3 * 1.01 + 1)::geometry) END AS search
                FROM src)
            """;

    static final String INSERT = SHAPED + """
            INSERT INTO geofences (name, kind, geom, shape, edge, radius_m, search, severity, rules, unit_types,
                                   properties, margin_m, schedule, agency, targets)
            SELECT $4, $2, area, shape, edge, $3, search, $5, $6::jsonb, $7::text[], $8::jsonb, $9, $10::jsonb, $11,
                   $12::text[]
            FROM shaped
            RETURNING id::text""";

    static final String UPDATE = SHAPED + """
            UPDATE geofences SET name = $4, kind = $2, geom = area, shape = shaped.shape, edge = shaped.edge,
                radius_m = $3, search = shaped.search, severity = $5, rules = $6::jsonb, unit_types = $7::text[],
                properties = $8::jsonb, margin_m = $9, schedule = $10::jsonb, targets = $13::text[], updated_at = now(),
                revision = nextval('geofence_revision')
            FROM shaped WHERE id = $11::uuid AND deleted_at IS NULL AND ($12 = 'root' OR agency = $12)
            RETURNING id::text""";

    private static final String COLUMNS = """
            SELECT id::text, kind, ST_AsGeoJSON(geom, 7) AS area, ST_AsGeoJSON(shape::geometry, 7) AS source,
                   radius_m, name, severity, rules, unit_types, properties, margin_m, schedule, updated_at, revision,
                   agency, targets
            FROM geofences WHERE deleted_at IS NULL""";

    /** Every fence agency $1 may see (API.md §9). */
    static final String SELECT_ALL = COLUMNS + " AND bw_sees_agency($1, agency) ORDER BY created_at, id";
    static final String SELECT_ONE = COLUMNS + " AND id = $1::uuid AND bw_sees_agency($2, agency)";

    /**
     * Marks the fence deleted under a new revision (see V002) and forgets every unit's membership of it (no foreign
     * key there, see V001). Fences deleted a day ago, long announced to every node, go for good.
     */
    static final String DELETE = """
            WITH gone AS (
                UPDATE geofences SET deleted_at = now(), revision = nextval('geofence_revision')
                WHERE id = $1::uuid AND deleted_at IS NULL AND ($2 = 'root' OR agency = $2)
                RETURNING id, revision
            ),
            memberships AS (DELETE FROM geofence_state WHERE geofence_id IN (SELECT id FROM gone)),
            purged AS (DELETE FROM geofences WHERE deleted_at < now() - interval '1 day')
            SELECT count(*) AS deleted, max(revision) AS revision FROM gone""";

    /** The rules of every fence in force, and the newest revision of any fence, deleted ones included. */
    static final String SELECT_RULES = """
            SELECT g.id::text, g.name, g.severity, g.rules, g.unit_types, g.margin_m, g.schedule, g.targets, l.latest
            FROM (SELECT coalesce(max(revision), 0) AS latest FROM geofences) l
            LEFT JOIN geofences g ON g.deleted_at IS NULL""";

    private GeofenceSql() {
    }
}
