package org.borderwatch.contact;

import org.borderwatch.alert.Alerts;

/**
 * Statements about contacts: the group commit that stores a batch of fixes and decides, set-based in PostGIS, which
 * contact fences they enter and leave; the fence re-baselining; the purge; and the reads.
 */
final class ContactSql {

    /**
     * Whether the contact at point {@code p} (altitude {@code alt}, kind {@code kind}) is inside fence {@code g}, a
     * geofences row. A fence's {@code maxAltitudeMeters} is a ceiling: a contact reported above it is over the zone,
     * not in it (one with no altitude is taken as inside); {@code contactKinds} narrows it to some kinds. Circles and
     * corridors are measured on the ellipsoid; polygons contain their edges. Contacts have no margin band: their
     * sources report no accuracy.
     */
    private static String inside(String g, String p, String alt, String kind) {
        return "(CASE WHEN " + g + ".properties ? 'maxAltitudeMeters' AND " + alt + " IS NOT NULL"
                + " AND " + alt + " > (" + g + ".properties ->> 'maxAltitudeMeters')::float8 THEN false"
                + " WHEN " + g + ".properties ? 'contactKinds'"
                + " AND (" + kind + " IS NULL OR NOT (" + g + ".properties -> 'contactKinds') ? " + kind + ")"
                + " THEN false"
                + " WHEN " + g + ".kind = 'polygon' THEN ST_Intersects(" + g + ".geom, " + p + ")"
                + " ELSE ST_DWithin(" + g + ".shape, " + p + "::geography, " + g + ".radius_m) END)";
    }

    /**
     * Makes sure every contact of the batch has a row, and locks them all, in id order, for the transaction: the
     * statement after it then sees each contact's committed state, however many nodes report it. A new contact's
     * row starts at time -infinity and belongs to the agency reporting it; {@code WHERE false} locks an existing row
     * without changing it.
     */
    static final String LOCK = """
            INSERT INTO contacts AS c (id, source, track_id, agency, kind, time, lat, lon)
            SELECT id, source, track_id, agency, kind, '-infinity', lat, lon
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[])
                AS t(id, source, track_id, agency, kind, lat, lon)
            ORDER BY id
            ON CONFLICT (id) DO UPDATE SET time = c.time WHERE false""";

