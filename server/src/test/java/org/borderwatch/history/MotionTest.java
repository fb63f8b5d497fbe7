package org.borderwatch.history;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Trips and stops from a unit's fixes ({@link Motion}): stop speed 1 m/s, stops from 300 s, silences from 300 s. */
class MotionTest {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    /** About 11 m of latitude. */
    private static final double STEP = 0.0001;

    private final Motion motion = new Motion(1.0, 300, 300);
    private double lat = 31.0;

    private void drive(int fromSecond, int fixes, int every) {
        for (int i = 0; i < fixes; i++) {
            lat += STEP;
            motion.accept(new Motion.Fix(T0.plusSeconds(fromSecond + (long) i * every), lat, -106.0, null));
        }
    }

    private void stand(int fromSecond, int fixes, int every) {
        for (int i = 0; i < fixes; i++) {
            motion.accept(new Motion.Fix(T0.plusSeconds(fromSecond + (long) i * every), lat, -106.0, 0.2));
        }
    }

    @Test
    void aLongStandstillSplitsTwoTrips() {
        drive(0, 10, 5);          // 0..45 s, about 2.2 m/s from the distances
        stand(50, 40, 10);        // 50..440 s
        drive(450, 10, 5);        // 450..495 s
        motion.finish();

        List<Motion.Stop> stops = motion.stops();
        assertThat(stops).hasSize(1);
        assertThat(stops.get(0).start()).isEqualTo(T0.plusSeconds(50));
        assertThat(stops.get(0).end()).isEqualTo(T0.plusSeconds(440));
        assertThat(stops.get(0).fixes()).isEqualTo(40);

        List<Motion.Trip> trips = motion.trips();
        assertThat(trips).hasSize(2);
        assertThat(trips.get(0).start()).isEqualTo(T0);
        assertThat(trips.get(0).end()).isEqualTo(T0.plusSeconds(50));
        assertThat(trips.get(0).distanceMeters()).isCloseTo(9 * 11.1, within(2.0));
        assertThat(trips.get(1).start()).isEqualTo(T0.plusSeconds(440));
        assertThat(trips.get(1).end()).isEqualTo(T0.plusSeconds(495));
        assertThat(trips.get(1).maxSpeed()).isCloseTo(2.2, within(0.1));
    }

    @Test
    void aShortHaltStaysPartOfItsTrip() {
        drive(0, 10, 5);
        stand(50, 10, 10);        // 90 s at a checkpoint
        drive(150, 10, 5);
        motion.finish();

        assertThat(motion.stops()).isEmpty();
        assertThat(motion.trips()).hasSize(1);
        assertThat(motion.trips().get(0).fixes()).isEqualTo(30);
    }

    @Test
    void aTrackerSleepingWhileParkedIsAStop() {
        drive(0, 10, 5);
        // Silent for an hour where it stood, then off again.
        motion.accept(new Motion.Fix(T0.plusSeconds(3650), lat, -106.0, null));
        drive(3655, 10, 5);
        motion.finish();

        assertThat(motion.stops()).hasSize(1);
        assertThat(motion.stops().get(0).start()).isEqualTo(T0.plusSeconds(45));
        assertThat(motion.stops().get(0).end()).isEqualTo(T0.plusSeconds(3650));
        assertThat(motion.trips()).hasSize(2);
    }

    @Test
    void aSilenceDuringWhichTheUnitMovedEndsTheTripWithoutAStop() {
        drive(0, 10, 5);
        lat += 0.1;               // 11 km away after ten silent minutes
        drive(645, 10, 5);
        motion.finish();

        assertThat(motion.stops()).isEmpty();
        assertThat(motion.trips()).hasSize(2);
        assertThat(motion.trips().get(0).end()).isEqualTo(T0.plusSeconds(45));
        assertThat(motion.trips().get(1).start()).isEqualTo(T0.plusSeconds(645));
    }

    @Test
    void aUnitThatNeverMovedMadeNoTrip() {
        stand(0, 100, 10);
        motion.finish();

        assertThat(motion.trips()).isEmpty();
        assertThat(motion.stops()).hasSize(1);
        assertThat(motion.stops().get(0).end()).isEqualTo(T0.plusSeconds(990));
    }
}
