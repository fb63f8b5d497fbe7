package org.borderwatch.auth;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.cot.TakClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Login throttling (API.md §3): more than 5 failed logins for one username, or 20 from one address, within 15
 * minutes give 429 with Retry-After, also for the right password, on every node sharing the database, and for the
 * password checks of MQTT CONNECT and TAK's auth message too.
 */
class LoginThrottleIT {

    private static final String PASSWORD = "watch-floor-password";

    private TestNode node;
    private int mqttPort;
    private int cotPort;

    @BeforeEach
    void start() throws Exception {
        mqttPort = TestNode.freePort();
        cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqttPort), "BW_COT_PORT",
                String.valueOf(cotPort)));
        node.adminToken();
        node.createUser("watcher", PASSWORD, "viewer");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private static HttpResponse<Buffer> login(TestNode on, String username, String password) throws Exception {
        return TestNode.await(on.http.post("/api/v1/login").sendJsonObject(new JsonObject()
                .put("username", username).put("password", password)));
    }

    @Test
    void theSixthAttemptAfterFiveFailuresIsRefusedEvenWithTheRightPassword() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(login(node, "watcher", "wrong-password-" + i).statusCode()).isEqualTo(401);
        }

        HttpResponse<Buffer> right = login(node, "watcher", PASSWORD);
        HttpResponse<Buffer> wrong = login(node, "watcher", "wrong-password-6");

        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(wrong.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(right.getHeader("Retry-After"));
        assertThat(retryAfter).isBetween(880L, 901L);
        assertThat(right.bodyAsJsonObject().getString("error")).contains("retry in");
        // The refused attempts were not counted: the username frees up 15 minutes after its fifth failure.
        assertThat(node.count("SELECT count(*) FROM login_failures WHERE subject = 'user:watcher'")).isEqualTo(5);
        // Another username from the same address is not held back by this one's failures.
        assertThat(login(node, "admin", TestNode.ADMIN_PASSWORD).statusCode()).isEqualTo(200);

        // The same throttle guards the password checks of MQTT and TAK.
        MqttClient mqtt = MqttClient.create(node.vertx, new MqttClientOptions().setUsername("watcher")
                .setPassword(PASSWORD).setClientId("floor-1"));
        assertThatThrownBy(() -> TestNode.await(mqtt.connect(mqttPort, "127.0.0.1"))).isNotNull();
        try (TakClient tak = TakClient.connect(node.vertx, cotPort)) {
            tak.auth("watcher", PASSWORD, "WINTAK-1");
            tak.awaitClosed();
        }

        // As if 15 minutes had passed.
        node.sql("UPDATE login_failures SET at = at - interval '15 minutes'");
        assertThat(login(node, "watcher", PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void twentyFailuresFromOneAddressHoldBackEveryUsernameFromIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(login(node, "ghost-" + i, "wrong-password").statusCode()).isEqualTo(401);
        }

        HttpResponse<Buffer> admin = login(node, "admin", TestNode.ADMIN_PASSWORD);

        assertThat(admin.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(admin.getHeader("Retry-After"))).isPositive();
    }

    @Test
    void aRightPasswordForgetsTheUsernamesEarlierFailures() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                assertThat(login(node, "watcher", "wrong-password").statusCode()).isEqualTo(401);
            }
            assertThat(login(node, "watcher", PASSWORD).statusCode()).as("round " + round).isEqualTo(200);
        }
    }

    @Test
    void theFailuresCountOnEveryNodeOfTheDatabase() throws Exception {
        Vertx other = Vertx.vertx();
        try {
            TestNode second = TestNode.start(other, Map.of());
            for (int i = 0; i < 3; i++) {
                assertThat(login(node, "watcher", "wrong-password").statusCode()).isEqualTo(401);
                assertThat(login(second, "watcher", "wrong-password").statusCode()).isIn(401, 429);
            }

            assertThat(login(second, "watcher", PASSWORD).statusCode()).isEqualTo(429);
            assertThat(login(node, "watcher", PASSWORD).statusCode()).isEqualTo(429);
        } finally {
            TestNode.await(other.close());
        }
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsAWrongPasswordNotAnError() throws Exception {
        HttpResponse<Buffer> response = login(node, "watcher", "x".repeat(200));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(node.count("SELECT count(*) FROM login_failures WHERE subject = 'user:watcher'")).isEqualTo(1);
    }
}
