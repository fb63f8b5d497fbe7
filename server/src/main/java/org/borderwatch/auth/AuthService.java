package org.borderwatch.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.http.ApiException;
import org.borderwatch.track.UnitRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Logins, users and bearer tokens. Login tokens are HS256 JWTs signed with a key kept in the database, so a token
 * from one node is good on every node; device keys are looked up by their hash. Bcrypt runs as unordered blocking
 * work: ordered work is serialised per context, which would queue every login of the node behind one another.
 */
public final class AuthService {

    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
    private static final String TOKEN_KEY = "jwt-hs256";

    private final Vertx vertx;
    private final Pool pool;
    private final UnitRegistry units;
    private final JWTAuth jwt;
    private final int tokenTtlSeconds;

    private AuthService(Vertx vertx, Pool pool, UnitRegistry units, JWTAuth jwt, int tokenTtlSeconds) {
        this.vertx = vertx;
        this.pool = pool;
        this.units = units;
        this.jwt = jwt;
        this.tokenTtlSeconds = tokenTtlSeconds;
    }

    public static Future<AuthService> create(Vertx vertx, Pool pool, UnitRegistry units, int tokenTtlSeconds) {
        return pool.preparedQuery(AuthSql.INSERT_SECRET).execute(Tuple.of(TOKEN_KEY, Secrets.randomToken(48)))
                .compose(v -> pool.preparedQuery(AuthSql.SELECT_SECRET).execute(Tuple.of(TOKEN_KEY)))
                .map(rows -> {
                    String secret = rows.iterator().next().getString("value");
                    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
                    return new AuthService(vertx, pool, units, jwt, tokenTtlSeconds);
                });
    }

    /**
     * Creates user {@code admin} on the very first start of the cluster. The password is the configured one or a
     * generated one, printed this once.
     */
    public Future<Void> bootstrapAdmin(String configuredPassword) {
        return pool.query(AuthSql.ADMIN_EXISTS).execute().compose(rows -> {
            if (rows.size() > 0) {
                return Future.succeededFuture();
            }
            String password = configuredPassword != null ? configuredPassword : Secrets.randomToken(12);
            return vertx.executeBlocking(() -> Secrets.hashPassword(password), false)
                    .compose(hash -> pool.preparedQuery(AuthSql.INSERT_ADMIN).execute(Tuple.of(hash)))
                    .map(inserted -> {
                        if (inserted.size() > 0) {
                            LOG.info("created user 'admin'{}", configuredPassword != null
                                    ? " with the password from BW_ADMIN_PASSWORD"
                                    : " with password: " + password
                                            + "  (shown once; set BW_ADMIN_PASSWORD to choose)");
                        }
                        return null;
                    });
        });
    }

    public Future<JsonObject> login(String username, String password) {
        return checkPassword(username, password).map(row -> {
            String role = row.getString("role");
            Instant expiresAt = Instant.now().plusSeconds(tokenTtlSeconds);
            String token = jwt.generateToken(new JsonObject().put("sub", username).put("role", role),
                    new JWTOptions().setExpiresInSeconds(tokenTtlSeconds));
            return new JsonObject().put("token", token).put("role", role).put("expiresAt", Times.format(expiresAt));
        });
    }

    /**
     * Who a username and password belong to, for the device protocols that carry credentials (MQTT CONNECT, TAK's
     * streaming auth message): a unit (username = unit id or empty, password = its device key) or a user. Fails with
     * a 401-style {@link ApiException} otherwise.
     */
    public Future<Principal> credentials(String username, String password) {
        if (password != null && password.startsWith(Secrets.DEVICE_KEY_PREFIX)) {
            return units.findByKeyHash(Secrets.sha256(password)).map(unit -> {
                if (unit == null || (username != null && !username.isEmpty() && !username.equals(unit.id()))) {
                    throw new ApiException(401, "unknown device key for this unit", null, null);
                }
                return Principal.device(unit.id());
            });
        }
        return checkPassword(username, password)
                .map(row -> Principal.user(username, Role.ofPerson(row.getString("role"))));
    }

    /**
     * Who a name vouched for by a trusted client certificate is (CoT over mutual TLS, CN = unit id or username): the
     * unit's device, else the user. The certificate is the credential, so no password. A unit id wins over a username
     * spelled the same. Fails with a 401-style {@link ApiException} for a name that is neither.
     */
    public Future<Principal> byName(String name) {
        if (name == null || name.isBlank()) {
            return Future.failedFuture(new ApiException(401, "no unit or user named", null, null));
        }
        return units.find(name).compose(unit -> unit != null
                ? Future.succeededFuture(Principal.device(unit.id()))
                : pool.preparedQuery(AuthSql.SELECT_USER).execute(Tuple.of(name)).map(rows -> {
                    if (rows.size() == 0) {
                        throw new ApiException(401, "no unit or user of this name", null, null);
                    }
                    return Principal.user(name, Role.ofPerson(rows.iterator().next().getString("role")));
                }));
    }

    /** The user's row when the password is right; a 401 otherwise, after the same bcrypt work either way. */
    private Future<Row> checkPassword(String username, String password) {
        if (username == null || password == null) {
            return Future.failedFuture(new ApiException(401, "invalid username or password", null, null));
        }
        return pool.preparedQuery(AuthSql.SELECT_USER).execute(Tuple.of(username)).compose(rows -> {
            Row row = rows.size() > 0 ? rows.iterator().next() : null;
            // An unknown user costs the same bcrypt as a known one, so timing does not reveal who exists.
            String hash = row != null ? row.getString("password_hash") : DUMMY_HASH;
            return vertx.executeBlocking(() -> Secrets.checkPassword(password, hash), false).map(ok -> {
                if (row == null || !ok) {
                    throw new ApiException(401, "invalid username or password", null, null);
                }
                return row;
            });
        });
    }

    public Future<Void> createUser(String username, String password, Role role) {
        return vertx.executeBlocking(() -> Secrets.hashPassword(password), false)
                .compose(hash -> pool.preparedQuery(AuthSql.INSERT_USER)
                        .execute(Tuple.of(username, hash, role.wireName())))
                .mapEmpty();
    }

    /** Resolves a bearer token (login JWT or device key) to its principal; fails with 401 when it is neither. */
    public Future<Principal> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Future.failedFuture(ApiException.unauthorized());
        }
        if (token.startsWith(Secrets.DEVICE_KEY_PREFIX)) {
            return units.findByKeyHash(Secrets.sha256(token)).map(unit -> {
                if (unit == null) {
                    throw ApiException.unauthorized();
                }
                return Principal.device(unit.id());
            });
        }
        return jwt.authenticate(new TokenCredentials(token))
                .map(user -> {
                    Role role = Role.ofPerson(user.principal().getString("role"));
                    if (role == null) {
                        throw ApiException.unauthorized();
                    }
                    return Principal.user(user.principal().getString("sub"), role);
                })
                .recover(e -> Future.failedFuture(e instanceof ApiException ? e : ApiException.unauthorized()));
    }

    private static final String DUMMY_HASH = Secrets.hashPassword(Secrets.randomToken(16));
}
