package org.borderwatch.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.bus.Addresses;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which login tokens still count, as every node holds it (API.md §3). A token names its user and carries its id
 * ({@code jti}) and issue second ({@code iat}); it stops counting when its user is disabled, when it was issued no
 * later than the second of the user's last revocation (a role or password change, a disabling), or when it was
 * signed out. Loaded at start, so a node that joins late is right; kept current by {@link Addresses#REVOKED}, which
 * every node receives at once. The database stays the record: a node that restarts reads it again.
 *
 * <p>A revocation event is JSON: {@code {"username","validAfter","disabled","close"}} for a user (validAfter in
 * epoch milliseconds), {@code {"jti","expiresAt","close"}} for a signed-out token (expiresAt in epoch seconds), and
 * {@code {"close"}} alone for a device whose key was rotated. {@code close} names the connections every door must
 * close: a principal name ({@link Principal#name()}) or a {@link #sessionKey session key}.
 */
public final class Sessions {

    private static final long PURGE_INTERVAL_MS = 60_000;

    /** The user's last revocation (epoch ms, 0 = none) and whether they are disabled; the later revocation wins. */
    private record UserState(long validAfterMs, boolean disabled) {
    }

    private final Pool pool;
    private final Map<String, UserState> users = new ConcurrentHashMap<>();
    /** Signed-out token ids and the epoch second each would have expired at. */
    private final Map<String, Long> signedOut = new ConcurrentHashMap<>();

    public Sessions(Pool pool) {
        this.pool = pool;
    }

    /** Listens for revocations first, then reads the database, so nothing that happens meanwhile is missed. */
    public Future<Sessions> load(Vertx vertx) {
        vertx.eventBus().<JsonObject>consumer(Addresses.REVOKED, msg -> apply(msg.body()));
        vertx.setPeriodic(PURGE_INTERVAL_MS, id -> purge());
        return pool.query(AuthSql.SELECT_REVOCATIONS).execute()
                .compose(rows -> {
                    for (Row row : rows) {
                        OffsetDateTime after = row.getOffsetDateTime("tokens_valid_after");
                        merge(row.getString("username"), new UserState(
                                after == null ? 0 : after.toInstant().toEpochMilli(), row.getBoolean("disabled")));
                    }
                    return pool.query(AuthSql.SELECT_SIGNED_OUT).execute();
                })
                .map(rows -> {
                    rows.forEach(row -> signedOut.put(row.getString("jti"),
                            row.getOffsetDateTime("expires_at").toEpochSecond()));
                    return this;
                });
    }

    /**
     * Does a token of {@code username} with id {@code jti}, issued in epoch second {@code issuedAt}, still count? A
     * token issued in the second of a revocation is refused with it; a login waits for the next second instead
     * ({@link #firstValidSecond}).
     */
    public boolean valid(String username, String jti, long issuedAt) {
        if (jti == null || signedOut.containsKey(jti)) {
            return false;
        }
        UserState state = users.get(username);
        return state == null || (!state.disabled() && issuedAt >= firstValidSecond(state.validAfterMs()));
    }

    /** The first epoch second whose tokens survive a revocation at {@code validAfterMs} (0: any). */
    static long firstValidSecond(long validAfterMs) {
        return validAfterMs <= 0 ? 0 : validAfterMs / 1000 + 1;
    }

    /** Applies a revocation here and tells every node, this one's doors included. */
    void publish(Vertx vertx, JsonObject event) {
        apply(event);
        vertx.eventBus().publish(Addresses.REVOKED, event);
    }

    void apply(JsonObject event) {
        String username = event.getString("username");
        if (username != null) {
            merge(username, new UserState(event.getLong("validAfter", 0L), event.getBoolean("disabled", false)));
        }
        String jti = event.getString("jti");
        if (jti != null) {
            signedOut.put(jti, event.getLong("expiresAt", Long.MAX_VALUE));
        }
    }

    private void merge(String username, UserState state) {
        users.merge(username, state, (old, fresh) -> fresh.validAfterMs() >= old.validAfterMs() ? fresh : old);
    }

    /** Forgets signed-out tokens that have expired anyway, here and (any node may) in the database. */
    private void purge() {
        long now = System.currentTimeMillis() / 1000;
        signedOut.values().removeIf(expiresAt -> expiresAt < now);
        pool.query(AuthSql.PURGE_SIGNED_OUT).execute();
    }

    /** The key under which the connections opened with login token {@code jti} are closed when it signs out. */
    public static String sessionKey(String jti) {
        return "session:" + jti;
    }

    /** A user's new state; {@code revoked}: their tokens until {@code validAfterMs} end and their connections close. */
    static JsonObject userChanged(String username, long validAfterMs, boolean disabled, boolean revoked) {
        JsonObject event = new JsonObject().put("username", username).put("validAfter", validAfterMs)
                .put("disabled", disabled);
        return revoked ? event.put("close", username) : event;
    }

    static JsonObject signedOut(String jti, long expiresAt) {
        return new JsonObject().put("jti", jti).put("expiresAt", expiresAt).put("close", sessionKey(jti));
    }

    /** The event that closes every open connection of a unit whose key was rotated. */
    public static JsonObject deviceRevoked(String unitId) {
        return new JsonObject().put("close", Principal.device(unitId, null).name());
    }

    /** Records a signed-out token in the database, then here and on every node. */
    Future<Void> signOut(Vertx vertx, String jti, String username, long expiresAt) {
        return pool.preparedQuery(AuthSql.INSERT_SIGNED_OUT)
                .execute(Tuple.of(jti, username,
                        OffsetDateTime.ofInstant(Instant.ofEpochSecond(expiresAt), ZoneOffset.UTC)))
                .map(rows -> {
                    publish(vertx, signedOut(jti, expiresAt));
                    return null;
                });
    }
}
