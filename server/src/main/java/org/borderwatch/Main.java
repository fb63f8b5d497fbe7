package org.borderwatch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.borderwatch.cluster.ClusterSetup;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the configuration, migrates the schema, starts Vert.x (clustered or not) and deploys the node; on SIGTERM (or
 * SIGINT) stops it gracefully (API.md §8).
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** API.md §8 promises an exit within 10 s of SIGTERM; past this the JVM halts whatever is still running. */
    private static final long HARD_STOP_MS = 9_500;
    /** Exit status of a halt at the deadline: a stop that did not finish cleanly. */
    private static final int HALTED = 70;

    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.fromEnvironment();
        Database.fromUrl(config.dbUrl()).migrate();
        Future<Vertx> vertx = config.cluster() ? ClusterSetup.start(config) : Future.succeededFuture(Vertx.vertx());
        vertx.compose(v -> Borderwatch.deploy(v, config, ClusterView.of(v))
                        .onFailure(e -> v.close()))
                .onSuccess(node -> {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "borderwatch-stop"));
                    LOG.info("Borderwatch is up on {}://localhost:{}", config.tls() ? "https" : "http",
                            config.httpPort());
                })
                .onFailure(e -> {
                    LOG.error("Borderwatch failed to start", e);
                    System.exit(1);
                });
    }

    /** Runs on the JVM's shutdown hook thread, which may block: the node's stop itself runs on Vert.x. */
    private static void stop(Borderwatch node) {
        try {
            node.stop().toCompletionStage().toCompletableFuture().get(HARD_STOP_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.error("not stopped within {} ms; halting", HARD_STOP_MS);
            Runtime.getRuntime().halt(HALTED);
        } catch (ExecutionException e) {
            LOG.warn("stopped with an error: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
