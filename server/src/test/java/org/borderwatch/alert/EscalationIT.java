package org.borderwatch.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A critical alert nobody acknowledges within BW_ESCALATE_SECONDS raises one {@code escalated} alert naming it. */
class EscalationIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh(Map.of("BW_ESCALATE_SECONDS", "2"));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void anUnacknowledgedCriticalAlertEscalatesOnceAndAnAcknowledgedOneDoesNot() throws Exception {
        node.createFence(Fixtures.square("Port zone")); // critical
        for (String unit : new String[] {"PV-01", "PV-02"}) {
            String key = node.createUnit(unit, "vehicle");
            node.post("/api/v1/positions", key, new JsonArray()
                    .add(Fixtures.fix(unit, "2026-11-25T10:00:00.000Z", 31.65, -106.45))
                    .add(Fixtures.fix(unit, "2026-11-25T10:00:10.000Z", 31.75, -106.45)));
        }
        String token = node.adminToken();
        JsonArray enters = node.get("/api/v1/alerts?type=enter", token).bodyAsJsonArray();
        assertThat(enters).hasSize(2);
        JsonObject handled = enters.stream().map(JsonObject.class::cast)
                .filter(a -> "PV-02".equals(a.getString("unitId"))).findFirst().orElseThrow();
        assertThat(node.post("/api/v1/alerts/" + handled.getString("id") + "/ack", token, new JsonObject())
                .statusCode()).isEqualTo(200);

        assertThat(node.awaitCount(1, "SELECT count(*) FROM alerts WHERE type = 'escalated'")).isEqualTo(1);
        Thread.sleep(2_500); // more checks: still one
        JsonArray escalated = node.get("/api/v1/alerts?type=escalated", token).bodyAsJsonArray();

        assertThat(escalated).hasSize(1);
        JsonObject alert = escalated.getJsonObject(0);
        assertThat(alert.getString("unitId")).isEqualTo("PV-01");
        assertThat(alert.getString("severity")).isEqualTo("critical");
        assertThat(alert.getString("geofenceName")).isEqualTo("Port zone");
        String ignored = enters.stream().map(JsonObject.class::cast).filter(a -> "PV-01".equals(a.getString("unitId")))
                .findFirst().orElseThrow().getString("id");
        assertThat(alert.getString("escalates")).isEqualTo(ignored);
    }
}
