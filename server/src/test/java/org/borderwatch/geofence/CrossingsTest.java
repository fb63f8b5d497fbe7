package org.borderwatch.geofence;

import org.borderwatch.track.Position;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule logic alone: membership changes in, crossings out. */
class CrossingsTest {

    private static final Geofence ZONE = new Geofence("zone", "Zone", "critical", true, true, null, null);
    private static final Geofence EXIT_ONLY = new Geofence("gate", "Gate", "info", false, true, null, null);
    private static final Geofence BOATS = new Geofence("river", "River", "info", true, true, null, Set.of("boat"));
    private static final Map<String, Geofence> FENCES = Map.of("zone", ZONE, "gate", EXIT_ONLY, "river", BOATS);

    private static Position at(int second) {
        return new Position("PV-01", Instant.parse("2026-11-25T10:00:00Z").plusSeconds(second), 31, -106, null, null,
                null, null, null, null);
    }

    private static List<String> types(List<Crossing> crossings) {
        return crossings.stream().map(c -> c.type() + ":" + c.fence().id()).toList();
    }

    @Test
    void entersOnceWhileInsideThenExitsOnce() {
        UnitFences state = UnitFences.empty();

        assertThat(types(Crossings.apply(state, "vehicle", at(0), List.of(), List.of(), FENCES))).isEmpty();
        assertThat(types(Crossings.apply(state, "vehicle", at(1), List.of("zone"), List.of(), FENCES)))
                .containsExactly("enter:zone");
        assertThat(types(Crossings.apply(state, "vehicle", at(2), List.of("zone"), List.of(), FENCES))).isEmpty();
        assertThat(types(Crossings.apply(state, "vehicle", at(3), List.of(), List.of(), FENCES)))
                .containsExactly("exit:zone");
        assertThat(state.lastTime()).isEqualTo(at(3).time());
        assertThat(state.inside()).isEmpty();
    }

    @Test
    void rulesChooseWhichCrossingsBecomeAlertsButMembershipIsAlwaysKept() {
        UnitFences state = UnitFences.empty();

        assertThat(types(Crossings.apply(state, "vehicle", at(1), List.of("gate"), List.of(), FENCES))).isEmpty();
        assertThat(state.inside()).containsKey("gate");
        assertThat(types(Crossings.apply(state, "vehicle", at(2), List.of(), List.of(), FENCES)))
                .containsExactly("exit:gate");
    }

    @Test
    void fencesForOtherUnitTypesAreIgnored() {
        UnitFences vehicle = UnitFences.empty();
        UnitFences boat = UnitFences.empty();

        assertThat(types(Crossings.apply(vehicle, "vehicle", at(1), List.of("river"), List.of(), FENCES))).isEmpty();
        assertThat(types(Crossings.apply(boat, "boat", at(1), List.of("river"), List.of(), FENCES)))
                .containsExactly("enter:river");
    }

    @Test
    void aDeletedFenceIsForgottenWithoutAnExit() {
        UnitFences state = new UnitFences(at(0).time(), Map.of("gone", new Membership(at(0).time(), false),
                "zone", new Membership(at(0).time(), false)));

        assertThat(types(Crossings.apply(state, "vehicle", at(1), List.of("zone"), List.of(), FENCES))).isEmpty();
        assertThat(state.inside()).containsOnlyKeys("zone");
    }

    @Test
    void onlyNewerFixesCount() {
        UnitFences state = new UnitFences(at(10).time(), Map.of());

        assertThat(state.isNewer(at(9).time())).isFalse();
        assertThat(state.isNewer(at(10).time())).isFalse();
        assertThat(state.isNewer(at(11).time())).isTrue();
    }
}
