package org.borderwatch.bench;

import java.time.Instant;

/** Fixture statements of {@link HistoryBenchmark}: generated units, days of positions, ingest comparison tables. */
final class HistoryBenchSql {

    static final String UNITS = """
            INSERT INTO units (id, name, type, device_key_hash)
            SELECT 'H-' || lpad(u::text, 4, '0'), 'History unit ' || u,
                   (ARRAY['drone','vehicle','boat','foot'])[1 + u % 4], md5('h' || u)
            FROM generate_series(0, $1 - 1) AS u
            ON CONFLICT (id) DO NOTHING""";

    /**
     * Unit {@code u} patrols a loop of about 6 km by 4 km around its own point of a 50 by 40 grid (0.04° by 0.05°,
     * about 3.8 by 5.5 km) over 2° by 2° of the border region, at 7 to 10 m/s; so a 10 km box holds a handful of
     * units. Each reports every {@code step} seconds, the units staggered within the step.
     */
    static final String BENCH_UNITS = """
            CREATE TEMP TABLE IF NOT EXISTS bench_units AS
            SELECT u, 'H-' || lpad(u::text, 4, '0') AS id,
                   -107 + (u %% 50) * 0.04 AS lon, 31 + (u / 50) * 0.05 AS lat,
                   2 * pi() / (1800 + u %% 600) AS w, (u * 7919 %% 1000) / 1000.0 AS stagger,
                   1200.0 + (u %% 300) AS alt
            FROM generate_series(0, %d - 1) AS u""";

    private HistoryBenchSql() {
    }

    /** A standalone table for one day, filled in time order; indexed and attached afterwards (a bulk load). */
    static String createDay(String name) {
        return "CREATE TABLE " + name + " (LIKE positions INCLUDING DEFAULTS INCLUDING STORAGE)";
    }

    /** The day's fixes: {@code reports} rounds of every unit, {@code step} seconds apart, from {@code start}. */
    static String fillDay(String name, Instant start, long reports, double step) {
        return """
                INSERT INTO %1$s (unit_id, time, geom, alt, speed, heading, accuracy, battery, received_at)
                SELECT bu.id, ts.t + (bu.stagger * %3$s) * interval '1 second',
                       ST_SetSRID(ST_MakePoint(bu.lon + 0.03 * cos(ts.e * bu.w), bu.lat + 0.02 * sin(ts.e * bu.w)),
                                  4326),
                       bu.alt, 16000.0 / (1800 + bu.u %% 600),
                       (degrees(ts.e * bu.w) + 90) - 360 * floor((degrees(ts.e * bu.w) + 90) / 360),
                       5 + bu.u %% 7, 100 - ts.k * 0.01, ts.t
                FROM (SELECT k, timestamptz '%2$s' + (k * %3$s) * interval '1 second' AS t,
                             extract(epoch FROM timestamptz '%2$s')::float8 + k * %3$s AS e
                      FROM generate_series(0, %4$d - 1) AS k) ts
                CROSS JOIN bench_units bu
                ORDER BY ts.k, bu.u""".formatted(name, start, step, reports);
    }

    static String index(String name) {
        return "ALTER TABLE " + name + " ADD PRIMARY KEY (unit_id, time)";
    }

    static String brin(String name) {
        return "CREATE INDEX " + name + "_time_idx ON " + name + " USING brin (time) WITH (autosummarize = on)";
    }

    static String attach(String name, Instant from, Instant to) {
        return "ALTER TABLE positions ATTACH PARTITION " + name + " FOR VALUES FROM ('" + from + "') TO ('" + to
                + "')";
    }

    /**
     * Tables shaped and indexed as positions (primary key, BRIN on time): one plain, one by day; and one by day with
     * a GiST index on geom as well, for what a spatial index would cost ingest.
     */
    static final String INGEST_TABLES = """
            DROP TABLE IF EXISTS ingest_flat, ingest_parted;
            CREATE TABLE ingest_flat (LIKE positions INCLUDING DEFAULTS INCLUDING STORAGE,
                                      PRIMARY KEY (unit_id, time));
            CREATE INDEX ingest_flat_time_idx ON ingest_flat USING brin (time) WITH (autosummarize = on);
            CREATE TABLE ingest_parted (LIKE positions INCLUDING DEFAULTS INCLUDING STORAGE,
                                        PRIMARY KEY (unit_id, time)) PARTITION BY RANGE (time);
            CREATE INDEX ingest_parted_time_idx ON ingest_parted USING brin (time) WITH (autosummarize = on);
            CREATE TABLE ingest_parted_default PARTITION OF ingest_parted DEFAULT;
            DROP TABLE IF EXISTS ingest_gist;
            CREATE TABLE ingest_gist (LIKE positions INCLUDING DEFAULTS INCLUDING STORAGE,
                                      PRIMARY KEY (unit_id, time)) PARTITION BY RANGE (time);
            CREATE INDEX ingest_gist_time_idx ON ingest_gist USING brin (time) WITH (autosummarize = on);
            CREATE INDEX ingest_gist_geom_idx ON ingest_gist USING gist (geom);
            CREATE TABLE ingest_gist_default PARTITION OF ingest_gist DEFAULT""";

    static String ingestDay(String table, String day, Instant from, Instant to) {
        return "CREATE TABLE " + table + "_" + day + " PARTITION OF " + table + " FOR VALUES FROM ('" + from
                + "') TO ('" + to + "')";
    }

    /** The write of the server's group commit (TrackSql.STORE_AND_CLASSIFY's first half), into {@code table}. */
    static String store(String table) {
        return """
                INSERT INTO %s (unit_id, time, geom, alt, speed, heading, accuracy, battery, attributes)
                SELECT unit_id, time, ST_GeomFromEWKB(ewkb), alt, speed, heading, accuracy, battery, attributes::jsonb
                FROM unnest($1::text[], $2::timestamptz[], $3::bytea[], $4::float8[], $5::float8[], $6::float8[],
                            $7::float8[], $8::float8[], $9::text[])
                    AS t(unit_id, time, ewkb, alt, speed, heading, accuracy, battery, attributes)
                ON CONFLICT (unit_id, time) DO NOTHING
                RETURNING unit_id, time, geom""".formatted(table);
    }
}
