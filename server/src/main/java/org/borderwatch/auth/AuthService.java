package org.borderwatch.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
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
import java.time.OffsetDateTime;

/**
 * Logins, password checks and bearer tokens. Login tokens are HS256 JWTs signed with a key kept in the database, so a
 * token from one node is good on every node, until {@link Sessions} says it was revoked; device keys are looked up by
 * their hash. Password checks are throttled ({@link LoginThrottle}). Bcrypt runs as unordered blocking work: ordered
 * work is serialised per context, which would queue every login of the node behind one another.
 */
public final class AuthService {

    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
    private static final String TOKEN_KEY = "jwt-hs256";
    /** Longest a login waits for the second after its user's last revocation (clock skew between nodes included). */
    private static final long MAX_LOGIN_WAIT_MS = 2_000;

    /** A refused password check, with the agency of the user it named when there is one (for the audit). */
    public static final class Refused extends ApiException {

        private final String agency;

        Refused(String agency) {
            super(401, "invalid username or password", null, null);
            this.agency = agency;
        }

        public String agency() {
            return agency;
        }
    }

    private final Vertx vertx;
    private final Pool pool;
    private final UnitRegistry units;
    private final JWTAuth jwt;
    private final int tokenTtlSeconds;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    private AuthService(Vertx vertx, Pool pool, UnitRegistry units, JWTAuth jwt, int tokenTtlSeconds,
                        Sessions sessions) {
        this.vertx = vertx;
        this.pool = pool;
        this.units = units;
        this.jwt = jwt;
        this.tokenTtlSeconds = tokenTtlSeconds;
        this.sessions = sessions;
        this.throttle = new LoginThrottle(vertx, pool);
    }

    public static Future<AuthService> create(Vertx vertx, Pool pool, UnitRegistry units, int tokenTtlSeconds) {
        return pool.preparedQuery(AuthSql.INSERT_SECRET).execute(Tuple.of(TOKEN_KEY, Secrets.randomToken(48)))
                .compose(v -> pool.preparedQuery(AuthSql.SELECT_SECRET).execute(Tuple.of(TOKEN_KEY)))
                .compose(rows -> {
                    String secret = rows.iterator().next().getString("value");
                    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
                    return new Sessions(pool).load(vertx)
                            .map(sessions -> new AuthService(vertx, pool, units, jwt, tokenTtlSeconds, sessions));
                });
    }

