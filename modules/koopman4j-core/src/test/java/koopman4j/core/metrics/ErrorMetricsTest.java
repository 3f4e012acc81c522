package koopman4j.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import org.junit.jupiter.api.Test;

class ErrorMetricsTest {

    /** The exact map x ↦ a·x + offset, stepped and rolled out. */
    private record AffineMap(double a, double offset) implements Forecaster {
        @Override
        public double[][] step(double[][] states) {
            double[][] next = new double[states.length][];
            for (int r = 0; r < states.length; r++) {
                next[r] = states[r].clone();
                for (int i = 0; i < next[r].length; i++) {
                    next[r][i] = a * next[r][i] + offset;
                }
            }
            return next;
        }

        @Override
        public double[][][] rollout(double[][] initial, int horizon) {
            double[][][] out = new double[initial.length][horizon][];
            for (int j = 0; j < initial.length; j++) {
                double[][] x = {initial[j]};
                for (int k = 0; k < horizon; k++) {
                    x = step(x);
                    out[j][k] = x[0];
                }
            }
            return out;
        }
    }

    /** For data that stays put: the truth (x_k = x_0) plus c in every state, one step or many ahead. */
    private record OffByConstant(double c) implements Forecaster {
        @Override
        public double[][] step(double[][] states) {
            return new AffineMap(1, c).step(states);
        }

        @Override
        public double[][][] rollout(double[][] initial, int horizon) {
            double[][][] out = new double[initial.length][horizon][];
            for (int j = 0; j < initial.length; j++) {
                for (int k = 0; k < horizon; k++) {
                    out[j][k] = step(new double[][] {initial[j]})[0];
                }
            }
            return out;
        }
    }

    /** Trajectories x_{k+1} = a·x_k of the given lengths, from different initial states. */
    private static TrajectorySet decaying(double a, int... lengths) {
        List<Trajectory> ts = new ArrayList<>();
        for (int j = 0; j < lengths.length; j++) {
            double[] times = new double[lengths[j]];
            double[][] states = new double[lengths[j]][];
            states[0] = new double[] {1 + j, -2 + 0.5 * j};
            for (int k = 0; k < lengths[j]; k++) {
                times[k] = 0.1 * k;
                if (k > 0) {
                    states[k] = new AffineMap(a, 0).step(new double[][] {states[k - 1]})[0];
                }
            }
            ts.add(new Trajectory(times, states));
        }
        return new TrajectorySet(List.of("x", "y"), ts);
    }

    /** Trajectories that stay at (3, 4), so ‖x‖ = 5 at every sample. */
    private static TrajectorySet constant(int... lengths) {
        List<Trajectory> ts = new ArrayList<>();
        for (int length : lengths) {
            double[] times = new double[length];
            double[][] states = new double[length][];
            for (int k = 0; k < length; k++) {
                times[k] = k;
                states[k] = new double[] {3, 4};
            }
            ts.add(new Trajectory(times, states));
        }
        return new TrajectorySet(List.of("x", "y"), ts);
    }

    @Test
    void forecasterThatReturnsTruthHasZeroError() {
        TrajectorySet data = decaying(0.9, 5, 12, 3);
        Forecaster truth = new AffineMap(0.9, 0);
        assertEquals(0.0, ErrorMetrics.oneStepErrorPct(truth, data));
        for (int h : new int[] {1, 4, 11, 100}) {
            assertEquals(0.0, ErrorMetrics.rolloutErrorPct(truth, data, h));
        }
    }

    @Test
    void constantOffsetGivesClosedFormPercentage() {
        // every prediction is off by c in each of n = 2 states: 100·c·√n / ‖x‖ whatever the counts
        double c = 0.5;
        double expected = 100 * c * Math.sqrt(2) / 5;
        TrajectorySet data = constant(4, 9, 2);
        Forecaster offset = new OffByConstant(c);
        assertEquals(expected, ErrorMetrics.oneStepErrorPct(offset, data), 1e-12);
        for (int h : new int[] {1, 3, 50}) {
            assertEquals(expected, ErrorMetrics.rolloutErrorPct(offset, data, h), 1e-12);
        }
    }

