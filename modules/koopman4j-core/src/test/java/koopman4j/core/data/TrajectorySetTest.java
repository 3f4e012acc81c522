package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrajectorySetTest {

    /** Trajectory j has length 2 + j and every state equal to j, so each one can be told apart. */
    private static TrajectorySet numbered(int count) {
        List<Trajectory> ts = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            double[] times = new double[2 + j];
            double[][] states = new double[2 + j][];
            for (int k = 0; k < times.length; k++) {
                times[k] = k;
                states[k] = new double[] {j, j, j};
            }
            ts.add(new Trajectory(times, states));
        }
        return new TrajectorySet(List.of("a", "b", "c"), ts);
    }

    private static Set<Double> ids(TrajectorySet data) {
        Set<Double> ids = new HashSet<>();
        data.trajectories().forEach(t -> ids.add(t.states()[0][0]));
        return ids;
    }

    @Test
    void splitPutsRoundedFractionOfWholeTrajectoriesInTestAndTheRestInTrain() {
        TrajectorySet data = numbered(10);
        TrajectorySet.Split split = data.split(0.25, 7);
        assertEquals(3, split.test().size()); // round(2.5) = 3
        assertEquals(7, split.train().size());
        Set<Double> all = ids(split.train());
        all.addAll(ids(split.test()));
        assertEquals(ids(data), all);
        assertTrue(ids(split.train()).stream().noneMatch(ids(split.test())::contains));
        for (Trajectory t : split.test().trajectories()) {
            assertEquals(data.get((int) t.states()[0][0]), t); // whole, unchanged trajectories
        }
    }

    @Test
    void splitIsDeterminedBySeed() {
        TrajectorySet data = numbered(20);
        assertEquals(data.split(0.5, 3), data.split(0.5, 3));
        assertNotEquals(ids(data.split(0.5, 3).test()), ids(data.split(0.5, 4).test()));
    }

    @Test
    void splitKeepsAtLeastOneTrajectoryOnEachSide() {
        TrajectorySet data = numbered(3);
        assertEquals(1, data.split(0.01, 1).test().size());
        assertEquals(2, data.split(0.99, 1).test().size());
    }

    @Test
    void splitRejectsFractionOutsideOpenUnitInterval() {
        TrajectorySet data = numbered(4);
        for (double f : new double[] {0, 1, -0.5, Double.NaN}) {
            String message = assertThrows(InvalidDataException.class, () -> data.split(f, 1)).getMessage();
            assertTrue(message.startsWith("testFraction must be in (0, 1)"), message);
        }
    }

    @Test
    void splitRejectsASingleTrajectory() {
        assertThrows(InvalidDataException.class, () -> numbered(1).split(0.5, 1));
    }

    @Test
    void fromSampleDropsTheFirstSamplesOfEveryTrajectory() {
        TrajectorySet longer = new TrajectorySet(List.of("a", "b", "c"), numbered(4).trajectories().subList(1, 4)); // 3, 4, 5 samples
        TrajectorySet tail = longer.fromSample(1);
        for (int j = 0; j < 3; j++) {
            assertEquals(2 + j, tail.get(j).length());
            assertEquals(1.0, tail.get(j).times()[0]);
            assertEquals(1 + j, tail.get(j).states()[0][0]);
        }
        assertEquals(numbered(2), numbered(2).fromSample(0));
    }

    @Test
    void fromSampleRejectsANegativeStartAndTrajectoriesTooShortToScore() {
        assertEquals("first sample must be ≥ 0, got -1",
                assertThrows(InvalidDataException.class, () -> numbered(2).fromSample(-1)).getMessage());
        assertEquals("trajectory 1 has 2 samples; starting at sample 1 needs at least 3",
                assertThrows(InvalidDataException.class, () -> numbered(3).fromSample(1)).getMessage());
    }

    @Test
    void observeKeepsOneBasedStatesInTheGivenOrder() {
        TrajectorySet data = new TrajectorySet(List.of("a", "b", "c"), List.of(
                new Trajectory(new double[] {0, 1}, new double[][] {{1, 2, 3}, {4, 5, 6}})));
        TrajectorySet observed = data.observe(new int[] {3, 1});
        assertEquals(List.of("c", "a"), observed.names());
        assertArrayEquals(new double[][] {{3, 1}, {6, 4}}, observed.get(0).states());
        assertArrayEquals(data.get(0).times(), observed.get(0).times());
    }

    @Test
    void observeRejectsStateOutOfRange() {
        TrajectorySet data = numbered(2);
        assertEquals("observe: state 0 is out of range 1..3",
                assertThrows(InvalidDataException.class, () -> data.observe(new int[] {0})).getMessage());
        assertEquals("observe: state 4 is out of range 1..3",
                assertThrows(InvalidDataException.class, () -> data.observe(new int[] {1, 4})).getMessage());
    }

    @Test
    void pairsAlignEachSampleWithItsSuccessorWithinTrajectories() {
        TrajectorySet data = numbered(3); // lengths 2, 3, 4: 1 + 2 + 3 pairs
        assertEquals(6, data.pairCount());
        double[][] sources = data.pairSources();
        double[][] targets = data.pairTargets();
        for (int r = 0; r < sources.length; r++) {
            assertArrayEquals(sources[r], targets[r]); // never pairs across two trajectories
        }
    }

    @Test
    void uniformStepIsNaNWhenStepsDiffer() {
        assertEquals(1.0, numbered(3).uniformStep());
        TrajectorySet uneven = new TrajectorySet(List.of("x"), List.of(
                new Trajectory(new double[] {0, 1, 3}, new double[][] {{0}, {0}, {0}})));
        assertTrue(Double.isNaN(uneven.uniformStep()));
    }

    @Test
    void scaledMultipliesEachStateByItsFactorAndUnscaledUndoesIt() {
        TrajectorySet set = new TrajectorySet(List.of("y1", "y2"), List.of(new Trajectory(new double[] {1e-6, 1e6},
                new double[][] {{1, 3e-5}, {5e-4, 2e-9}})));
        TrajectorySet scaled = set.scaled(new double[] {1, 1e4});
        assertArrayEquals(new double[] {1, 0.3}, scaled.get(0).states()[0], 1e-15);
        assertArrayEquals(new double[] {5e-4, 2e-5}, scaled.get(0).states()[1], 1e-18);
        assertArrayEquals(set.get(0).times(), scaled.get(0).times());
        assertEquals(set.names(), scaled.names());
        TrajectorySet back = scaled.unscaled(new double[] {1, 1e4});
        assertArrayEquals(set.get(0).states()[1], back.get(0).states()[1], 1e-24);
    }

    @Test
    void scaledRejectsAZeroFactorOrOneFactorTooFew() {
        TrajectorySet set = new TrajectorySet(List.of("y1", "y2"), List.of(new Trajectory(new double[] {0, 1}, new double[][] {{1, 2}, {3, 4}})));
        assertEquals("scale factor of y2 must be finite and non-zero, got 0.0",
                assertThrows(InvalidDataException.class, () -> set.scaled(new double[] {1, 0})).getMessage());
        assertEquals("scale has 1 factors for 2 states [y1, y2]",
                assertThrows(InvalidDataException.class, () -> set.unscaled(new double[] {1})).getMessage());
    }
}
