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
