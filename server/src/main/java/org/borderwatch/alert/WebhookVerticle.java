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
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers alerts to webhooks, at least once: every alert's deliveries are rows written with the alert; this
 * verticle claims the due ones, POSTs the alert JSON signed with HMAC-SHA256, and on a non-2xx answer or a timeout
 * schedules the next attempt with exponential backoff.
 */
public final class WebhookVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookVerticle.class);
    private static final int CLAIM_BATCH = 50;
    private static final int CLAIM_LEASE_SECONDS = 60;
    private static final long POLL_MS = 1000;
    private static final int TIMEOUT_MS = 10_000;

    private final Database database;
    private final WebhookTargets targets;
    private final LongAdder delivered;
    private final LongAdder failed;
    private Pool pool;
    private WebClient client;
    private boolean polling;

    public WebhookVerticle(Database database, Metrics metrics, WebhookTargets targets) {
        this.targets = targets;
        this.database = database;
        this.delivered = metrics.counter("bw_webhook_deliveries_total", "Webhook deliveries answered with 2xx");
        this.failed = metrics.counter("bw_webhook_failures_total", "Webhook attempts that failed and will be retried");
    }

    @Override
    public Future<?> start() {
        pool = database.pool(vertx, 2);
        client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(TIMEOUT_MS)
                .setUserAgent("Borderwatch-Webhook"));
        vertx.setPeriodic(POLL_MS, id -> poll());
        // A fresh alert is delivered at once rather than at the next poll.
        return vertx.eventBus().consumer(Addresses.ALERTS, msg -> poll()).completion();
    }

    private void poll() {
        if (polling) {
            return;
        }
        polling = true;
        pool.preparedQuery(WebhookSql.CLAIM).execute(Tuple.of(CLAIM_BATCH, CLAIM_LEASE_SECONDS))
                .compose(rows -> {
                    List<Future<Void>> sends = new ArrayList<>();
                    rows.forEach(row -> sends.add(deliver(row)));
                    return Future.join(sends).map(rows.size());
                })
                .onComplete(ar -> {
                    polling = false;
                    if (ar.failed()) {
                        LOG.warn("webhook claim failed: {}", ar.cause().getMessage());
                    } else if (ar.result() == CLAIM_BATCH) {
                        poll(); // more are due
                    }
                });
    }

    private Future<Void> deliver(Row row) {
        String webhook = row.getString("webhook_id");
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
                        : Future.failedFuture("HTTP " + response.statusCode()))
                .compose(ok -> {
                    delivered.increment();
                    return pool.preparedQuery(WebhookSql.DELIVERED).execute(Tuple.of(webhook, alertId));
                }, error -> {
                    failed.increment();
                    LOG.info("webhook {} attempt {} for alert {} failed: {}", row.getString("url"),
                            row.getInteger("attempts"), alertId, error.getMessage());
                    return pool.preparedQuery(WebhookSql.FAILED)
                            .execute(Tuple.of(webhook, alertId, String.valueOf(error.getMessage())));
                })
                .mapEmpty();
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
