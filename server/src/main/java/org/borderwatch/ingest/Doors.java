package org.borderwatch.ingest;

import org.borderwatch.auth.AuthService;
import org.borderwatch.auth.Sharing;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.borderwatch.ops.Drain;
import org.borderwatch.ops.Metrics;
import org.borderwatch.track.UnitRegistry;

/**
 * The node's services every device door is built from, handed over once by {@code Borderwatch.deploy}; {@code drain}
 * is the node's stopping state, which every door obeys.
 */
public record Doors(Config config, UnitRegistry units, ClusterView cluster, AuthService auth, Sharing sharing,
                    Database database, Metrics metrics, Drain drain, Admission admission) {
}
