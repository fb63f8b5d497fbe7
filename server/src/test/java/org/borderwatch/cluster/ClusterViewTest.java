package org.borderwatch.cluster;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rendezvous ownership: balanced, stable, and only the leaving member's units move. */
class ClusterViewTest {

    @Test
    void unitsSpreadEvenlyAndOnlyTheDeadMembersUnitsMove() {
        List<String> three = List.of("node-a", "node-b", "node-c");
        List<String> two = List.of("node-a", "node-b");
        Map<String, Integer> share = new HashMap<>();
        int moved = 0;
        for (int u = 0; u < 30_000; u++) {
            String unit = "UNIT-" + u;
            String before = ClusterView.ownerAmong(unit, three);
            String after = ClusterView.ownerAmong(unit, two);
            share.merge(before, 1, Integer::sum);
            if (!before.equals("node-c")) {
                assertThat(after).as(unit).isEqualTo(before);
            } else {
                moved++;
            }
        }
        assertThat(share.values()).allSatisfy(n -> assertThat(n).isBetween(9_400, 10_600));
        assertThat(moved).isEqualTo(share.get("node-c"));
    }

    @Test
    void aSingleNodeOwnsEverything() {
        ClusterView single = ClusterView.single();

        assertThat(single.owns("UAV-07")).isTrue();
        assertThat(single.clustered()).isFalse();
        assertThat(single.joined()).isTrue();
        assertThat(single.size()).isEqualTo(1);
    }
}
