package org.borderwatch.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.bus.Addresses;
import org.borderwatch.db.Database;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers alerts to webhooks, at least once: every alert's deliveries are rows written with the alert; this
 * verticle claims the due ones webhook by webhook and POSTs the alert JSON signed with HMAC-SHA256.
 *
 * <p>Each webhook has a circuit breaker (its state is in the database, shared by the cluster): a failed attempt (a
 * non-2xx answer, a refused connection, a timeout) opens it, and while it is open nothing is sent to that endpoint
 * but one probe per back-off step (1 s doubling to 5 min); the probe's success closes it and the backlog drains in
 * order. Each webhook's batch runs on its own, so a dead or slow endpoint never delays another webhook. Deliveries
 * still undelivered after {@code BW_WEBHOOK_RETRY_HOURS} become dead. Logs stay bounded whatever the failure rate:
 * one line per circuit change (rate-limited too) and never the URL or an answer verbatim.
 */
public final class WebhookVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookVerticle.class);
    private static final int CLAIM_BATCH = 100;
    private static final int CLAIM_LEASE_SECONDS = 60;
    private static final int MAX_PAUSE_SECONDS = 300;
    private static final long POLL_MS = 1000;
    private static final long HOUSEKEEPING_MS = 5000;
    private static final int TIMEOUT_MS = 10_000;

    private final Database database;
    private final WebhookTargets targets;
    private final double retrySeconds;
    private final LongAdder delivered;
    private final LongAdder failed;
    private final LongAdder dead;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private final AtomicLong openCircuits = new AtomicLong();
    private final LogLimit circuitLog = new LogLimit(LOG, "webhook circuit changes", 30);
    private final LogLimit errorLog = new LogLimit(LOG, "webhook errors", 10);
    /** Webhooks with a batch in flight on this node: the next claim leaves them out. */
    private final Set<UUID> busy = new HashSet<>();
    private Pool pool;
    private WebClient client;
    private boolean polling;
    private boolean pollAgain;

    public WebhookVerticle(Database database, Metrics metrics, WebhookTargets targets, double retryHours) {
        this.targets = targets;
        this.database = database;
        this.retrySeconds = retryHours * 3600;
        this.delivered = metrics.counter("bw_webhook_deliveries_total", "Webhook deliveries answered with 2xx");
        this.failed = metrics.counter("bw_webhook_failures_total", "Webhook attempts that failed and will be retried");
        this.dead = metrics.counter("bw_webhook_dead_total",
                "Webhook deliveries this node gave up on after BW_WEBHOOK_RETRY_HOURS");
        metrics.gauge("bw_webhook_pending", "Webhook deliveries not yet delivered nor dead (cluster-wide)",
                pending::get);
        metrics.gauge("bw_webhook_oldest_pending_seconds", "Age of the oldest pending webhook delivery (cluster-wide)",
                oldestPendingSeconds::get);
        metrics.gauge("bw_webhook_open_circuits", "Webhooks whose endpoint is failing and only probed (cluster-wide)",
                openCircuits::get);
    }

    @Override
    public Future<?> start() {
        pool = database.pool(vertx, 2);
        client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(TIMEOUT_MS)
                .setUserAgent("Borderwatch-Webhook"));
        vertx.setPeriodic(POLL_MS, id -> poll());
        vertx.setPeriodic(HOUSEKEEPING_MS, id -> housekeeping());
        // A fresh alert is delivered at once rather than at the next poll.
        return vertx.eventBus().consumer(Addresses.ALERTS, msg -> poll()).completion();
    }

    private void poll() {
        if (polling) {
            pollAgain = true;
            return;
        }
        polling = true;
        pollAgain = false;
        pool.preparedQuery(WebhookSql.CLAIM)
                .execute(Tuple.of(CLAIM_BATCH, CLAIM_LEASE_SECONDS, busy.toArray(new UUID[0])))
                .onComplete(ar -> {
                    polling = false;
                    if (ar.failed()) {
                        errorLog.warn("webhook claim failed: {}", LogLimit.clip(ar.cause().getMessage()));
                        return;
                    }
                    Map<UUID, List<Row>> batches = new LinkedHashMap<>();
                    ar.result().forEach(row -> batches.computeIfAbsent(UUID.fromString(row.getString("webhook_id")),
                            k -> new ArrayList<>()).add(row));
                    batches.forEach(this::deliverBatch);
                    if (pollAgain) {
                        poll();
                    }
                });
    }

    /** Sends one webhook's claimed deliveries, then records them and moves its circuit; then claims its next ones. */
    private void deliverBatch(UUID webhook, List<Row> rows) {
        busy.add(webhook);
        int failuresAtClaim = rows.get(0).getInteger("failures");
        List<Future<String>> sends = new ArrayList<>();
        rows.forEach(row -> sends.add(send(row).map((String) null)
                .otherwise(error -> LogLimit.clip(error.getMessage()))));
        Future.all(sends).compose(all -> {
            List<UUID> ok = new ArrayList<>();
            List<UUID> bad = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                UUID alert = UUID.fromString(rows.get(i).getString("id"));
                String error = sends.get(i).result();
                if (error == null) {
                    ok.add(alert);
                } else {
                    bad.add(alert);
                    errors.add(error);
                }
            }
            delivered.add(ok.size());
            failed.add(bad.size());
            Future<?> saved = ok.isEmpty() ? Future.succeededFuture() : pool.preparedQuery(WebhookSql.DELIVERED)
                    .execute(Tuple.tuple().addValue(webhook).addValue(ok.toArray(new UUID[0])));
            if (bad.isEmpty()) {
                return saved.compose(x -> pool.preparedQuery(WebhookSql.CLOSE).execute(Tuple.of(webhook)))
                        .onSuccess(closed -> {
                            if (closed.rowCount() > 0) {
                                circuitLog.info("webhook {} answers again after {} failed attempts; circuit closed",
                                        webhook, failuresAtClaim);
                            }
                        }).mapEmpty();
            }
            String firstError = errors.get(0);
            return saved.compose(x -> pool.preparedQuery(WebhookSql.FAILED)
                            .execute(Tuple.of(webhook, bad.toArray(new UUID[0]), errors.toArray(new String[0]))))
                    .compose(x -> pool.preparedQuery(WebhookSql.OPEN)
                            .execute(Tuple.of(webhook, failuresAtClaim, MAX_PAUSE_SECONDS)))
                    .onSuccess(opened -> {
                        if (opened.rowCount() == 0) {
                            return; // another batch of this webhook counted the failure already
                        }
                        Row state = opened.iterator().next();
                        if (failuresAtClaim == 0) {
                            circuitLog.warn("webhook {} failing ({}); circuit open, first probe in {} s, back-off "
                                    + "up to {} s", webhook, firstError, state.getInteger("pause_seconds"),
                                    MAX_PAUSE_SECONDS);
                        } else {
                            errorLog.info("webhook {} probe {} failed ({}); next in {} s", webhook,
                                    state.getInteger("failures"), firstError, state.getInteger("pause_seconds"));
                        }
                    }).mapEmpty();
        }).onComplete(ar -> {
            busy.remove(webhook);
            if (ar.failed()) {
                errorLog.warn("webhook {} outcome not saved (sent again after the lease): {}", webhook,
                        LogLimit.clip(ar.cause().getMessage()));
            }
            poll(); // its backlog drains without waiting for the next tick
        });
    }

    private Future<Void> send(Row row) {
        String alertId = row.getString("id");
        Buffer body = Alerts.fromRow(row).toBuffer();
        URI url = URI.create(row.getString("url"));
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        // Connect to the address checked just now, with the URL's host for the Host header and TLS.
        return targets.resolve(vertx, url)
                .compose(address -> client.request(HttpMethod.POST, new RequestOptions()
                                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                                .setHost(url.getHost()).setPort(port).setSsl(https)
                                .setURI(url.getRawQuery() == null ? path : path + "?" + url.getRawQuery()))
                .timeout(TIMEOUT_MS)
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Borderwatch-Delivery", alertId)
                .putHeader("X-Borderwatch-Signature", "sha256=" + hmac(row.getString("secret"), body))
                .sendBuffer(body))
                .compose(response -> response.statusCode() / 100 == 2
                        ? Future.succeededFuture()
                        : Future.failedFuture("HTTP " + response.statusCode()));
    }

    /** Gives up on deliveries past their retry time and refreshes the cluster-wide gauges. */
    private void housekeeping() {
        pool.preparedQuery(WebhookSql.SWEEP_DEAD).execute(Tuple.of(retrySeconds))
                .onSuccess(swept -> {
                    if (swept.rowCount() > 0) {
                        dead.add(swept.rowCount());
                        circuitLog.warn("{} webhook deliveries undelivered after {} h are dead", swept.rowCount(),
                                retrySeconds / 3600);
                    }
                })
                .compose(x -> pool.preparedQuery(WebhookSql.STATS).execute())
                .onSuccess(rows -> {
                    Row row = rows.iterator().next();
                    pending.set(row.getLong("pending"));
                    oldestPendingSeconds.set(row.getLong("oldest_seconds"));
                    openCircuits.set(row.getLong("open_circuits"));
                })
                .onFailure(e -> errorLog.warn("webhook housekeeping failed: {}", LogLimit.clip(e.getMessage())));
    }

    static String hmac(String secret, Buffer body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    @Override
    public Future<?> stop() {
        client.close();
        return pool.close();
    }
}
