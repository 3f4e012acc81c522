package koopman4j.edmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.metrics.OnDelayVectors;
import org.junit.jupiter.api.Test;

/**
 * A linear system x₊ = A x of two states with only the first measured: by Cayley–Hamilton
 * y_{k+1} = tr(A)·y_k − det(A)·y_{k−1}, so a degree-1 E-DMD on delay vectors [y_k, y_{k−1}] is exact,
 * while no function of y_k alone is.
 */
class EdmdOnDelaysTest {

    private static final double[][] A = {{0.9, 0.3}, {-0.4, 0.8}};

    private static TrajectorySet firstStateOnly(int trajectories, int steps, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        List<Trajectory> ts = new ArrayList<>();
        for (int j = 0; j < trajectories; j++) {
            double[] x = {rng.nextDouble() * 2 - 1, rng.nextDouble() * 2 - 1};
            double[] times = new double[steps + 1];
            double[][] y = new double[steps + 1][];
            for (int k = 0; k <= steps; k++) {
                times[k] = k;
                y[k] = new double[] {x[0]};
                x = new double[] {A[0][0] * x[0] + A[0][1] * x[1], A[1][0] * x[0] + A[1][1] * x[1]};
            }
            ts.add(new Trajectory(times, y));
        }
        return new TrajectorySet(List.of("y"), ts);
    }

    @Test
    void degreeOneOnDelayVectorsIsExactWhereTheMeasuredStateAloneIsNot() {
        TrajectorySet train = firstStateOnly(20, 15, 1);
        TrajectorySet test = firstStateOnly(5, 15, 2);
        Edmd.Options linear = Edmd.Options.of("legendre", 1, 0, 0, 0, 1);
        DelayEmbedding oneDelay = new DelayEmbedding(1, 1);

        var onDelays = new OnDelayVectors(Edmd.fit(oneDelay.embed(train), linear), oneDelay, 1);
        assertEquals(0, ErrorMetrics.oneStepErrorPct(onDelays, test), 1e-8);
        assertEquals(0, ErrorMetrics.rolloutErrorPct(onDelays, test, 14), 1e-7);
        assertEquals(1, onDelays.step(new double[][] {{0.5, 0.25}})[0].length);

        double alone = ErrorMetrics.oneStepErrorPct(Edmd.fit(train, linear), test);
        assertTrue(alone > 5, "without delays the one-step error is " + alone + "%");
    }
}