    /**
     * Stores the batch and applies it. Only the fixes of the agency a contact belongs to count. Every new fix goes to
     * the trail; those newer than the contact's last ({@code fresh}) move it, to the newest, with the newest kind, name
     * and attributes they give (else what it had). Each fresh fix is judged
     * against the contact fences near it and those the contact is inside, in time order per contact: a change from
     * the fix before (or from the stored membership, for the first) is a crossing. Memberships are updated in the
     * same statement; a fence deleted or no longer watching contacts is left silently.
     * <p>
     * Returns the contacts that moved ({@code what = 'contact'}) and the crossings ({@code what = 'crossing'},
     * {@code inside} true for an enter) with their fence's rules and schedule, which decide whether they alert.
     */
    static final String STORE = """
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[],
                                     $6::float8[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::text[],
                                     $12::text[])
                    AS t(id, time, lat, lon, alt, speed, heading, kind, name, attributes, agency, reporter)
            ),
            prior AS (SELECT c.id, c.time, c.kind, c.agency FROM contacts c WHERE c.id IN (SELECT id FROM input)),
            owned AS (
                SELECT i.*, p.time AS prior_time, coalesce(i.kind, p.kind) AS known_kind
                FROM input i JOIN prior p ON p.id = i.id AND p.agency = i.agency
            ),
            stored AS (
                INSERT INTO contact_positions (contact_id, time, lat, lon, alt, speed, heading)
                SELECT id, time, lat, lon, alt, speed, heading FROM owned
                ON CONFLICT DO NOTHING
            ),
            -- Stored now (not in the trail before this statement: the contacts are locked, so nobody else adds to
            -- it) and newer than the contact's last. An index probe per fix, not a join of two CTEs, which carry no
            -- row estimates and would be planned as a nested loop.
            fresh AS (
                SELECT o.*, ST_SetSRID(ST_MakePoint(o.lon, o.lat), 4326) AS geom
                FROM owned o
                WHERE o.time > o.prior_time
                  AND NOT EXISTS (SELECT 1 FROM contact_positions p WHERE p.contact_id = o.id AND p.time = o.time)
            ),
            -- Each contact's newest fresh fix, with the newest kind, name and attributes any of them gave, in one
            -- pass with a window rather than a join of CTEs.
            newest AS (
                SELECT DISTINCT ON (id) *,
                       (array_agg(kind) FILTER (WHERE kind IS NOT NULL) OVER w)[1] AS new_kind,
                       (array_agg(name) FILTER (WHERE name IS NOT NULL) OVER w)[1] AS new_name,
                       (array_agg(attributes) FILTER (WHERE attributes IS NOT NULL) OVER w)[1] AS new_attributes
                FROM fresh
                WINDOW w AS (PARTITION BY id ORDER BY time DESC
                             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
                ORDER BY id, time DESC
            ),
            latest AS (
                UPDATE contacts c SET time = n.time, lat = n.lat, lon = n.lon, alt = n.alt, speed = n.speed,
                    heading = n.heading, kind = coalesce(n.new_kind, c.kind), name = coalesce(n.new_name, c.name),
                    attributes = coalesce(n.new_attributes::jsonb, c.attributes), reported_by = n.reporter,
                    received_at = now()
                FROM newest n
                WHERE c.id = n.id
                RETURNING c.id, c.source, c.track_id, c.agency, c.kind, c.name, c.time, c.lat, c.lon, c.alt, c.speed,
                          c.heading
            ),
            -- Materialized: computed once, not once per fix it is joined with.
            candidates AS MATERIALIZED (
                SELECT f.id, g.id AS fence_id FROM fresh f
                JOIN geofences g ON g.search && f.geom AND g.deleted_at IS NULL AND 'contacts' = ANY(g.targets)
                UNION
                SELECT s.contact_id, s.geofence_id FROM contact_fence_state s
                WHERE s.contact_id IN (SELECT id FROM newest)
            ),
            verdicts AS (
                SELECT f.id, f.time, f.lat, f.lon, f.agency, c.fence_id, g.id IS NOT NULL AS live,
                       CASE WHEN g.id IS NULL THEN false
                            ELSE\s""" + inside("g", "f.geom", "f.alt", "f.known_kind") + """
                        END AS inside,
                       EXISTS (SELECT 1 FROM contact_fence_state s
                               WHERE s.contact_id = f.id AND s.geofence_id = c.fence_id) AS held
                FROM candidates c
                JOIN fresh f ON f.id = c.id
                LEFT JOIN geofences g ON g.id = c.fence_id AND g.deleted_at IS NULL AND 'contacts' = ANY(g.targets)
            ),
            steps AS (
                SELECT v.*, coalesce(lag(v.inside) OVER (PARTITION BY v.id, v.fence_id ORDER BY v.time), v.held) AS was
                FROM verdicts v
            ),
            changed AS (SELECT * FROM steps WHERE live AND inside <> was),
            -- After the batch a contact is inside a fence when its last crossing of it was an enter (since then),
            -- and no longer when it was an exit, or when the fence is gone or watches contacts no more.
            last_change AS (
                SELECT DISTINCT ON (id, fence_id) id, fence_id, inside, time FROM changed
                ORDER BY id, fence_id, time DESC
            ),
            gone AS (
                DELETE FROM contact_fence_state s
                USING (SELECT id, fence_id FROM last_change WHERE NOT inside
                       UNION SELECT id, fence_id FROM verdicts WHERE NOT live AND held) d
                WHERE s.contact_id = d.id AND s.geofence_id = d.fence_id
            ),
            came AS (
                INSERT INTO contact_fence_state (contact_id, geofence_id, entered_at)
                SELECT id, fence_id, time FROM last_change WHERE inside
                ON CONFLICT (contact_id, geofence_id) DO UPDATE SET entered_at = excluded.entered_at
            )
            SELECT 'contact' AS what, l.id, l.source, l.track_id, l.agency, l.kind, l.name, l.time, l.lat, l.lon,
                   l.alt, l.speed, l.heading, NULL::text AS fence_id, NULL::text AS fence_name, NULL::text AS severity,
                   NULL::jsonb AS rules, NULL::jsonb AS schedule, NULL::boolean AS inside
            FROM latest l
            UNION ALL
            SELECT 'crossing', x.id, NULL, NULL, x.agency, NULL, NULL, x.time, x.lat, x.lon, NULL, NULL, NULL,
                   x.fence_id::text, g.name, g.severity, g.rules, g.schedule, x.inside
            FROM changed x JOIN geofences g ON g.id = x.fence_id""";

