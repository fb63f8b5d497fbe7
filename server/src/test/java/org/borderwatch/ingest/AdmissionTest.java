package org.borderwatch.ingest;

import org.borderwatch.http.ApiException;
import org.borderwatch.ops.Metrics;
import org.borderwatch.track.WriteLoad;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionTest {

    private static final long MIB = 1024 * 1024;

    private final WriteLoad writes = new WriteLoad();
    private final Metrics metrics = new Metrics();

    private Admission admission(int nodeRequests, long nodeBytes, int deviceRequests, long deviceBytes) {
        return new Admission(new Admission.Limits(true, nodeRequests, nodeBytes, deviceRequests, deviceBytes, 500,
                5_000, 100_000), writes, metrics);
    }

    private static ApiException refusal(Runnable admit) {
        try {
            admit.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("admitted");
    }

    @Test
    void theNodeRefusesWith503AtItsRequestBoundUntilOneIsAnswered() {
        Admission admission = admission(2, 16 * MIB, 8, 4 * MIB);
        Admission.Ticket first = admission.admit(null, 100);
        admission.admit("bwk_a", 100);

        ApiException refused = refusal(() -> admission.admit("bwk_b", 100));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.toJson().getString("reason")).isEqualTo("node-requests");

        first.release();
        first.release(); // twice changes nothing
        assertThat(admission.admit("bwk_b", 100)).isNotNull();
        assertThat(refusal(() -> admission.admit(null, 0)).status()).isEqualTo(503);
        assertThat(metrics.render()).contains("bw_admission_refused_node_total 2", "bw_admission_inflight_requests 2");
    }

    @Test
    void aDeviceAtItsBoundGets429AndOthersGoOn() {
        Admission admission = admission(100, 16 * MIB, 2, 4 * MIB);
        admission.admit("bwk_a", 10);
        Admission.Ticket second = admission.admit("bwk_a", 10);

        ApiException refused = refusal(() -> admission.admit("bwk_a", 10));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.toJson().getString("reason")).isEqualTo("device-requests");
        assertThat(admission.admit("bwk_b", 10)).as("another device").isNotNull();
        assertThat(admission.admit(null, 10)).as("a user's token counts for the node only").isNotNull();

        second.release();
        assertThat(admission.admit("bwk_a", 10)).isNotNull();
        assertThat(metrics.render()).contains("bw_admission_refused_device_total 1");
    }

    @Test
    void byteBoundsLetALargerBodyInWheneverThereIsRoom() {
        Admission admission = admission(100, 10 * MIB, 8, 4 * MIB);
        Admission.Ticket large = admission.admit(null, 15 * MIB);

        ApiException refused = refusal(() -> admission.admit(null, 1));
        assertThat(refused.toJson().getString("reason")).isEqualTo("node-bytes");
        large.release();
        assertThat(admission.admit(null, 1)).isNotNull();

        Admission.Ticket device = admission.admit("bwk_a", 5 * MIB);
        assertThat(refusal(() -> admission.admit("bwk_a", 1)).toJson().getString("reason"))
                .isEqualTo("device-bytes");
        device.release();
    }

    @Test
    void bytesReadBeyondTheDeclaredLengthCount() {
        Admission admission = admission(100, 4 * MIB, 8, 4 * MIB);
        Admission.Ticket chunked = admission.admit(null, 0);
        chunked.grow(1 * MIB);
        assertThat(admission.admit(null, 1)).as("room left").isNotNull();
        chunked.grow(5 * MIB);
        chunked.grow(2 * MIB); // a total: it only grows

        assertThat(refusal(() -> admission.admit(null, 1)).toJson().getString("reason")).isEqualTo("node-bytes");
        chunked.release();
        assertThat(metrics.render()).contains("bw_admission_inflight_bytes 1");
    }

    @Test
    void theCommitQueueMayHoldWhatTheWriterCommitsInTheWaitButAtLeastOneFullCommit() {
        Admission admission = admission(100, 16 * MIB, 8, 4 * MIB);
        assertThat(admission.queueBound()).as("no pace known yet: one full commit").isEqualTo(5_000);

        writes.committed(5_000, 100_000_000); // 50,000 positions/s
        assertThat(admission.queueBound()).as("half a second of commits").isEqualTo(25_000);
        writes.add(25_000);
        ApiException refused = refusal(() -> admission.admit(null, 100));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.toJson().getString("reason")).isEqualTo("commit-queue");

        writes.add(-5_000);
        assertThat(admission.admit(null, 100)).isNotNull();
        writes.committed(200_000, 100_000_000);
        assertThat(admission.queueBound()).as("never beyond BW_QUEUE_MAX").isEqualTo(100_000);
    }

    @Test
    void offLetsEverythingInAndStillCounts() {
        Admission admission = new Admission(new Admission.Limits(false, 1, 1, 1, 1, 500, 1, 1), writes, metrics);
        writes.add(10);

        for (int i = 0; i < 5; i++) {
            assertThat(admission.admit("bwk_a", 100)).isNotNull();
        }
        assertThat(metrics.render()).contains("bw_admission_inflight_requests 5", "bw_admission_inflight_bytes 500");
    }

    @Test
    void aRefusalsMessageNamesTheBoundButNoValueOfTheClient() {
        Admission admission = admission(100, 16 * MIB, 1, 4 * MIB);
        String key = "bwk_" + "x".repeat(5_000);
        admission.admit(key, 1);

        assertThatThrownBy(() -> admission.admit(key, 1)).isInstanceOf(ApiException.class)
                .hasMessage("this device has 1 requests in flight; retry after 1 s");
    }
}
