package org.borderwatch.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.borderwatch.alert.AlertApi;
import org.borderwatch.alert.AlertSockets;
import org.borderwatch.alert.WebhookApi;
import org.borderwatch.alert.WebhookTargets;
import org.borderwatch.audit.Audit;
import org.borderwatch.audit.AuditApi;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.AuthService;
import org.borderwatch.auth.Sharing;
import org.borderwatch.auth.SharingApi;
import org.borderwatch.auth.UserApi;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.contact.ContactApi;
import org.borderwatch.contact.ContactIngest;
import org.borderwatch.contact.ContactStore;
import org.borderwatch.db.Database;
import org.borderwatch.db.DatabaseProbe;
import org.borderwatch.dispatch.DispatchApi;
import org.borderwatch.geofence.GeofenceApi;
import org.borderwatch.geofence.GeofenceStore;
import org.borderwatch.history.HistoryApi;
import org.borderwatch.ingest.Admission;
import org.borderwatch.ingest.PositionApi;
import org.borderwatch.ingest.PositionIngest;
import org.borderwatch.live.LiveHub;
import org.borderwatch.ops.Drain;
import org.borderwatch.ops.Metrics;
import org.borderwatch.tls.Tls;
import org.borderwatch.track.UnitApi;
import org.borderwatch.track.UnitRegistry;
import org.borderwatch.track.UnitStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The HTTP front: REST API, WebSockets, health, metrics and the web app, on {@code BW_HTTP_PORT}; HTTPS and WSS only
 * when TLS is configured.
 */
public final class HttpVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
    /** Larger requests (inflated) get 413: this bounds each body's memory (large ones are parsed on a worker). */
    private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
    /** Threads that parse large position bodies: one per core, so a burst of them cannot crowd out the loops. */
    private static final int PARSER_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private final Config config;
    private final Database database;
    private final UnitRegistry registry;
    private final Metrics metrics;
    private final ClusterView cluster;
    private final AuthService auth;
    private final Sharing sharing;
    private final Drain drain;
    private final Admission admission;
    private Pool pool;
    private WorkerExecutor parsers;
    private DatabaseProbe probe;
    /** History queries and exports hold a connection for as long as their answer streams: a pool of their own. */
    private Pool historyPool;
    private HttpServer server;

    public HttpVerticle(Config config, Database database, UnitRegistry registry, Metrics metrics,
                        ClusterView cluster, AuthService auth, Sharing sharing, Drain drain, Admission admission) {
        this.config = config;
        this.database = database;
        this.registry = registry;
        this.metrics = metrics;
        this.cluster = cluster;
        this.auth = auth;
        this.sharing = sharing;
        this.drain = drain;
        this.admission = admission;
    }

    @Override
    public Future<?> start() {
        pool = database.pool(vertx, 4);
        historyPool = database.pool(vertx, 4);
        parsers = vertx.createSharedWorkerExecutor("bw-position-parser", PARSER_THREADS);
        UnitStore units = new UnitStore(vertx, pool, registry, config.staleSeconds());
        probe = new DatabaseProbe(database);
        metrics.gauge("bw_database_up", "1 while this node reaches PostgreSQL (probed every second), else 0",
                () -> probe.up() ? 1 : 0);
        ContactStore contacts = new ContactStore(pool);
        LiveHub live = new LiveHub(vertx, units, config.staleSeconds(), contacts, config.contactStaleSeconds(),
                metrics, sharing, drain, probe);
        return live.start()
                .compose(v -> {
                    Router router = router(auth, units, contacts, live);
                    HttpServerOptions options = Tls.server(config, new HttpServerOptions()
                            .setCompressionSupported(true));
                    return vertx.createHttpServer(options)
                            .requestHandler(router)
                            .listen(config.httpPort());
                })
                .onSuccess(s -> {
                    server = s;
                    LOG.info("{} on port {}", config.tls() ? "HTTPS" : "HTTP", s.actualPort());
                });
    }

    private Router router(AuthService auth, UnitStore units, ContactStore contacts, LiveHub live) {
        Router router = Router.router(vertx);
        router.route().handler(new SecurityHeaders(config.tls(), config.tileOrigin()));
        // Health and metrics answer to the end, so a load balancer sees a stopping node as not ready.
        router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "up")));
        // The reason names the failing part only: the database's address is nobody's business outside.
        router.get("/health/ready").handler(ctx -> ready().onComplete(ar -> Responses.json(ctx,
                ar.succeeded() ? 200 : 503, new JsonObject().put("status", ar.succeeded() ? "ready" : "not ready")
                        .put("reason", ar.succeeded() ? null : ar.cause().getMessage()))));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.render()));
        router.route().handler(drain.gate());

        PositionApi positions = new PositionApi(new PositionIngest(vertx, registry, cluster), admission, parsers);
        positions.mountAdmission(router);
        router.route("/api/*").handler(new BodyReader(MAX_BODY_BYTES));
        router.route("/api/*").handler(new Audit(pool, metrics));
        new AuthApi(auth).mount(router);
        new UserApi(vertx, pool, auth).mount(router);
        new AuditApi(pool).mount(router);
        positions.mount(router);
        new UnitApi(units, registry, sharing).mount(router);
        new GeofenceApi(vertx, new GeofenceStore(pool, config.geofenceMaxAreaKm2())).mount(router);
        new AlertApi(vertx, pool).mount(router);
        new DispatchApi(vertx, pool, registry, sharing, config).mount(router);
        new ContactApi(new ContactIngest(vertx), contacts, registry, config.contactStaleSeconds()).mount(router);
        new WebhookApi(pool, new WebhookTargets(config.webhookAllowPrivate())).mount(router);
        new AlertSockets(vertx, pool, metrics, sharing, drain).mount(router);
        new SharingApi(vertx, pool, sharing).mount(router);
        new HistoryApi(historyPool, registry, sharing, config).mount(router);
        live.mount(router);
        router.route("/api/*").handler(ctx -> Responses.fail(ctx, ApiException.notFound("route")));
        router.route("/api/*").failureHandler(Responses::onFailure);
        router.route("/ws/*").failureHandler(Responses::onFailure);

        WebApp.mount(vertx, router, config.tileUrl(), config.tilesPath());
        return router;
    }

    private Future<Void> ready() {
        if (drain.draining()) {
            return Future.failedFuture("stopping");
        }
        return pool.query("SELECT 1").execute()
                .recover(e -> Future.failedFuture("database unreachable"))
                .compose(rows -> cluster.joined()
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture("not joined to the cluster"));
    }

    @Override
    public Future<?> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.compose(v -> probe.stop()).compose(v -> parsers.close()).compose(v -> pool.close())
                .compose(v -> historyPool.close());
    }
}
