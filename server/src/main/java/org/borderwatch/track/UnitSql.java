package org.borderwatch.track;

/** Statements about units, their last-known positions and tracks. */
final class UnitSql {

    static final String SELECT_ALL = "SELECT id, name, type, device_key_hash, agency FROM units";
    static final String SELECT_BY_ID = "SELECT id, name, type, device_key_hash, agency FROM units WHERE id = $1";
    static final String SELECT_BY_KEY = """
            SELECT id, name, type, device_key_hash, agency FROM units WHERE device_key_hash = $1""";

    static final String INSERT = """
            INSERT INTO units (id, name, type, device_key_hash, agency) VALUES ($1, $2, $3, $4, $5)""";

    /**
     * Gives unit $1 the key hash $2 when agency $3 administers it (null: root, any); returns the unit and its old hash.
     */
    static final String ROTATE_KEY = """
            UPDATE units u SET device_key_hash = $2
            FROM (SELECT id, device_key_hash FROM units WHERE id = $1 FOR UPDATE) old
            WHERE u.id = old.id AND ($3::text IS NULL OR u.agency = $3)
            RETURNING u.id, u.name, u.type, u.device_key_hash, u.agency, old.device_key_hash AS old_hash""";

    /** Creates the unit or, when it exists, gives it a new key (the simulator's units at every start). */
    static final String UPSERT_KEY = """
            INSERT INTO units (id, name, type, device_key_hash, agency) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,
                device_key_hash = excluded.device_key_hash, agency = excluded.agency""";

    /**
     * unit_state holds what ingest needs per fix; the rest of the last fix comes from its positions row, one primary
     * key lookup per unit (LATERAL keeps the planner from scanning positions for a hash join).
     */
    /** Last-known positions of the units agency $1 may see (null: every unit, the node's own picture). */
    static final String LAST_KNOWN = """
            SELECT u.id, u.name, u.type, u.agency, u.properties, s.time, s.lat, s.lon, s.speed, s.heading,
                   p.alt, p.accuracy, p.battery, p.attributes
            FROM units u JOIN unit_state s ON s.unit_id = u.id
            LEFT JOIN LATERAL (SELECT alt, accuracy, battery, attributes FROM positions
                               WHERE unit_id = s.unit_id AND time = s.time) p ON true
            WHERE $1::text IS NULL OR bw_sees_unit($1, u.agency, u.type, u.id)
            ORDER BY u.id""";

 /**
     * Renames unit $1 ($2, null: unchanged) and replaces its properties ($3: whether to, $4 the new ones) when agency
     * $5 administers it (null: root, any).
     */
    static final String UPDATE = """
            UPDATE units SET name = coalesce($2, name),
                             properties = CASE WHEN $3::boolean THEN $4::jsonb ELSE properties END
            WHERE id = $1 AND ($5::text IS NULL OR agency = $5)
            RETURNING id, name, type, device_key_hash, agency, properties""";

    static final String TRACK = """
            SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, time, speed, heading, alt, accuracy, battery, attributes
            FROM positions
            WHERE unit_id = $1 AND time >= $2 AND time <= $3
            ORDER BY time
            LIMIT $4""";

    private UnitSql() {
    }
}
