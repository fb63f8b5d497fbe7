package org.borderwatch.sim;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The simulated fleet after a restart: every kind of unit carries on from where it was last seen. */
class SimUnitTest {

    private static final String TIME = "2026-11-25T10:00:00.000Z";

    @Test
    void everyKindOfUnitResumesFromItsLastSeenPositionInsteadOfItsStart() {
        for (int i = 0; i < 10; i++) {
            SimUnit before = SimUnit.create(i);
            JsonObject last = null;
            for (int s = 0; s < 400; s++) {
                last = before.step(1, TIME);
            }
            double[] seen = {last.getDouble("lon"), last.getDouble("lat")};

            SimUnit restarted = SimUnit.create(i);
            double[] fresh = position(SimUnit.create(i).step(1, TIME));
            restarted.resume(seen[0], seen[1]);
            double[] next = position(restarted.step(1, TIME));

            // One second on from where it was, not back where a fresh unit starts.
            assertThat(Polyline.distance(seen, next)).as(before.id()).isLessThan(100);
            assertThat(Polyline.distance(seen, fresh)).as(before.id() + " moved off its start")
                    .isGreaterThan(300);
        }
    }

    @Test
    void aUnitSentToAnAlertDrivesThereStaysAWhileAndTakesUpItsPatrolAgain() {
        SimUnit patrol = SimUnit.create(3); // a vehicle
        double[] start = position(patrol.step(1, TIME));
        double[] alert = Polyline.offset(start, 0, 2_000);
        patrol.goTo(alert[0], alert[1]);

        int seconds = 0;
        double[] at = start;
        while (Polyline.distance(at, alert) > 20 && seconds < 200) {
            JsonObject fix = patrol.step(1, TIME);
            double[] next = position(fix);
            assertThat(Polyline.distance(next, alert)).as("closer every second")
                    .isLessThan(Polyline.distance(at, alert));
            at = next;
            seconds++;
        }
        assertThat(seconds).as("2 km at 22-29 m/s").isBetween(60, 100);
        for (int s = 0; s < 80; s++) {
            assertThat(Polyline.distance(position(patrol.step(1, TIME)), alert)).as("holds there").isLessThan(20);
        }
        double[] back = at;
        for (int s = 0; s < 120; s++) {
            back = position(patrol.step(1, TIME));
        }
        assertThat(Polyline.distance(back, alert)).as("left again after its hold").isGreaterThan(500);
        assertThat(Polyline.distance(back, Border.LINE.at(Border.LINE.locate(back))))
                .as("back on its route along the border").isLessThan(50);
    }

    @Test
    void locateFindsThePointOnTheBorderBetweenItsVertices() {
        double[] somewhere = Border.LINE.at(123_456);

        assertThat(Border.LINE.locate(somewhere)).isCloseTo(123_456, within(50.0));
    }

    private static double[] position(JsonObject fix) {
        return new double[] {fix.getDouble("lon"), fix.getDouble("lat")};
    }
}