    @Test
    void rolloutStartsFromTheFirstSampleOnlyAndStopsAtEachTrajectorysEnd() {
        // predicting x_k = (a + δ)^k x_0 against truth a^k x_0: the error grows with k, which a
        // re-anchored rollout would hide; the reference is summed here from the closed form
        double a = 0.9;
        double b = 0.95;
        TrajectorySet data = decaying(a, 3, 6);
        int horizon = 4;
        double err = 0;
        double ref = 0;
        for (Trajectory t : data.trajectories()) {
            double[] x0 = t.states()[0];
            for (int k = 1; k <= Math.min(horizon, t.length() - 1); k++) {
                for (double x : x0) {
                    err += Math.pow((Math.pow(b, k) - Math.pow(a, k)) * x, 2);
                    ref += Math.pow(Math.pow(a, k) * x, 2);
                }
            }
        }
        assertEquals(100 * Math.sqrt(err / ref), ErrorMetrics.rolloutErrorPct(new AffineMap(b, 0), data, horizon), 1e-10);
    }

    @Test
    void evaluateReportsEveryHorizonInOrderAndTheTrajectoryCount() {
        TrajectorySet data = constant(5, 5, 5);
        ErrorMetrics.Report report = ErrorMetrics.evaluate(new AffineMap(1, 0), data, 10, 1, 3);
        assertEquals(0.0, report.oneStepErrorPct());
        assertEquals(List.of(10, 1, 3), List.copyOf(report.rolloutErrorPct().keySet()));
        assertEquals(Map.of(10, 0.0, 1, 0.0, 3, 0.0), report.rolloutErrorPct());
        assertEquals(3, report.trajectories());
    }

    @Test
    void rejectsHorizonBelowOne() {
        assertEquals("rollout horizon must be at least 1, got 0", assertThrows(InvalidDataException.class,
                () -> ErrorMetrics.rolloutErrorPct(new AffineMap(1, 0), constant(3), 0)).getMessage());
    }

    @Test
    void parsesHorizonsAndRejectsNonIntegers() {
        assertArrayEquals(new int[] {1, 10, 100}, ErrorMetrics.parseHorizons("1, 10,100"));
        assertEquals("--horizons: 'ten' is not an integer",
                assertThrows(InvalidDataException.class, () -> ErrorMetrics.parseHorizons("1,ten")).getMessage());
    }
    /**
     * Fibonacci numbers y_{k+1} = y_k + y_{k−1} (plus c): no map of y_k alone predicts them, the delay
     * vector [y_k, y_{k−1}] does; predictions are its current entry only.
     */
    private record FibonacciOnDelays(double c) implements Forecaster {
        @Override
        public TrajectorySet prepare(TrajectorySet measured) {
            return new DelayEmbedding(1, 1).embed(measured);
        }

        @Override
        public double[][] step(double[][] states) {
            double[][] next = new double[states.length][];
            for (int r = 0; r < states.length; r++) {
                next[r] = new double[] {states[r][0] + states[r][1] + c};
            }
            return next;
        }

        @Override
        public double[][][] rollout(double[][] initial, int horizon) {
            double[][][] out = new double[initial.length][horizon][];
            for (int j = 0; j < initial.length; j++) {
                double current = initial[j][0];
                double previous = initial[j][1];
                for (int k = 0; k < horizon; k++) {
                    double next = current + previous + c;
                    previous = current;
                    current = next;
                    out[j][k] = new double[] {current};
                }
            }
            return out;
        }
    }

    @Test
    void aDelayModelIsScoredOnTheCurrentEntriesOfItsOwnDelayVectors() {
        double[] y = {1, 1, 2, 3, 5, 8, 13, 21};
        double[] times = new double[y.length];
        double[][] states = new double[y.length][];
        for (int k = 0; k < y.length; k++) {
            times[k] = k;
            states[k] = new double[] {y[k]};
        }
        TrajectorySet fib = new TrajectorySet(List.of("y"), List.of(new Trajectory(times, states)));
        assertEquals(0.0, ErrorMetrics.oneStepErrorPct(new FibonacciOnDelays(0), fib));
        assertEquals(0.0, ErrorMetrics.rolloutErrorPct(new FibonacciOnDelays(0), fib, 100));
        // pairs from [y_1, y_0] on: targets 2, 3, 5, 8, 13, 21, each missed by c = 0.5
        assertEquals(100 * 0.5 * Math.sqrt(6) / Math.sqrt(4 + 9 + 25 + 64 + 169 + 441),
                ErrorMetrics.oneStepErrorPct(new FibonacciOnDelays(0.5), fib), 1e-12);
    }

    /** x(t) = x(t₀)·e^{−(t − t₀)} per state, exact at t₀ and off by the relative bias δ_i on state i after it. */
    private static final class BiasedDecay implements ContinuousForecaster {
        private final double[] bias;
        private int calls;

        BiasedDecay(double... bias) {
            this.bias = bias;
        }

