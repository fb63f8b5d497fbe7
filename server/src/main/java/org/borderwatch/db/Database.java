package org.borderwatch.db;

import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Connection settings from {@code BW_DB_URL}, the reactive pools, and the start-up migrations. */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** A database that does not accept a connection within this is as good as down: the API answers 503. */
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /**
     * SQLSTATEs of a database going away or not back yet: 57P01 admin shutdown (PostgreSQL stopping), 57P02 crash
     * shutdown, 57P03 cannot connect now (starting up or shutting down), 53300 too many connections.
     */
    private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300");
    /** vertx-sql-client's words for a statement on a connection that has closed (SocketConnectionBase). */
    private static final String CLOSED_UNDER_STATEMENT = "Connection is not active now";

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;

    private Database(String host, int port, String database, String user, String password) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** Parses {@code postgresql://user:pass@host:port/db} (also {@code postgres://}). */
    public static Database fromUrl(String url) {
        URI uri = URI.create(url);
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("BW_DB_URL must start with postgresql://, got " + uri.getScheme());
        }
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? user : uri.getPath().substring(1);
        return new Database(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, db, user, password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /**
     * JIT is off for every connection: our statements are short and run thousands of times, and a planner estimate
     * over {@code jit_above_cost} (the silence check's visibility subplans reach it) made PostgreSQL compile a 1 ms
     * statement for 800 ms on every run.
     */
    public PgConnectOptions connectOptions() {
        return new PgConnectOptions()
                .addProperty("jit", "off")
                .setHost(host)
                .setPort(port)
                .setDatabase(database)
                .setUser(user)
                .setPassword(password)
                .setCachePreparedStatements(true)
                // The group commit's statements are longer than the client's default 2,048-character limit for its
                // cache: uncached, each run was parsed and planned anew (a millisecond of the database's CPU each).
                .setPreparedStatementCacheSqlLimit(PREPARED_SQL_LIMIT)
                .setPipeliningLimit(256);
    }

    /** Statements up to this long are prepared once per connection and kept. */
    static final int PREPARED_SQL_LIMIT = 16_384;

    public Pool pool(Vertx vertx, int size) {
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(10_000))
                .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
                .connectingTo(connectOptions())
                .using(vertx)
                .build();
    }

    /**
     * Applies the versioned SQL in {@code sql/} (on the classpath as {@code db/migration}). Blocking JDBC, so it
     * runs once at start-up before any verticle; Flyway's advisory lock keeps nodes starting together in step.
     */
    public void migrate() {
        String jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        Flyway flyway = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .load();
        int applied = flyway.migrate().migrationsExecuted;
        LOG.info("database {} at {}:{} is at schema version {} ({} migrations applied now)",
                database, host, port, flyway.info().current().getVersion(), applied);
    }

    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    /**
     * The pg client could not reach PostgreSQL: refused, timed out or reset connections, a connection closed under a
     * query, or PostgreSQL saying it is stopping or not up yet (SQLSTATE class 08, {@link #UNAVAILABLE}). The database
     * is down or restarting, so the client should retry (API.md §8); not a bug to log in full.
     */
    public static boolean unreachable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException
                    || t instanceof ClosedChannelException) {
                return true;
            }
            // A statement sent on a connection the outage closed a moment before: the client says so only in words.
            if (t instanceof VertxException && t.getMessage() != null
                    && t.getMessage().startsWith(CLOSED_UNDER_STATEMENT)) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || UNAVAILABLE.contains(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }
}
