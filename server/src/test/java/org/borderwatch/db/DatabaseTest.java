package org.borderwatch.db;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures mean "the database is away, retry" (503 + Retry-After, API.md §8) rather than a bug (500). */
class DatabaseTest {

    @Test
    void aDatabaseStoppingRestartingOrRefusingIsUnreachable() {
        assertThat(Database.unreachable(new ConnectException("Connection refused"))).isTrue();
        assertThat(Database.unreachable(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(Database.unreachable(new RuntimeException("wrapped", new ConnectException("refused")))).isTrue();
        // A statement on a connection the outage had just closed (seen as a 500 in DatabaseDownIT before).
        assertThat(Database.unreachable(VertxException.noStackTrace(
                "Connection is not active now, current status: CLOSED"))).isTrue();
        // What PostgreSQL says while it stops (pg_ctl stop), crashes, starts up, or is out of connections.
        for (String state : new String[] {"57P01", "57P02", "57P03", "53300", "08006", "08001"}) {
            assertThat(Database.unreachable(pg(state))).as(state).isTrue();
        }
    }

    @Test
    void aStatementTheDatabaseRefusesIsNotAnOutage() {
        assertThat(Database.unreachable(pg("23505"))).isFalse(); // duplicate key
        assertThat(Database.unreachable(pg("22P02"))).isFalse(); // bad input
        assertThat(Database.unreachable(pg("57014"))).isFalse(); // statement cancelled: not the database going away
        assertThat(Database.unreachable(new IllegalStateException("bug"))).isFalse();
    }

    private static PgException pg(String state) {
        return new PgException("message", "FATAL", state, null);
    }
}
