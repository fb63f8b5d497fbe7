package org.borderwatch.auth;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Passwords (API.md §3): at least 12 characters, at most 72 bytes of UTF-8, not a common password, no control
 * characters; else 400 naming {@code password}, on create and on change, and nothing is stored.
 */
class PasswordPolicyIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        node.createUser("watcher", "watch-floor-password", "viewer");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private HttpResponse<Buffer> create(String username, Object password) throws Exception {
        return node.post("/api/v1/users", node.adminToken(), new JsonObject().put("username", username)
                .put("password", password).put("role", "viewer"));
    }

    private HttpResponse<Buffer> change(Object password) throws Exception {
        return TestNode.await(node.http.patch("/api/v1/users/watcher").bearerTokenAuthentication(node.adminToken())
                .sendJsonObject(new JsonObject().put("password", password)));
    }

    @Test
    void badPasswordsAreRefusedNamingPasswordOnCreateAndChange() throws Exception {
        Object[] bad = {
            "short-pass1",                      // 11 characters
            "qwerty123456", "1qaz2wsx3edc",     // among the most common passwords
            "QWERTY123456",                     // the same, whatever the case
            "ä".repeat(37),                     // 37 characters but 74 bytes of UTF-8
            "x".repeat(73),                     // 73 bytes
            "twelve-chars\u0000x",              // NUL
            "tab\tinside-the-password",         // a control character
            12345678901234L,                    // not a string
        };
        for (Object password : bad) {
            HttpResponse<Buffer> created = create("new-user", password);
            HttpResponse<Buffer> changed = change(password);

            assertThat(created.statusCode()).as("create with %s: %s", password, created.bodyAsString())
                    .isEqualTo(400);
            assertThat(created.bodyAsJsonObject().getString("field")).isEqualTo("password");
            assertThat(changed.statusCode()).as("change to %s", password).isEqualTo(400);
            assertThat(changed.bodyAsJsonObject().getString("field")).isEqualTo("password");
        }
        assertThat(node.count("SELECT count(*) FROM users WHERE username = 'new-user'")).isZero();
        assertThat(node.login("watcher", "watch-floor-password")).isNotBlank();
    }

    @Test
    void goodPasswordsAreTakenUpToSeventyTwoBytes() throws Exception {
        assertThat(create("twelve", "abcdefghijk!").statusCode()).isEqualTo(201);
        assertThat(create("seventy-two", "y".repeat(72)).statusCode()).isEqualTo(201);
        assertThat(create("unicode", "пароль-дозора").statusCode()).isEqualTo(201);

        assertThat(node.login("seventy-two", "y".repeat(72))).isNotBlank();
        assertThat(node.login("unicode", "пароль-дозора")).isNotBlank();
    }

    @Test
    void aWeakBootstrapAdminPasswordStopsTheFirstStart() throws Exception {
        // The policy applies to BW_ADMIN_PASSWORD when it creates user admin (a database's first start).
        Vertx vertx = Vertx.vertx();
        try {
            TestNode.resetDatabase(vertx);
            assertThatThrownBy(() -> TestNode.start(vertx, Map.of("BW_ADMIN_PASSWORD", "admin123")))
                    .hasStackTraceContaining("BW_ADMIN_PASSWORD is refused");
            assertThat(node.count("SELECT count(*) FROM users WHERE username = 'admin'")).isZero();
        } finally {
            TestNode.await(vertx.close());
        }
    }
}
