package org.borderwatch.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tokens still count, as a node decides it from the revocations it has seen. */
class SessionsTest {

    private final Sessions sessions = new Sessions(null);

    @Test
    void aTokenIssuedUpToTheSecondOfARevocationIsRefusedAndOneFromTheNextSecondCounts() {
        long revokedAt = 1_800_000_000_500L;
        sessions.apply(Sessions.userChanged("ana", revokedAt, false, true));

        assertThat(sessions.valid("ana", "t1", 1_799_999_999L)).isFalse();
        assertThat(sessions.valid("ana", "t2", 1_800_000_000L)).as("same second").isFalse();
        assertThat(sessions.valid("ana", "t3", 1_800_000_001L)).isTrue();
        assertThat(sessions.valid("bob", "t4", 1L)).as("another user").isTrue();
        assertThat(sessions.valid("ana", null, 1_900_000_000L)).as("no jti: from before sessions").isFalse();
    }

    @Test
    void aDisabledUserHasNoValidTokenUntilEnabledAgain() {
        sessions.apply(Sessions.userChanged("ana", 1_000L, true, true));
        assertThat(sessions.valid("ana", "t", 2_000_000_000L)).isFalse();

        sessions.apply(Sessions.userChanged("ana", 1_000L, false, false));
        assertThat(sessions.valid("ana", "t", 2_000_000_000L)).isTrue();
    }

    @Test
    void anOlderRevocationArrivingLateDoesNotUndoANewerOne() {
        sessions.apply(Sessions.userChanged("ana", 5_000_000L, true, true));
        sessions.apply(Sessions.userChanged("ana", 4_000_000L, false, true));

        assertThat(sessions.valid("ana", "t", 2_000_000_000L)).isFalse();
    }

    @Test
    void aSignedOutTokenIsRefusedAndOnlyIt() {
        sessions.apply(Sessions.signedOut("jti-1", 2_000_000_000L));

        assertThat(sessions.valid("ana", "jti-1", 1L)).isFalse();
        assertThat(sessions.valid("ana", "jti-2", 1L)).isTrue();
        assertThat(Sessions.signedOut("jti-1", 1L).getString("close")).isEqualTo(Sessions.sessionKey("jti-1"));
        assertThat(Sessions.deviceRevoked("UAV-07").getString("close")).isEqualTo("device:UAV-07");
    }
}
