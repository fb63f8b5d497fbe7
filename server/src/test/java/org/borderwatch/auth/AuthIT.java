package org.borderwatch.auth;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.Fixtures.square;

/** Logins, roles and device keys as API.md §3 fixes them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthIT {

    private TestNode node;

    @BeforeAll
    void start() throws Exception {
        node = TestNode.fresh();
        for (String role : new String[] {"viewer", "operator"}) {
            HttpResponse<Buffer> created = node.post("/api/v1/users", node.adminToken(), new JsonObject()
                    .put("username", role + "1").put("password", role + "-password").put("role", role));
            assertThat(created.statusCode()).isEqualTo(201);
        }
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    @Test
    void loginReturnsATokenWithRoleAndExpiry() throws Exception {
        HttpResponse<Buffer> ok = TestNode.await(node.http.post("/api/v1/login")
                .sendJsonObject(new JsonObject().put("username", "operator1").put("password", "operator-password")));
        HttpResponse<Buffer> wrong = TestNode.await(node.http.post("/api/v1/login")
                .sendJsonObject(new JsonObject().put("username", "operator1").put("password", "nope")));
        HttpResponse<Buffer> nobody = TestNode.await(node.http.post("/api/v1/login")
                .sendJsonObject(new JsonObject().put("username", "ghost").put("password", "nope")));

        assertThat(ok.statusCode()).isEqualTo(200);
        JsonObject body = ok.bodyAsJsonObject();
        assertThat(body.getString("token")).isNotBlank();
        assertThat(body.getString("role")).isEqualTo("operator");
        assertThat(Instant.parse(body.getString("expiresAt"))).isAfter(Instant.now());
        assertThat(body.getString("expiresAt")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(nobody.statusCode()).isEqualTo(401);
    }

    @Test
    void aLoginDoesNotQueueBehindOtherBlockingWorkOnItsContext() throws Exception {
        AuthService auth = TestNode.await(AuthService.create(node.vertx, node.db, null, 3600));
        Context context = node.vertx.getOrCreateContext();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<JsonObject> login = new CompletableFuture<>();
        context.runOnContext(v -> {
            // Holds the context's ordered blocking queue, as another login's bcrypt check would.
            context.executeBlocking(() -> release.await(30, TimeUnit.SECONDS));
            auth.login("viewer1", "viewer-password", "127.0.0.1").onComplete(ar -> {
                if (ar.succeeded()) {
                    login.complete(ar.result());
                } else {
                    login.completeExceptionally(ar.cause());
                }
            });
        });
        try {
            assertThat(login.get(10, TimeUnit.SECONDS).getString("role")).isEqualTo("viewer");
        } finally {
            release.countDown();
        }
    }

    @Test
    void everyApiRouteNeedsAToken() throws Exception {
        assertThat(TestNode.await(node.http.get("/api/v1/units").send()).statusCode()).isEqualTo(401);
        assertThat(node.get("/api/v1/units", "not.a.token").statusCode()).isEqualTo(401);
        assertThat(TestNode.await(node.http.get("/health/live").send()).statusCode()).isEqualTo(200);
    }

    @Test
    void rolesGateWhatEachUserMayDo() throws Exception {
        String viewer = node.login("viewer1", "viewer-password");
        String operator = node.login("operator1", "operator-password");

        assertThat(node.get("/api/v1/geofences", viewer).statusCode()).isEqualTo(200);
        assertThat(node.post("/api/v1/geofences", viewer, square("Viewer fence")).statusCode()).isEqualTo(403);
        assertThat(node.post("/api/v1/geofences", operator, square("Operator fence")).statusCode()).isEqualTo(201);
        assertThat(node.post("/api/v1/units", operator, new JsonObject().put("id", "X-1").put("type", "drone"))
                .statusCode()).isEqualTo(403);
        assertThat(node.post("/api/v1/users", operator, new JsonObject().put("username", "eve")
                .put("password", "password1").put("role", "admin")).statusCode()).isEqualTo(403);
    }

    @Test
    void aDeviceKeyOnlyReportsPositions() throws Exception {
        String key = node.createUnit("UAV-09", "drone");

        assertThat(node.get("/api/v1/units", key).statusCode()).isEqualTo(403);
        assertThat(node.get("/api/v1/alerts", key).statusCode()).isEqualTo(403);
    }

    @Test
    void newUsersAreCheckedAndUnique() throws Exception {
        HttpResponse<Buffer> shortPassword = node.post("/api/v1/users", node.adminToken(), new JsonObject()
                .put("username", "x").put("password", "short").put("role", "viewer"));
        HttpResponse<Buffer> badRole = node.post("/api/v1/users", node.adminToken(), new JsonObject()
                .put("username", "x").put("password", "long-enough-pass").put("role", "root"));
        HttpResponse<Buffer> duplicate = node.post("/api/v1/users", node.adminToken(), new JsonObject()
                .put("username", "viewer1").put("password", "long-enough-pass").put("role", "viewer"));

        assertThat(shortPassword.statusCode()).isEqualTo(400);
        assertThat(shortPassword.bodyAsJsonObject().getString("field")).isEqualTo("password");
        assertThat(badRole.bodyAsJsonObject().getString("field")).isEqualTo("role");
        assertThat(duplicate.statusCode()).isEqualTo(409);
    }

    @Test
    void passwordsAndDeviceKeysAreStoredHashed() throws Exception {
        String key = node.createUnit("UAV-10", "drone");

        assertThat(node.sql("SELECT password_hash FROM users WHERE username = 'viewer1'").iterator().next()
                .getString(0)).startsWith("$2a$").doesNotContain("viewer-password");
        assertThat(node.count("SELECT count(*) FROM units WHERE device_key_hash = $1", key)).isZero();
        assertThat(node.count("SELECT count(*) FROM units WHERE device_key_hash = $1", Secrets.sha256(key)))
                .isEqualTo(1);
    }
}
