package org.borderwatch.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.http.ApiException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Throttles password guessing (API.md §3): after 5 failed password checks for one username, or 20 from one address,
 * within 15 minutes, every further check for it is refused with 429 and a {@code Retry-After} until the oldest of
 * those failures is 15 minutes old, even with the right password. Login, MQTT CONNECT and TAK's auth message all
 * count. The failures live in the database, so the limits hold across the cluster and across restarts; refused
 * attempts are not counted, so a locked-out username or address recovers on its own. Attempts running in parallel
 * each pass the check before any of them fails, so a burst can overshoot by the number of such attempts.
 */
public final class LoginThrottle {

    static final int MAX_PER_USER = 5;
    static final int MAX_PER_ADDRESS = 20;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final long PURGE_INTERVAL_MS = 5 * 60_000;
    /** Usernames longer than any valid one are cut to this for the record: still one subject, still bounded. */
    private static final int MAX_SUBJECT = 100;

    private final Pool pool;

    public LoginThrottle(Vertx vertx, Pool pool) {
        this.pool = pool;
        vertx.setPeriodic(PURGE_INTERVAL_MS, id -> pool.preparedQuery(AuthSql.PURGE_FAILURES)
                .execute(Tuple.of((int) WINDOW.toSeconds())));
    }

    /** Succeeds when another password check for {@code username} from {@code address} may be made; 429 otherwise. */
    public Future<Void> check(String username, String address) {
        return pool.preparedQuery(AuthSql.SELECT_FAILURES)
                .execute(Tuple.of(user(username), address(address), (int) WINDOW.toSeconds()))
                .map(rows -> {
                    List<Instant> byUser = new ArrayList<>();
                    List<Instant> byAddress = new ArrayList<>();
                    for (Row row : rows) {
                        Instant at = row.getOffsetDateTime("at").toInstant();
                        (row.getString("subject").startsWith("user:") ? byUser : byAddress).add(at);
                    }
                    Instant now = Instant.now();
                    long wait = Math.max(wait(byUser, MAX_PER_USER, now), wait(byAddress, MAX_PER_ADDRESS, now));
                    if (wait > 0) {
                        throw ApiException.tooManyRequests("too many failed sign-ins; retry in " + wait + " s", wait);
                    }
                    return null;
                });
    }

    /** Records a failed password check; the check's answer waits for it, so the next attempt sees it. */
    public Future<Void> failed(String username, String address) {
        return pool.preparedQuery(AuthSql.INSERT_FAILURES).execute(Tuple.of(user(username), address(address)))
                .mapEmpty();
    }

    /** Forgets a username's failures after its right password: the address keeps its count. */
    public Future<Void> succeeded(String username) {
        return pool.preparedQuery(AuthSql.DELETE_USER_FAILURES).execute(Tuple.of(user(username))).mapEmpty();
    }

    /**
     * Seconds until fewer than {@code max} of {@code failures} (newest first) are in the window; 0 when already so.
     */
    private static long wait(List<Instant> failures, int max, Instant now) {
        if (failures.size() < max) {
            return 0;
        }
        Instant freed = failures.get(max - 1).plus(WINDOW);
        return Math.max(1, Duration.between(now, freed).toSeconds() + 1);
    }

    private static String user(String username) {
        String name = username == null ? "" : username;
        return "user:" + (name.length() <= MAX_SUBJECT ? name : name.substring(0, MAX_SUBJECT));
    }

    private static String address(String address) {
        return "addr:" + (address == null ? "unknown" : address);
    }
}
