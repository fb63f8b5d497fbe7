package org.borderwatch.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Administration in the browser ({@code web/e2e/admin.mjs}, headless Chromium): a root admin creates a user who signs
 * in in a second browser and is signed out there by a role change, then disabled; creates a unit whose key is shown
 * once and rotates it (the old key refused, the new one taking positions); shares with a new agency and takes it back;
 * sees a webhook's failing delivery; reads the audit log. Leaves {@code admin.png} (the key on show),
 * {@code admin-users.png} and {@code admin-audit.png} in {@code target/screenshots/}.
 */
class AdminBrowserIT {

    private TestNode node;
    private String patrolKey;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh(Map.of("BW_WEBHOOK_ALLOW_PRIVATE", "true"));
        patrolKey = node.createUnit("PV-01", "vehicle");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void anAdminManagesUsersUnitsKeysSharesAndWebhooksAndReadsTheAuditLog() throws Exception {
        // Nothing listens there: every delivery fails with a refused connection.
        String hookUrl = "http://127.0.0.1:" + TestNode.freePort() + "/hook";
        BrowserScript.Result result = BrowserScript.run("admin", Map.of(
                "BW_URL", "http://127.0.0.1:" + node.port,
                "BW_USER", "admin",
                "BW_PASSWORD", TestNode.ADMIN_PASSWORD,
                "BW_HOOK_URL", hookUrl), request -> request.equals("alert") ? raiseAlert() : null);

        assertThat(result.finished()).as("admin finished; output:%n%s", result.output()).isTrue();
        assertThat(result.exitValue()).as("admin output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("admin ok");
        for (String suffix : new String[] {"", "-users", "-audit"}) {
            Path shot = Path.of(result.screenshot().toString().replace(".png", suffix + ".png"));
            assertThat(Files.size(shot)).as("screenshot %s", shot).isGreaterThan(10_000);
        }
        assertThat(node.count("SELECT count(*) FROM users WHERE username = 'night-officer' AND role = 'viewer' "
                + "AND disabled")).isEqualTo(1);
        // One position under the first key, one under the rotated key; none under the old key after the rotation.
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'PV-77'")).isEqualTo(2);
        assertThat(node.count("SELECT count(*) FROM shares")).isZero();
        assertThat(node.count("SELECT count(*) FROM webhooks")).isZero();
    }

    /** A crossing into a fence: one enter alert for the webhook to deliver. */
    private String raiseAlert() {
        try {
            node.createFence(Fixtures.square("Port zone"));
            String now = Instant.now().toString();
            HttpResponse<Buffer> stored = node.post("/api/v1/positions", patrolKey, new JsonArray()
                    .add(Fixtures.fix("PV-01", Instant.now().minusSeconds(10).toString(), 31.65, -106.45))
                    .add(Fixtures.fix("PV-01", now, 31.75, -106.45)));
            assertThat(stored.statusCode()).as(stored.bodyAsString()).isEqualTo(202);
            assertThat(node.awaitCount(1, "SELECT count(*) FROM alerts WHERE type = 'enter'")).isEqualTo(1);
            return "raised";
        } catch (Exception e) {
            throw new IllegalStateException("cannot raise an alert", e);
        }
    }
}