    /**
     * Creates user {@code admin} on the very first start of the cluster. The password is the configured one or a
     * generated one, printed this once. A configured one must meet the {@link PasswordPolicy} like any other: the
     * node refuses to start with a weak one rather than guard every agency's data with it.
     */
    public Future<Void> bootstrapAdmin(String configuredPassword) {
        return pool.query(AuthSql.ADMIN_EXISTS).execute().compose(rows -> {
            if (rows.size() > 0) {
                return Future.succeededFuture();
            }
            String weak = configuredPassword == null ? null : PasswordPolicy.problem(configuredPassword);
            if (weak != null) {
                return Future.failedFuture(new IllegalArgumentException("BW_ADMIN_PASSWORD is refused: "
                        + weak.replaceFirst("^password ", "it ")));
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

    /**
     * A login token for the right password from {@code address}: {@link Refused} (401) otherwise, 429 when the
     * username or address is throttled.
     */
    public Future<JsonObject> login(String username, String password, String address) {
        return checkPassword(username, password, address).compose(row -> {
            OffsetDateTime revoked = row.getOffsetDateTime("tokens_valid_after");
            long firstValid = Sessions.firstValidSecond(revoked == null ? 0 : revoked.toInstant().toEpochMilli());
            // A token issued in the second of a revocation would be refused with it: wait for the next second.
            long wait = Math.min(MAX_LOGIN_WAIT_MS, firstValid * 1000 - System.currentTimeMillis());
            Future<Void> ready = wait > 0 ? vertx.timer(wait).mapEmpty() : Future.succeededFuture();
            return ready.map(v -> token(username, row.getString("role"), row.getString("agency")));
        });
    }

    private JsonObject token(String username, String role, String agency) {
        Instant expiresAt = Instant.now().plusSeconds(tokenTtlSeconds);
        String token = jwt.generateToken(new JsonObject().put("sub", username).put("role", role)
                .put("agency", agency).put("jti", Secrets.randomToken(16)),
                new JWTOptions().setExpiresInSeconds(tokenTtlSeconds));
        return new JsonObject().put("token", token).put("role", role).put("agency", agency)
                .put("expiresAt", Times.format(expiresAt));
    }

    /**
     * Who a username and password belong to, for the device protocols that carry credentials (MQTT CONNECT, TAK's
     * streaming auth message) from {@code address}: a unit (username = unit id or empty, password = its device key)
     * or a user. Fails with a 401-style {@link ApiException} otherwise, or 429 while a user's password is throttled.
     */
    public Future<Principal> credentials(String username, String password, String address) {
        if (password != null && password.startsWith(Secrets.DEVICE_KEY_PREFIX)) {
            return units.findByKeyHash(Secrets.sha256(password)).map(unit -> {
                if (unit == null || (username != null && !username.isEmpty() && !username.equals(unit.id()))) {
                    throw new ApiException(401, "unknown device key for this unit", null, null);
                }
                return Principal.device(unit.id(), unit.agency());
            });
        }
        return checkPassword(username, password, address)
                .map(row -> Principal.user(username, Role.ofPerson(row.getString("role")), row.getString("agency")));
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
                ? Future.succeededFuture(Principal.device(unit.id(), unit.agency()))
                : pool.preparedQuery(AuthSql.SELECT_USER).execute(Tuple.of(name)).map(rows -> {
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    if (row == null || row.getBoolean("disabled")) {
                        throw new ApiException(401, "no enabled unit or user of this name", null, null);
                    }
                    return Principal.user(name, Role.ofPerson(row.getString("role")), row.getString("agency"));
                }));
    }

    /** The user's row when the password is right, throttled: 429 while throttled, else {@link Refused} if wrong. */
    private Future<Row> checkPassword(String username, String password, String address) {
        if (username == null || password == null) {
            return Future.failedFuture(new Refused(null)); // nothing to check, nothing guessed: not counted
        }
        return throttle.check(username, address)
                .compose(v -> verify(username, password))
                .compose(row -> throttle.succeeded(username).map(row),
                        e -> e instanceof Refused
                                ? throttle.failed(username, address).compose(v -> Future.failedFuture(e))
                                : Future.failedFuture(e));
    }

    /** The user's row when the password is right and the user enabled; {@link Refused} after the same bcrypt work. */
    private Future<Row> verify(String username, String password) {
        return pool.preparedQuery(AuthSql.SELECT_USER).execute(Tuple.of(username)).compose(rows -> {
            Row row = rows.size() > 0 ? rows.iterator().next() : null;
            // An unknown user costs the same bcrypt as a known one, so timing does not reveal who exists. A password
            // longer than bcrypt reads was never set, so it is wrong without asking bcrypt (which would refuse it).
            String hash = row != null ? row.getString("password_hash") : DUMMY_HASH;
            boolean readable = !PasswordPolicy.tooLong(password);
            return vertx.executeBlocking(() -> readable && Secrets.checkPassword(password, hash), false).map(ok -> {
                if (row == null || !ok || row.getBoolean("disabled")) {
                    throw new Refused(row == null ? null : row.getString("agency"));
                }
                return row;
            });
        });
    }

    public Future<Void> createUser(String username, String password, Role role, String agency) {
        return vertx.executeBlocking(() -> Secrets.hashPassword(password), false)
                .compose(hash -> pool.preparedQuery(AuthSql.INSERT_USER)
                        .execute(Tuple.of(username, hash, role.wireName(), agency)))
                .mapEmpty();
    }

    /** Resolves a bearer token (login JWT or device key) to its principal; fails with 401 when it is neither. */
    public Future<Principal> authenticate(String token) {
        return session(token).map(Session::principal);
    }

    /**
     * Resolves a bearer token to its session: a login token that still counts ({@link Sessions}), or a device key.
     * Fails with 401 otherwise.
     */
    public Future<Session> session(String token) {
        if (token == null || token.isBlank()) {
            return Future.failedFuture(ApiException.unauthorized());
        }
        if (token.startsWith(Secrets.DEVICE_KEY_PREFIX)) {
            return units.findByKeyHash(Secrets.sha256(token)).map(unit -> {
                if (unit == null) {
                    throw ApiException.unauthorized();
                }
                return new Session(Principal.device(unit.id(), unit.agency()), null, 0);
            });
        }
        return jwt.authenticate(new TokenCredentials(token))
                .map(user -> {
                    JsonObject claims = user.principal();
                    Role role = Role.ofPerson(claims.getString("role"));
                    String agency = claims.getString("agency");
                    String name = claims.getString("sub");
                    String jti = claims.getString("jti");
                    // agency and jti are missing only in tokens from before agencies and sessions: sign in again.
                    if (role == null || agency == null || name == null
                            || !sessions.valid(name, jti, time(user, "iat"))) {
                        throw ApiException.unauthorized();
                    }
                    return new Session(Principal.user(name, role, agency), jti, time(user, "exp"));
                })
                .recover(e -> Future.failedFuture(e instanceof ApiException ? e : ApiException.unauthorized()));
    }

    /** A time claim (epoch seconds) of a verified token: Vert.x keeps iat and exp among the user's attributes. */
    private static long time(User user, String claim) {
        Object value = user.attributes().getValue(claim, user.principal().getValue(claim));
        return value instanceof Number number ? number.longValue() : 0;
    }

    /** Signs a login token out on every node at once; it stays refused until it would have expired anyway. */
    public Future<Void> signOut(Session session) {
        return sessions.signOut(vertx, session.id(), session.principal().name(), session.expiresAt());
    }

    /**
     * Announces a user's new state to every node: whether they are disabled, and that none of their tokens issued
     * until {@code validAfterMs} counts; when {@code revoked}, their open connections close too.
     */
    void userChanged(String username, long validAfterMs, boolean disabled, boolean revoked) {
        sessions.publish(vertx, Sessions.userChanged(username, validAfterMs, disabled, revoked));
    }

    private static final String DUMMY_HASH = Secrets.hashPassword(Secrets.randomToken(16));
}
