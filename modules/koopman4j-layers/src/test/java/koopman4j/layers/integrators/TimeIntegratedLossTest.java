package koopman4j.layers.integrators;

import static koopman4j.layers.integrators.GraphCheck.array;
import static koopman4j.layers.integrators.GraphCheck.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.linalg.Precision;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TimeIntegratedLossTest {

    private static final int N = 2;
    private static final int BATCH = 3;
    private static final TimeGrid GRID = TimeGrid.of("test grid", 0, 0.1, 0.4, 1.0, 1.05, 2.0);

    private static double[][] a() {
        return new double[][] {{-2, 10}, {0, -2}};                    // seed 001 §5.1: transient growth
    }

    private static UnaryOperator<double[][]> sinField(double[][] w) {
        return u -> {
            double[][] z = GraphCheck.times(u, w);
            for (double[] row : z) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = Math.sin(row[j]);
                }
            }
            return z;
        };
    }

    /** [K+1][B][n] as one [(K+1)·B, n] block, block k = time t_k. */
    private static INDArray stacked(double[][][] x) {
        double[][] rows = new double[x.length * x[0].length][];
        for (int k = 0; k < x.length; k++) {
            for (int b = 0; b < x[k].length; b++) {
                rows[k * x[k].length + b] = x[k][b];
            }
        }
        return array(rows);
    }

    @Test
    void trapezoidWeightsCountEachStateByTheTimeItStandsFor() {
        TimeGrid grid = TimeGrid.of("grid", 0, 0.1, 0.4, 1.0);
        assertArrayEquals(new double[] {0.05, 0.2, 0.45, 0.3}, grid.trapezoidWeights(), 1e-15);
        double delta = 0.3;
        double[][][] observed = new double[4][BATCH][N];
        double[][][] predicted = new double[4][BATCH][N];
        for (double[][] block : predicted) {
            for (double[] row : block) {
                java.util.Arrays.fill(row, delta);
            }
        }
        // a constant error e integrates to e·(t_K − t₀) (eq. 20 is the trapezoid rule of ∫ MSE dt)
        assertEquals(delta * delta * 1.0, TimeIntegratedLoss.evaluate(predicted, observed, grid), 1e-15);
    }

    @Test
    void logTimeWeightsCountEveryDecadeAlikeAndKeepTheSteps() {
        // a trajectory sampled at 10⁻³, 10⁻², 10⁻¹, 1, its grid counted from the first sample
        TimeGrid linear = TimeGrid.of("grid", 0, 0.009, 0.099, 0.999);
        TimeGrid log = linear.inLogTime(1e-3);
        double half = Math.log(10) / 2;
        assertArrayEquals(new double[] {half, 2 * half, 2 * half, half}, log.trapezoidWeights(), 1e-12);
        assertEquals(linear.step(2), log.step(2));
        assertTrue(log.logTime() && !linear.logTime());
        assertNotEquals(linear, log);
        // a constant error e integrates to e·log(t_K / t₀)
        double[][][] observed = new double[4][BATCH][N];
        double[][][] predicted = new double[4][BATCH][N];
        for (double[][] block : predicted) {
            for (double[] row : block) {
                java.util.Arrays.fill(row, 0.5);
            }
        }
        assertEquals(0.25 * Math.log(1000), TimeIntegratedLoss.evaluate(predicted, observed, log), 1e-12);
        assertEquals("log-time loss weights need times after t = 0: the grid starts at t = 0.0",
                assertThrows(InvalidDataException.class, () -> linear.inLogTime(0)).getMessage());
    }

    @Test
    void graphRolloutAndLossEqualTheArrayVersionsOnANonUniformGrid() {
        double[][] a = a();
        double[][] w = gaussian(new Random(1), N, N, 1);
        double[][] u0 = gaussian(new Random(2), BATCH, N, 1);
        double[][][] observed = new double[GRID.steps() + 1][][];
        for (int k = 0; k <= GRID.steps(); k++) {
            observed[k] = gaussian(new Random(10 + k), BATCH, N, 1);
        }
        for (Integrator integrator : Integrator.values()) {
            double[][][] states = Rollout.states(integrator, a, sinField(w), u0, GRID);
            double expected = TimeIntegratedLoss.evaluate(states, observed, GRID);
            SameDiff sd = SameDiff.create();
            SDVariable wv = sd.constant(array(w));
            List<SDVariable> graphStates = Rollout.states(sd, integrator, sd.constant(array(a)), (s, u) -> s.math.sin(s.mmul(u, wv)),
                    sd.constant(array(u0)), GRID, Rollout.plans(integrator, a, GRID, Precision.DOUBLE, BATCH));
            double[][] rows = GraphCheck.eval(sd, Rollout.stacked(sd, graphStates));
            assertTrue(GraphCheck.relativeError(rows, stacked(states).toDoubleMatrix()) < 1e-12, integrator + " states");
            SDVariable loss = TimeIntegratedLoss.build(sd, Rollout.stacked(sd, graphStates), sd.constant(stacked(observed)), GRID, BATCH, N);
            assertEquals(expected, GraphCheck.value(sd, loss.name()), 1e-12 * expected, integrator + " loss");
        }
    }

    @Test
    void lossGradientOnANonUniformGridMatchesFiniteDifferences() {
        double[][] a = a();
        double[][] w = gaussian(new Random(3), N, N, 1);
        double[][] u0 = gaussian(new Random(4), BATCH, N, 1);
        double[][][] observed = new double[GRID.steps() + 1][][];
        for (int k = 0; k <= GRID.steps(); k++) {
            observed[k] = gaussian(new Random(20 + k), BATCH, N, 0.5);
        }
        TimeGrid grid = TimeGrid.of("short grid", 0, 0.1, 0.4, 1.0);
        double[][][] first = java.util.Arrays.copyOf(observed, grid.steps() + 1);
        for (Integrator integrator : List.of(Integrator.ETD1, Integrator.IMEX)) {
            SameDiff sd = SameDiff.create();
            SDVariable av = sd.var("A", array(a));
            SDVariable wv = sd.var("W", array(w));
            List<SDVariable> states = Rollout.states(sd, integrator, av, (s, u) -> s.math.sin(s.mmul(u, wv)), sd.constant(array(u0)),
                    grid, Rollout.plans(integrator, a, grid, Precision.DOUBLE, BATCH));
            SDVariable loss = TimeIntegratedLoss.build(sd, Rollout.stacked(sd, states), sd.constant(stacked(first)), grid, BATCH, N);
            double error = GraphCheck.gradientError(sd, loss, List.of("A", "W"));
            assertTrue(error < 1e-6, integrator + ": gradient error " + error);
        }
    }

    @Test
    void plansAreSharedBetweenStepsOfEqualSize() {
        TimeGrid grid = TimeGrid.of("grid", 0, 0.5, 1.0, 1.2, 1.7);
        List<ExpmvGraph.Plan> plans = Rollout.plans(Integrator.ETD1, a(), grid, Precision.DOUBLE, 4);
        assertEquals(4, plans.size());
        assertEquals(plans.get(0), plans.get(1));
        assertEquals(List.of(), Rollout.plans(Integrator.RK4, a(), grid, Precision.DOUBLE, 4));
    }

    @Test
    void rejectsBadTimeGridsAndShapes() {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> TimeGrid.of("trajectory 3", 0, 0.2, 0.1));
        assertEquals("trajectory 3: time t[2] = 0.1 is not after t[1] = 0.2; the time grid must be strictly increasing", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> TimeGrid.of("trajectory 4", 0, 0.5, 0.5));
        assertEquals("trajectory 4: time t[2] = 0.5 is not after t[1] = 0.5; the time grid must be strictly increasing", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> TimeGrid.of("data.csv", 0, Double.NaN));
        assertEquals("data.csv: time t[1] is NaN, expected a finite number", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> TimeGrid.of("data.csv", 1.0));
        assertEquals("data.csv: time grid has 1 time(s), expected at least 2", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> TimeGrid.uniform(0, -0.2, 10));
        assertEquals("uniform time grid: time step h is -0.2, expected a finite number > 0", e.getMessage());
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.constant(Nd4j.zeros(DataType.DOUBLE, 5, 2));
        SDVariable o = sd.constant(Nd4j.zeros(DataType.DOUBLE, 6, 2));
        e = assertThrows(InvalidDataException.class, () -> TimeIntegratedLoss.build(sd, p, o, TimeGrid.of("g", 0, 1, 2), 2, 2));
        assertEquals("time-integrated loss: predicted has 5 rows, expected 6 ((K+1)·B for the grid and batch)", e.getMessage());
        e = assertThrows(InvalidDataException.class,
                () -> TimeIntegratedLoss.evaluate(new double[2][1][2], new double[3][1][2], TimeGrid.of("g", 0, 1, 2)));
        assertEquals("time-integrated loss: 2 predicted and 3 observed times for a grid of 3", e.getMessage());
    }
}
