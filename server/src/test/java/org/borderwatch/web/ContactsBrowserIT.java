package org.borderwatch.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contacts on the map in the browser ({@code web/e2e/contacts.mjs}, headless Chromium): an aircraft, a vessel and a
 * radar track posted over {@code POST /api/v1/contacts} are drawn apart from two own units, move with trails, open
 * their own card, raise an alert entering a fence that watches contacts (the alert opens the contact's card), go stale
 * and are dropped. Fails on any console error; leaves {@code contacts.png} in {@code target/screenshots/}.
 */
class ContactsBrowserIT {

    /** Short, so the silent radar track goes stale and is dropped (five times this) within the script. */
    private static final String STALE_SECONDS = "4";

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh(Map.of("BW_CONTACT_STALE_SECONDS", STALE_SECONDS));
        JsonObject fence = Fixtures.square("Contact airspace");
        fence.getJsonObject("properties").put("severity", "warning").put("targets", new JsonArray().add("contacts"));
        node.createFence(fence);
        String now = Instant.now().toString();
        JsonArray fixes = new JsonArray();
        for (String[] unit : new String[][] {{"PV-01", "31.74", "-106.47"}, {"PV-02", "31.72", "-106.44"}}) {
            node.createUnit(unit[0], "vehicle");
            fixes.add(Fixtures.fix(unit[0], now, Double.parseDouble(unit[1]), Double.parseDouble(unit[2]))
                    .put("heading", 0.0).put("speed", 0.0));
        }
        HttpResponse<Buffer> stored = node.post("/api/v1/positions", node.adminToken(), fixes);
        assertThat(stored.statusCode()).as(stored.bodyAsString()).isEqualTo(202);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void contactsAreDrawnApartFromUnitsMoveGoStaleAndTheirFenceAlertOpensTheirCard() throws Exception {
        BrowserScript.Result result = BrowserScript.run("contacts", Map.of(
                "BW_URL", "http://127.0.0.1:" + node.port,
                "BW_USER", "admin",
                "BW_PASSWORD", TestNode.ADMIN_PASSWORD));

        assertThat(result.finished()).as("contacts finished; output:%n%s", result.output()).isTrue();
        assertThat(result.exitValue()).as("contacts output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("contacts ok");
        assertThat(Files.size(result.screenshot())).isGreaterThan(10_000);
        // The enter alert the browser showed is the contact's own, raised once.
        assertThat(node.count("SELECT count(*) FROM alerts WHERE type = 'enter' AND unit_id = 'adsb:A8F2D4'"))
                .isEqualTo(1);
    }
}