    /**
     * Raises the alerts of the crossings that alert: type, contact id, fence id, fence name, severity, time, lat,
     * lon, the contact's agency. The unique key on alerts makes a replayed crossing insert nothing.
     */
    static final String RAISE = """
            WITH raised AS (
                INSERT INTO alerts (type, unit_id, geofence_id, geofence_name, severity, time, lat, lon, contact_agency)
                SELECT type, contact_id, fence_id::uuid, fence_name, severity, time, lat, lon, agency
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                            $7::float8[], $8::float8[], $9::text[])
                    AS a(type, contact_id, fence_id, fence_name, severity, time, lat, lon, agency)
                ON CONFLICT DO NOTHING
                RETURNING *
            ),
            """ + Alerts.QUEUE_WEBHOOKS + """
            SELECT\s""" + Alerts.COLUMNS + " FROM raised ORDER BY time, id";

    /**
     * A fence $1 changed: contacts it no longer holds (its new shape, ceiling or kinds, its deletion, or it no longer
     * watches contacts) stop being inside it, silently ...
     */
    static final String FORGET_OUTSIDE = """
            DELETE FROM contact_fence_state s USING contacts c
            WHERE s.geofence_id = $1::uuid AND c.id = s.contact_id
              AND NOT EXISTS (SELECT 1 FROM geofences g
                              WHERE g.id = s.geofence_id AND g.deleted_at IS NULL AND 'contacts' = ANY(g.targets)
                                AND\s""" + inside("g", "c.geom", "c.alt", "c.kind") + ")";

    /**
     * ... and the contacts in the live picture (a fix within $2 seconds) it holds now start being inside, silently
     * too: the edit itself raises nothing, the next real crossing does.
     */
    static final String BASELINE = """
            INSERT INTO contact_fence_state (contact_id, geofence_id, entered_at)
            SELECT c.id, g.id, c.time
            FROM geofences g JOIN contacts c ON g.search && c.geom
            WHERE g.id = $1::uuid AND g.deleted_at IS NULL AND 'contacts' = ANY(g.targets)
              AND c.time > now() - make_interval(secs => $2)
              AND\s""" + inside("g", "c.geom", "c.alt", "c.kind") + """

            ON CONFLICT (contact_id, geofence_id) DO NOTHING""";

    /** Trails older than $1 hours go, a bounded slice per run so a long backlog never holds locks for long. */
    static final String PURGE_POSITIONS = """
            DELETE FROM contact_positions p
            USING (SELECT contact_id, time FROM contact_positions
                   WHERE time < now() - make_interval(hours => $1) LIMIT 20000) old
            WHERE p.contact_id = old.contact_id AND p.time = old.time""";

    /** Contacts silent for longer than $1 hours go too (their alerts keep the agency that decides who sees them). */
    static final String PURGE_CONTACTS = """
            DELETE FROM contacts
            WHERE id IN (SELECT id FROM contacts WHERE time < now() - make_interval(hours => $1) LIMIT 20000)""";

    static final String COLUMNS = """
            id, source, track_id, agency, kind, name, time, lat, lon, alt, speed, heading, attributes""";

    /**
     * The contacts agency $2 may see whose newest fix is at or after $1, inside the box $3..$6 (w, s, e, n; a west
     * greater than east crosses the antimeridian; null: everywhere), newest first, at most $7.
     */
    static final String SEARCH = "SELECT " + COLUMNS + """
             FROM contacts
            WHERE time >= $1 AND bw_sees_agency($2, agency)
              AND ($3::float8 IS NULL
                   OR ($3 <= $5 AND geom && ST_MakeEnvelope($3, $4, $5, $6, 4326))
                   OR ($3 > $5 AND (geom && ST_MakeEnvelope($3, $4, 180, $6, 4326)
                                    OR geom && ST_MakeEnvelope(-180, $4, $5, $6, 4326))))
            ORDER BY time DESC, id
            LIMIT $7""";

    /** Every contact of every agency with a fix in the last $1 seconds: the live picture a node starts with. */
    static final String RECENT = "SELECT " + COLUMNS + " FROM contacts WHERE time > now() - make_interval(secs => $1)";

    static final String AGENCY = "SELECT 1 FROM agencies WHERE id = $1";

    /** Contact $1, if agency $2 may see it. */
    static final String VISIBLE = "SELECT id FROM contacts WHERE id = $1 AND bw_sees_agency($2, agency)";

    /** Contact $1's fixes from $2 to $3 in time order, at most $4. */
    static final String TRACK = """
            SELECT time, lat, lon, alt, speed, heading FROM contact_positions
            WHERE contact_id = $1 AND time >= $2 AND time <= $3
            ORDER BY time
            LIMIT $4""";

    /** The first of contacts $1 that belongs to an agency other than $2: its reports would be ignored. */
    static final String OWNED_ELSEWHERE = """
            SELECT id FROM contacts WHERE id = ANY($1::text[]) AND agency <> $2 ORDER BY id LIMIT 1""";

    private ContactSql() {
    }
}
