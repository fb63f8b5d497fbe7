package org.borderwatch.bench;

/** Fixture statements of the benchmarks: generated units and fences, straight into PostGIS. */
final class BenchSql {

    /** Everything, whatever later migrations made refer to these tables (the bench database only). */
    static final String RESET_ALL = """
            TRUNCATE users, units, positions, unit_state, geofences, geofence_state, alerts, webhook_deliveries
            CASCADE""";

    static final String RESET_RUN = """
            TRUNCATE users, positions, unit_state, geofences, geofence_state, alerts, webhook_deliveries
            CASCADE""";

    static final String UNITS = """
            INSERT INTO units (id, name, type, device_key_hash)
            SELECT 'B-' || i, 'Bench unit ' || i, (ARRAY['drone','vehicle','boat','foot'])[1 + i % 4], md5('b' || i)
            FROM generate_series(0, 9999) AS i""";

    /**
     * $1 fences over the same region as the units: two thirds squares of 0.2 to 5 km, one third circles of 100 m to
     * 3 km, built exactly as the API stores them.
     */
    static final String FENCES = """
            WITH spots AS (
                SELECT i, -117.0 + random() * 19.8 AS lon, 25.9 + random() * 6.8 AS lat,
                       200 + random() * 4800 AS size
                FROM generate_series(1, $1) AS i),
            shaped AS (
                SELECT i, CASE WHEN i % 3 = 0 THEN 'circle' ELSE 'polygon' END AS kind,
                       CASE WHEN i % 3 = 0 THEN ST_Buffer(c, size / 2, 'quad_segs=16')::geometry
                            ELSE ST_Envelope(ST_Buffer(c, size / 2, 'quad_segs=1')::geometry) END AS area,
                       c, size / 2 AS r
                FROM (SELECT i, size, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS c FROM spots) p)
            INSERT INTO geofences (name, kind, geom, shape, radius_m, search, severity, rules)
            SELECT 'Bench fence ' || i, kind, area, CASE WHEN kind = 'circle' THEN c END,
                   CASE WHEN kind = 'circle' THEN r END,
                   CASE WHEN kind = 'circle' THEN ST_Envelope(ST_Buffer(c, r * 1.01 + 1)::geometry)
                        ELSE ST_Envelope(area) END,
                   'warning', '{"enter": true, "exit": true}'
            FROM shaped""";

    /** 10,000 units whose device keys are known to the load generator: {@code bwk_bench-i} for unit {@code B-i}. */
    static final String UNITS_WITH_KEYS = """
            INSERT INTO units (id, name, type, device_key_hash)
            SELECT 'B-' || i, 'Bench unit ' || i, (ARRAY['drone','vehicle','boat','foot'])[1 + i % 4],
                   encode(sha256(convert_to('bwk_bench-' || i, 'UTF8')), 'hex')
            FROM generate_series(0, 9999) AS i""";

    /** Everything a scenario leaves behind but the units and users. */
    static final String RESET_SCENARIO = """
            TRUNCATE positions, unit_state, geofences, geofence_state, alerts, webhook_deliveries CASCADE""";

    /** Where the crossers go in and out: the fences' centres, in a stable order. */
    static final String FENCE_CENTRES = """
            SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM geofences ORDER BY name""";

    static final String COUNT_POSITIONS = "SELECT count(*) FROM positions";

    private BenchSql() {
    }
}
