package org.borderwatch.history;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration to a partitioned table (sql/V008 to V010) on a filled table of the V007 schema: every row survives,
 * the old table becomes one partition whose index the server then builds without a lock, duplicates are still
 * refused by the key, and a node serves the old tracks. Runs in a database of its own, made and dropped here.
 */
class MigrationIT {

    private static final int UNITS = 20;
    private static final int ROWS_PER_UNIT = 10_000;

    private String jdbcAdmin;
    private String jdbcUrl;
    private String user;
    private String password;
    private String database;
    private String dbUrl;
    private TestNode node;

    @BeforeEach
    void createDatabase() throws Exception {
        URI uri = URI.create(TestNode.DB_URL);
        String[] credentials = uri.getUserInfo().split(":", 2);
        user = credentials[0];
        password = credentials.length > 1 ? credentials[1] : "";
        database = uri.getPath().substring(1) + "_migration";
        String server = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + "/";
        jdbcAdmin = server + uri.getPath().substring(1);
        jdbcUrl = server + database;
        dbUrl = TestNode.DB_URL.substring(0, TestNode.DB_URL.lastIndexOf('/') + 1) + database;
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        admin("CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (node != null) {
            node.close();
        }
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private void admin(String sql) throws SQLException {
        try (Connection conn = DriverManager.getConnection(jdbcAdmin, user, password);
             Statement statement = conn.createStatement()) {
            statement.execute(sql);
        }
    }

    private Flyway flyway(String target) {
        var config = Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration");
        return (target == null ? config : config.target(target)).load();
    }

    private static Map<String, Object> one(Connection conn, String sql) throws SQLException {
        try (Statement statement = conn.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            Map<String, Object> row = new HashMap<>();
            if (rows.next()) {
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
                }
            }
            return row;
        }
    }

    @Test
    void aFilledTableIsPartitionedWithoutLosingARow() throws Exception {
        flyway("7").migrate();
        String fingerprint = "SELECT count(*) AS n, sum(hashtext(unit_id || time::text || ST_AsText(geom) "
                + "|| coalesce(speed::text, '') || coalesce(attributes::text, ''))) AS sum FROM positions";
        Map<String, Object> before;
        try (Connection conn = DriverManager.getConnection(jdbcUrl, user, password);
             Statement statement = conn.createStatement()) {
            statement.execute("INSERT INTO units (id, name, type, device_key_hash) SELECT 'U-' || i, 'Unit ' || i, "
                    + "'vehicle', md5('u' || i) FROM generate_series(1, " + UNITS + ") i");
            // Ten days of fixes for every unit, the newest a minute old, one with attributes every so often.
            statement.execute("INSERT INTO positions (unit_id, time, geom, speed, attributes) "
                    + "SELECT 'U-' || u, now() - interval '1 minute' - make_interval(secs => i * 86.4), "
                    + "ST_SetSRID(ST_MakePoint(-106 + u * 0.01, 31 + i * 1e-5), 4326), i % 13, "
                    + "CASE WHEN i % 100 = 0 THEN jsonb_build_object('n', i) END "
                    + "FROM generate_series(1, " + UNITS + ") u, generate_series(0, " + (ROWS_PER_UNIT - 1) + ") i");
            before = one(conn, fingerprint);
        }
        assertThat(before.get("n")).isEqualTo((long) UNITS * ROWS_PER_UNIT);

        flyway(null).migrate();

        Instant bound;
        try (Connection conn = DriverManager.getConnection(jdbcUrl, user, password);
             Statement statement = conn.createStatement()) {
            assertThat(one(conn, fingerprint)).isEqualTo(before);
            assertThat(one(conn, "SELECT relkind::text AS kind FROM pg_class WHERE relname = 'positions'")
                    .get("kind")).isEqualTo("p");
            String legacy = (String) one(conn, "SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class "
                    + "WHERE relname = 'positions_legacy'").get("bound");
            assertThat(legacy).startsWith("FOR VALUES FROM (MINVALUE) TO (");
            bound = ((java.sql.Timestamp) one(conn, "SELECT (regexp_match(pg_get_expr(relpartbound, oid), "
                    + "'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS bound FROM pg_class "
                    + "WHERE relname = 'positions_legacy'").get("bound")).toInstant();
            assertThat(bound).isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(2).atStartOfDay(ZoneOffset.UTC)
                    .toInstant());
            assertThat(one(conn, "SELECT count(*) AS n FROM ONLY positions_legacy").get("n"))
                    .isEqualTo((long) UNITS * ROWS_PER_UNIT);
            assertThat(one(conn, "SELECT count(*) AS n FROM pg_constraint WHERE conname = 'positions_legacy_bound'")
                    .get("n")).isEqualTo(0L);
            // The key still makes a repeated fix a no-op, as ingest's ON CONFLICT relies on.
            assertThat(statement.executeUpdate("INSERT INTO positions (unit_id, time, geom) SELECT unit_id, time, "
                    + "geom FROM positions WHERE unit_id = 'U-3' LIMIT 10 ON CONFLICT (unit_id, time) DO NOTHING"))
                    .isZero();
            // The BRIN index was declared only: nothing was built over the old rows under the swap's lock.
            assertThat(one(conn, "SELECT indisvalid AS valid FROM pg_index "
                    + "WHERE indexrelid = 'positions_time_idx'::regclass").get("valid")).isEqualTo(false);
        }
        for (MigrationInfo step : flyway(null).info().applied()) {
            if (step.getVersion().getVersion().compareTo("008") >= 0) {
                System.out.printf("migration %s (%s) took %d ms%n", step.getVersion(), step.getDescription(),
                        step.getExecutionTime());
            }
        }

        node = TestNode.start(Vertx.vertx(), Map.of("BW_DB_URL", dbUrl));
        // (node.sql reads the shared test database; this one is read over JDBC.)
        try (Connection conn = DriverManager.getConnection(jdbcUrl, user, password)) {
            String valid = "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'positions_time_idx'::regclass";
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Boolean.TRUE.equals(one(conn, valid).get("valid")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(one(conn, valid).get("valid")).as("the legacy partition's BRIN index is built and attached")
                    .isEqualTo(true);
            assertThat(one(conn, "SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'positions_legacy' "
                    + "AND indexname = 'positions_legacy_time_idx'").get("n")).isEqualTo(1L);
            // The days the legacy partition covers get no partition of their own; the ones after it do.
            LocalDate boundDay = LocalDate.ofInstant(bound, ZoneOffset.UTC);
            assertThat(one(conn, "SELECT to_regclass('" + DayPartitions.name(boundDay.minusDays(1)) + "') AS t")
                    .get("t")).isNull();
            assertThat(one(conn, "SELECT to_regclass('" + DayPartitions.name(boundDay) + "')::text AS t")
                    .get("t")).isEqualTo(DayPartitions.name(boundDay));
        }

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        HttpResponse<Buffer> csv = node.get("/api/v1/history/tracks?format=csv&unitIds=U-7&from="
                + now.minus(11, ChronoUnit.DAYS) + "&to=" + now, node.adminToken());
        assertThat(csv.statusCode()).as(csv.bodyAsString()).isEqualTo(200);
        assertThat(csv.bodyAsString().split("\r\n")).hasSize(1 + ROWS_PER_UNIT);
    }
}