        @Override
        public double[][][] forecast(double[][] initial, double[] times) {
            calls++;
            double[][][] out = new double[initial.length][times.length][];
            for (int r = 0; r < initial.length; r++) {
                for (int k = 0; k < times.length; k++) {
                    out[r][k] = new double[initial[r].length];
                    for (int i = 0; i < initial[r].length; i++) {
                        out[r][k][i] = initial[r][i] * Math.exp(-(times[k] - times[0])) * (k == 0 ? 1 : 1 + bias[i]);
                    }
                }
            }
            return out;
        }

        @Override
        public double[][] step(double[][] states) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[][][] rollout(double[][] initial, int horizon) {
            throw new UnsupportedOperationException();
        }
    }

    private static Trajectory decay(double[] times, double... x0) {
        double[][] x = new double[times.length][x0.length];
        for (int k = 0; k < times.length; k++) {
            for (int i = 0; i < x0.length; i++) {
                x[k][i] = x0[i] * Math.exp(-(times[k] - times[0]));
            }
        }
        return new Trajectory(times, x);
    }

    @Test
    void errorsAlongTrajectoriesOnTheirOwnLogSpacedTimesAreRelativePerComponent() {
        double[] logTimes = {1e-3, 1e-2, 1e-1, 1, 10};
        double[] other = {0.5, 0.7, 2};
        TrajectorySet data = new TrajectorySet(List.of("a", "b"), List.of(decay(logTimes, 1, 1e-4), decay(logTimes, 2, 3e-4),
                decay(other, 0.5, 1e-5)));
        BiasedDecay model = new BiasedDecay(0.02, -0.3);
        ErrorMetrics.TrajectoryReport r = ErrorMetrics.alongTrajectories(model, data);
        assertEquals(2, model.calls, "the two trajectories on one grid share a call");
        // by hand: state i's error is δ_i·x_i(t_k) at every sample after the first
        double[] err = new double[2];
        double[] ref = new double[2];
        for (Trajectory t : data.trajectories()) {
            for (int k = 0; k < t.length(); k++) {
                for (int i = 0; i < 2; i++) {
                    double x = t.states()[k][i];
                    double d = k == 0 ? 0 : new double[] {0.02, -0.3}[i] * x;
                    err[i] += d * d;
                    ref[i] += x * x;
                }
            }
        }
        assertEquals(100 * Math.sqrt(err[0] / ref[0]), r.componentErrorPct()[0], 1e-12);
        assertEquals(100 * Math.sqrt(err[1] / ref[1]), r.componentErrorPct()[1], 1e-12);
        assertEquals(100 * Math.sqrt((err[0] + err[1]) / (ref[0] + ref[1])), r.errorPct(), 1e-12);
        // state b is 10⁴ times smaller than a, yet its 30% error shows in full per component, hardly at all overall
        assertTrue(r.componentErrorPct()[1] > 20 && r.errorPct() < 2, r.toString());
        assertArrayEquals(new double[] {2, 30}, r.maxPointwisePct(), 1e-9);
        assertEquals(3, r.trajectories());
        // one step from every sample with its own step: the same bias on every predicted sample
        double[] stepErr = new double[2];
        double[] stepRef = new double[2];
        for (Trajectory t : data.trajectories()) {
            for (int k = 1; k < t.length(); k++) {
                for (int i = 0; i < 2; i++) {
                    double x = t.states()[k][i];
                    stepErr[i] += Math.pow(new double[] {0.02, -0.3}[i] * x, 2);
                    stepRef[i] += x * x;
                }
            }
        }
        assertEquals(100 * Math.sqrt((stepErr[0] + stepErr[1]) / (stepRef[0] + stepRef[1])), ErrorMetrics.oneStepAlongPct(model, data), 1e-12);
        double[][][] pointwise = ErrorMetrics.pointwiseRelativePct(model, data);
        assertEquals(0, pointwise[2][0][1]);
        assertEquals(30, pointwise[2][2][1], 1e-9);
    }

    @Test
    void pointwiseErrorWhereTheTruthIsZeroIsZeroOnlyForAnExactForecast() {
        TrajectorySet zero = new TrajectorySet(List.of("a"), List.of(decay(new double[] {0, 1}, 0.0)));
        assertEquals(0, ErrorMetrics.pointwiseRelativePct(new BiasedDecay(0.5), zero)[0][1][0]);
        TrajectorySet crossing = new TrajectorySet(List.of("a"), List.of(new Trajectory(new double[] {0, 1}, new double[][] {{1}, {0}})));
        assertEquals(Double.POSITIVE_INFINITY, ErrorMetrics.pointwiseRelativePct(new BiasedDecay(0), crossing)[0][1][0]);
    }
}
