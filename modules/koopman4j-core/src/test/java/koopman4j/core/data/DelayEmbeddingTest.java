package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DelayEmbeddingTest {

    /** Two states, six samples: a_k = k, b_k = 10k, at t_k = 0.5k. */
    private static TrajectorySet ramp() {
        double[] times = new double[6];
        double[][] states = new double[6][];
        for (int k = 0; k < 6; k++) {
            times[k] = 0.5 * k;
            states[k] = new double[] {k, 10 * k};
        }
        return new TrajectorySet(List.of("a", "b"), List.of(new Trajectory(times, states)));
    }

    @Test
    void delayVectorsHoldTheCurrentSampleThenItsPastEveryLagSamples() {
        TrajectorySet embedded = new DelayEmbedding(2, 2).embed(ramp());
        assertEquals(List.of("a", "b", "a(t-2)", "b(t-2)", "a(t-4)", "b(t-4)"), embedded.names());
        Trajectory t = embedded.get(0);
        assertArrayEquals(new double[] {2.0, 2.5}, t.times());
        assertArrayEquals(new double[] {4, 40, 2, 20, 0, 0}, t.states()[0]);
        assertArrayEquals(new double[] {5, 50, 3, 30, 1, 10}, t.states()[1]);
    }

    @Test
    void theRegisterShiftsForecastValuesInAndFillsSkippedSamplesFromTheFirstForecastThatNeedsThem() {
        // one state, 2 delays of lag 2: the initial vector holds y0, y-2, y-4 and skips y-1, y-3
        DelayEmbedding.Register register = new DelayEmbedding(2, 2).register(new double[][] {{10, 8, 6}});
        // step 1 needs y-1 and y-3: taken from the forecast's lagged entries
        assertArrayEquals(new double[] {11, 9.5, 7.5}, register.next(new double[][] {{11, 9.5, 7.5}})[0]);
        // step 2 needs y0, y-2: known, whatever the forecast says of them
        assertArrayEquals(new double[] {12, 10, 8}, register.next(new double[][] {{12, 99, 99}})[0]);
        // step 3 needs y1 (forecast current at step 1) and y-1 (filled at step 1)
        assertArrayEquals(new double[] {13, 11, 9.5}, register.next(new double[][] {{13, 99, 99}})[0]);
    }

    @Test
    void withLagOneTheRegisterIsAShiftRegisterOfForecastCurrentValues() {
        DelayEmbedding.Register register = new DelayEmbedding(1, 1).register(new double[][] {{1, 10, 0, 0}, {2, 20, 1, 10}});
        double[][] next = register.next(new double[][] {{3, 30, 99, 99}, {4, 40, 99, 99}});
        assertArrayEquals(new double[] {3, 30, 1, 10}, next[0]);
        assertArrayEquals(new double[] {4, 40, 2, 20}, next[1]);
        assertArrayEquals(new double[] {5, 50, 3, 30}, register.next(new double[][] {{5, 50, 99, 99}, {6, 60, 99, 99}})[0]);
    }

    @Test
    void withoutDelaysTheRegisterPassesForecastsThrough() {
        DelayEmbedding.Register register = DelayEmbedding.NONE.register(new double[][] {{1, 2}});
        assertArrayEquals(new double[] {3, 4}, register.next(new double[][] {{3, 4}})[0]);
    }

    @Test
    void aRegisterRefusesRowsThatAreNotWholeDelayVectors() {
        var e = assertThrows(InvalidDataException.class, () -> new DelayEmbedding(2, 1).register(new double[][] {{1, 2, 3, 4}}));
        assertEquals("a delay vector of 3 blocks cannot have 4 entries", e.getMessage());
    }

    @Test
    void noDelaysIsTheIdentity() {
        TrajectorySet data = ramp();
        assertSame(data, DelayEmbedding.NONE.embed(data));
        assertEquals(0, DelayEmbedding.NONE.history());
        assertEquals(2, DelayEmbedding.NONE.dimension(2));
    }

    @Test
    void aTrajectoryTooShortForItsHistoryIsRefusedByIndex() {
        var e = assertThrows(InvalidDataException.class, () -> new DelayEmbedding(3, 2).embed(ramp()));
        assertEquals("trajectory 0 has 6 samples; a delay embedding of 3 delays of 2 sample(s) needs at least 8", e.getMessage());
    }

    @Test
    void negativeDelaysAndLagsBelowOneAreRefused() {
        assertEquals("delays must be ≥ 0, got -1",
                assertThrows(InvalidDataException.class, () -> new DelayEmbedding(-1, 1)).getMessage());
        assertEquals("delay lag must be at least 1 sample, got 0",
                assertThrows(InvalidDataException.class, () -> new DelayEmbedding(1, 0)).getMessage());
    }
}
