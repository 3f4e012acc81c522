package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrajectoryWindowsTest {

    /** A trajectory of {@code n} samples whose state is (t, id) at t = 0, 1, …. */
    private static Trajectory ramp(int n, double id) {
        double[] t = new double[n];
        double[][] x = new double[n][];
        for (int k = 0; k < n; k++) {
            t[k] = k;
            x[k] = new double[] {k, id};
        }
        return new Trajectory(t, x);
    }

    private static final TrajectorySet SET = new TrajectorySet(List.of("t", "id"), List.of(ramp(10, 1), ramp(6, 2)));

    @Test
    void cutsEveryStrideSamplesWithinEachTrajectory() {
        // 3 steps = 4 samples, stride 2: starts 0, 2, 4, 6 in the first (10 samples), 0, 2 in the second (6 samples)
        TrajectoryWindows w = TrajectoryWindows.of(SET, 3, 2, "training");
        assertEquals(6, w.size());
        assertEquals(3, w.steps());
        assertArrayEquals(new double[] {6, 1}, w.state(3, 0));
        assertArrayEquals(new double[] {9, 1}, w.state(3, 3));
        assertArrayEquals(new double[] {2, 2}, w.state(5, 0));
        assertSame(SET.get(1).states()[5], w.state(5, 3)); // a view, not a copy
        TrajectorySet asSet = w.asSet();
        assertEquals(6, asSet.size());
        assertArrayEquals(new double[] {4, 5, 6, 7}, asSet.get(2).times());
        assertEquals(SET.names(), asSet.names());
    }

    @Test
    void strideOneGivesEveryStart() {
        assertEquals((10 - 3) + (6 - 3), TrajectoryWindows.of(SET, 3, 1, "training").size());
        assertEquals(1 + 1, TrajectoryWindows.of(SET, 5, 5, "training").size()); // one window of 6 samples in each
    }

    @Test
    void rejectsAWindowLongerThanATrajectory() {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> TrajectoryWindows.of(SET, 6, 1, "validation"));
        assertEquals("data.window.steps: a window of 6 steps needs 7 samples; validation trajectory 2 has 6", e.getMessage());
    }

    @Test
    void rejectsNonPositiveStepsOrStride() {
        assertEquals("data.window: steps and stride must be at least 1, got 0 and 1",
                assertThrows(InvalidDataException.class, () -> TrajectoryWindows.of(SET, 0, 1, "training")).getMessage());
        assertEquals("data.window: steps and stride must be at least 1, got 2 and 0",
                assertThrows(InvalidDataException.class, () -> TrajectoryWindows.of(SET, 2, 0, "training")).getMessage());
    }
}
