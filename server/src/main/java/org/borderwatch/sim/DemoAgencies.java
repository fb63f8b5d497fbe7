package org.borderwatch.sim;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * The demo's joint operation (API.md §9): a federal border patrol runs the drones, vehicles and foot patrols, a state
 * police runs the river boats and shares them with the border patrol, so the border patrol's floor sees the boats and
 * the state police sees only its own. Root (user admin) sees everything. Created once; an operator's later changes
 * to the share are kept.
 */
final class DemoAgencies {

    static final String FEDERAL = "border-patrol";
    static final String STATE = "state-police";

    private static final String AGENCIES = """
            INSERT INTO agencies (id, name) VALUES ('border-patrol', 'Border Patrol (federal)'),
                                                   ('state-police', 'State Police')
            ON CONFLICT (id) DO NOTHING RETURNING id""";
    private static final String SHARE = """
            INSERT INTO shares (from_agency, to_agency, unit_types, created_by)
            VALUES ('state-police', 'border-patrol', ARRAY['boat'], 'simulator')""";

    private DemoAgencies() {
    }

    /** The agency of a simulated unit of {@code type}. */
    static String of(String type) {
        return "boat".equals(type) ? STATE : FEDERAL;
    }

    /** Creates the two agencies and the share at the first start of a database; true when it did. */
    static Future<Boolean> ensure(Pool pool) {
        return pool.query(AGENCIES).execute().compose(created -> created.size() == 0
                ? Future.succeededFuture(false)
                : pool.query(SHARE).execute().map(true));
    }
}
