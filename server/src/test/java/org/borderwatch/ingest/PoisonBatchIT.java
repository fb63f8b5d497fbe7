package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One device's value that passes validation but that the database refuses never costs the other devices of the same
 * group commit their fixes: the commit is retried request by request, the bad one gets 400, the rest are stored.
 */
class PoisonBatchIT {

    /** Stands in for a value validation let through: the database refuses altitude 666 as a data exception. */
    private static final String REFUSE = """
            CREATE OR REPLACE FUNCTION bw_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.alt = 666 THEN
                    RAISE EXCEPTION 'altitude 666 refused' USING ERRCODE = '22023';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER bw_test_refuse BEFORE INSERT ON positions FOR EACH ROW EXECUTE FUNCTION bw_test_refuse()""";

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        TestNode.await(node.db.query(REFUSE).execute());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            TestNode.await(node.db.query("DROP TRIGGER bw_test_refuse ON positions; "
                    + "DROP FUNCTION bw_test_refuse()").execute());
        } finally {
            node.close();
        }
    }

    @Test
    void aRefusedValueCostsOnlyItsOwnRequest() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            keys.add(node.createUnit("PV-" + i, "vehicle"));
        }
        Instant t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        for (int round = 0; round < 3; round++) {
            List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                JsonObject fix = Fixtures.fix("PV-" + i, t.plusSeconds(round).toString(), 31.7, -106.4)
                        .put("alt", i == 7 ? 666.0 : 100.0);
                // All at once, so they share group commits.
                sent.add(node.http.post("/api/v1/positions").bearerTokenAuthentication(keys.get(i)).sendJson(fix));
            }
            for (int i = 0; i < 20; i++) {
                HttpResponse<Buffer> answer = TestNode.await(sent.get(i));
                assertThat(answer.statusCode()).as("PV-%d: %s", i, answer.bodyAsString())
                        .isEqualTo(i == 7 ? 400 : 202);
            }
        }
        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(19 * 3);
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'PV-7'")).isZero();
    }

    @Test
    void aNumberTooSmallForPostgresqlIsZero() throws Exception {
        String key = node.createUnit("UAV-1", "drone");
        JsonObject fix = Fixtures.fix("UAV-1", Instant.now().minusSeconds(5).toString(), 1e-320, -106.4)
                .put("speed", 4.9e-324).put("heading", 1e-310).put("alt", -1e-315);

        assertThat(node.post("/api/v1/positions", key, fix).statusCode()).isEqualTo(202);
        assertThat(node.count("SELECT count(*) FROM positions WHERE ST_Y(geom) = 0 AND speed = 0 AND heading = 0 "
                + "AND alt = 0")).isEqualTo(1);
    }
}
