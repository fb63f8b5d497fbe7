package org.borderwatch.ingest;

import org.borderwatch.auth.AuthService;
import org.borderwatch.auth.Sharing;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.borderwatch.ops.Metrics;
import org.borderwatch.track.UnitRegistry;

/** The node's services every device door is built from, handed over once by {@code Borderwatch.deploy}. */
public record Doors(Config config, UnitRegistry units, ClusterView cluster, AuthService auth, Sharing sharing,
                    Database database, Metrics metrics, Admission admission) {
}
