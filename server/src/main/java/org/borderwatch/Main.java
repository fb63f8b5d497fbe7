package org.borderwatch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.borderwatch.cluster.ClusterSetup;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the configuration, migrates the schema, starts Vert.x (clustered or not) and deploys the node. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.fromEnvironment();
        Database.fromUrl(config.dbUrl()).migrate();
        Future<Vertx> vertx = config.cluster() ? ClusterSetup.start(config) : Future.succeededFuture(Vertx.vertx());
        vertx.compose(v -> Borderwatch.deploy(v, config, ClusterView.of(v))
                        .onFailure(e -> v.close()))
                .onSuccess(v -> LOG.info("Borderwatch is up on {}://localhost:{}", config.tls() ? "https" : "http",
                        config.httpPort()))
                .onFailure(e -> {
                    LOG.error("Borderwatch failed to start", e);
                    System.exit(1);
                });
    }
}
