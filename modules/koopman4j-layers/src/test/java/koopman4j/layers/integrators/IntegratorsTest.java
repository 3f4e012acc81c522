package koopman4j.layers.integrators;

import static koopman4j.layers.integrators.GraphCheck.array;
import static koopman4j.layers.integrators.GraphCheck.eval;
import static koopman4j.layers.integrators.GraphCheck.gaussian;
import static koopman4j.layers.integrators.GraphCheck.relativeError;
import static koopman4j.layers.integrators.GraphCheck.scaled;
import static koopman4j.layers.integrators.GraphCheck.times;
import static koopman4j.layers.integrators.GraphCheck.transpose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.linalg.Expm;
import koopman4j.core.linalg.Expmv;
import koopman4j.core.linalg.Precision;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

class IntegratorsTest {

    private static final int N = 3;
    private static final int BATCH = 5;

    /** A stable nonnormal A: −I plus a strictly upper part and a small random part. */
    private static double[][] stableA(long seed) {
        double[][] a = gaussian(new Random(seed), N, N, 0.3);
        for (int i = 0; i < N; i++) {
            a[i][i] -= 1;
            for (int j = i + 1; j < N; j++) {
                a[i][j] += 2;
            }
        }
        return a;
    }

    /** g(u) = tanh(u W), the test nonlinearity with parameters, on arrays. */
    private static UnaryOperator<double[][]> tanhField(double[][] w) {
        return u -> {
            double[][] z = times(u, w);
            for (double[] row : z) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = Math.tanh(row[j]);
                }
            }
            return z;
        };
    }

    /** The same g in the graph, with W a graph variable. */
    private static VectorField tanhField(SDVariable w) {
        return (sd, u) -> sd.math.tanh(sd.mmul(u, w));
    }

    private static double[][] graphStep(Integrator integrator, double[][] a, double[][] w, double[][] u, double h, ExpmvGraph.Plan plan) {
        SameDiff sd = SameDiff.create();
        SDVariable out = integrator.step(sd, sd.constant(array(a)), tanhField(sd.constant(array(w))), sd.constant(array(u)), h, plan);
        return eval(sd, out);
    }

    @Test
    void etd1ForConstantForcingMatchesClosedForm() {
        double[][] a = stableA(1);
        double[] c = {0.5, -1, 2};
        double[][] u = gaussian(new Random(2), BATCH, N, 1);
        double[][] constant = new double[BATCH][];
        for (int b = 0; b < BATCH; b++) {
            constant[b] = c.clone();
        }
        double[][] inverse = toArray(new SimpleMatrix(a).invert());
        for (double h : new double[] {0.1, 2, 40}) {
            double[][] e = Expm.exp(scaled(h, a));
            double[][] eMinusI = scaled(1, e);
            for (int i = 0; i < N; i++) {
                eMinusI[i][i] -= 1;
            }
            double[] forcing = column(times(inverse, times(eMinusI, transpose(new double[][] {c}))));
            double[][] expected = transpose(times(e, transpose(u)));      // e^{hA}u + A⁻¹(e^{hA} − I)c
            for (double[] row : expected) {
                for (int i = 0; i < N; i++) {
                    row[i] += forcing[i];
                }
            }
            double[][] array = Etd1.step(a, x -> constant, u, h);
            assertTrue(relativeError(array, expected) < 1e-12, "array h=" + h + ": " + relativeError(array, expected));
            SameDiff sd = SameDiff.create();
            SDVariable cv = sd.constant(array(constant));
            SDVariable out = Etd1.step(sd, sd.constant(array(a)), (s, x) -> cv, sd.constant(array(u)), h, Etd1.plan(a, h, Precision.DOUBLE, BATCH));
            assertTrue(relativeError(eval(sd, out), expected) < 1e-12, "graph h=" + h + ": " + relativeError(eval(sd, out), expected));
        }
    }

    @Test
    void etd1IsExactForTheLinearOdeAtAnyStep() {
        double lambda = -0.4;
        double b = 3;
        double[][] a = {{lambda, b}, {0, lambda}};
        double[][] u = {{1, 2}, {-0.5, 1}};
        UnaryOperator<double[][]> zero = x -> new double[x.length][2];
        for (double h : new double[] {0.01, 1, 50, 2e6}) {
            double[][] e = scaled(Math.exp(lambda * h), new double[][] {{1, b * h}, {0, 1}});     // e^{hA} of the Jordan block
            double[][] expected = transpose(times(e, transpose(u)));
            double[][] array = Etd1.step(a, zero, u, h);
            SameDiff sd = SameDiff.create();
            SDVariable out = Etd1.step(sd, sd.constant(array(a)), (s, x) -> x.mul(0), sd.constant(array(u)), h, Etd1.plan(a, h, Precision.DOUBLE, 2));
            double[][] graph = eval(sd, out);
            for (int r = 0; r < 2; r++) {
                for (int i = 0; i < 2; i++) {
                    double tol = 1e-12 * Math.abs(expected[r][i]) + 1e-15;   // ‖e^{hA}‖ ≪ 1: relative to ‖u‖ = O(1)
                    assertEquals(expected[r][i], array[r][i], tol, "array h=" + h);
                    assertEquals(expected[r][i], graph[r][i], tol, "graph h=" + h);
                }
            }
        }
    }

    @Test
    void etd1BatchFormEqualsEquationSeventeenPerSample() {
        double[][] a = stableA(3);
        double[][] w = gaussian(new Random(4), N, N, 1);
        double[][] u = gaussian(new Random(5), BATCH, N, 1);
        double[][] g = tanhField(w).apply(u);
        for (double h : new double[] {0.2, 3}) {
            double[][] expected = new double[BATCH][N];
            for (int b = 0; b < BATCH; b++) {
                double[][] augmented = new double[N + 1][N + 1];                 // h[[A, g(u_b)], [0, 0]], eq. 17
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        augmented[i][j] = h * a[i][j];
                    }
                    augmented[i][N] = h * g[b][i];
                }
                double[][] e = Expm.exp(augmented);
                for (int i = 0; i < N; i++) {
                    expected[b][i] = e[i][N];                                    // [I 0]·exp(·)·[u_b; 1]
                    for (int j = 0; j < N; j++) {
                        expected[b][i] += e[i][j] * u[b][j];
                    }
                }
            }
            double[][] array = Etd1.step(a, tanhField(w), u, h);
            assertTrue(relativeError(array, expected) < 1e-12, "array h=" + h + ": " + relativeError(array, expected));
            for (ExpmvGraph.Plan plan : List.of(Etd1.plan(a, h, Precision.DOUBLE, BATCH), taylorPlan(Etd1.augmented(a), h, BATCH))) {
                double[][] graph = graphStep(Integrator.ETD1, a, w, u, h, plan);
                assertTrue(relativeError(graph, expected) < 1e-12, plan + " h=" + h + ": " + relativeError(graph, expected));
            }
        }
    }

    @Test
    void imexStepSolvesTheSemiImplicitSystemAndGraphEqualsArray() {
        double[][] a = stableA(6);
        double[][] w = gaussian(new Random(7), N, N, 1);
        double[][] u = gaussian(new Random(8), BATCH, N, 1);
        double[][] g = tanhField(w).apply(u);
        for (double h : new double[] {0.1, 5}) {
            double[][] next = Imex.step(a, tanhField(w), u, h);
            double[][] residual = new double[BATCH][N];                           // (I − hA)u₊ − (u + h g(u))
            double[][] rhs = new double[BATCH][N];
            for (int b = 0; b < BATCH; b++) {
                for (int i = 0; i < N; i++) {
                    rhs[b][i] = u[b][i] + h * g[b][i];
                    residual[b][i] = next[b][i] - rhs[b][i];
                    for (int j = 0; j < N; j++) {
                        residual[b][i] -= h * a[i][j] * next[b][j];
                    }
                }
            }
            double worst = 0;
            for (double[] r : residual) {
                for (double x : r) {
                    worst = Math.max(worst, Math.abs(x));
                }
            }
            assertTrue(worst < 1e-13 * (1 + h) * maxAbs(rhs), "h=" + h + " residual " + worst);
            double[][] graph = graphStep(Integrator.IMEX, a, w, u, h, null);
            assertTrue(relativeError(graph, next) < 1e-12, "graph h=" + h + ": " + relativeError(graph, next));
        }
    }

    @Test
    void imexGraphStaysAccurateForNearlyTriangularA() {
        // ND4J's matrixInverse is off by 6e-8 here; the Newton–Schulz refinement restores double precision
        double[][] a = {{-2, 10}, {1e-7, -2}};
        double[][] w = gaussian(new Random(16), 2, 2, 1);
        double[][] u = gaussian(new Random(17), 4, 2, 1);
        double[][] array = Imex.step(a, tanhField(w), u, 0.3);
        double error = relativeError(graphStep(Integrator.IMEX, a, w, u, 0.3, null), array);
        assertTrue(error < 1e-14, "error " + error);
    }

    @Test
    void rk4IsFourthOrderAndEtd1AndImexFirstOrderOnTheLogisticEquation() {
        // du/dt = −u + u⊙u, exact u(t) = 1/(1 + (1/u₀ − 1)e^t) per component
        double[][] a = {{-1, 0}, {0, -1}};
        UnaryOperator<double[][]> square = u -> {
            double[][] out = new double[u.length][];
            for (int b = 0; b < u.length; b++) {
                out[b] = new double[] {u[b][0] * u[b][0], u[b][1] * u[b][1]};
            }
            return out;
        };
        double[][] u0 = {{0.3, 0.6}};
        double end = 2;
        double[] exact = new double[2];
        for (int i = 0; i < 2; i++) {
            exact[i] = 1 / (1 + (1 / u0[0][i] - 1) * Math.exp(end));
        }
        for (Integrator integrator : Integrator.values()) {
            double[] errors = new double[3];
            for (int level = 0; level < 3; level++) {
                int steps = 10 << level;
                double[][][] states = Rollout.states(integrator, a, square, u0, TimeGrid.uniform(0, end / steps, steps));
                double[] last = states[steps][0];
                errors[level] = Math.hypot(last[0] - exact[0], last[1] - exact[1]);
            }
            double expectedRatio = integrator == Integrator.RK4 ? 16 : 2;
            for (int level = 1; level < 3; level++) {
                double ratio = errors[level - 1] / errors[level];
                assertEquals(expectedRatio, ratio, 0.15 * expectedRatio, integrator + " error ratio when halving h, errors " + java.util.Arrays.toString(errors));
            }
        }
    }

    @Test
    void rk4GraphEqualsArray() {
        double[][] a = stableA(9);
        double[][] w = gaussian(new Random(10), N, N, 1);
        double[][] u = gaussian(new Random(11), BATCH, N, 1);
        double[][] array = Rk4.step(a, tanhField(w), u, 0.3);
        assertTrue(relativeError(graphStep(Integrator.RK4, a, w, u, 0.3, null), array) < 1e-13);
    }

    @Test
    void stepGradientsMatchFiniteDifferencesForAAndTheParametersOfG() {
        double[][] a = stableA(12);
        double[][] w = gaussian(new Random(13), N, N, 1);
        double[][] u = gaussian(new Random(14), BATCH, N, 1);
        double h = 0.7;
        List<ExpmvGraph.Plan> etdPlans = List.of(Etd1.plan(a, h, Precision.DOUBLE, BATCH), taylorPlan(Etd1.augmented(a), h, BATCH));
        assertEquals(ExpmvGraph.Path.DENSE, etdPlans.get(0).path());
        for (int c = 0; c < 4; c++) {
            Integrator integrator = c < 2 ? Integrator.ETD1 : c == 2 ? Integrator.IMEX : Integrator.RK4;
            ExpmvGraph.Plan plan = c < 2 ? etdPlans.get(c) : null;
            SameDiff sd = SameDiff.create();
            SDVariable av = sd.var("A", array(a));
            SDVariable wv = sd.var("W", array(w));
            SDVariable next = integrator.step(sd, av, tanhField(wv), sd.constant(array(u)), h, plan);
            SDVariable loss = GraphCheck.weightedSum(sd, next, BATCH, N, 15);
            double error = GraphCheck.gradientError(sd, loss, List.of("A", "W"));
            assertTrue(error < 1e-6, integrator + " " + plan + ": gradient error " + error);
        }
    }

    @Test
    void rejectsBadSteps() {
        double[][] a = {{-1, 0}, {0, -1}};
        double[][] u = {{1, 2}};
        UnaryOperator<double[][]> zero = x -> new double[x.length][2];
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> Etd1.step(a, zero, u, 0));
        assertEquals("etd1: time step h is 0.0, expected a finite number > 0", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Imex.step(a, zero, u, -0.1));
        assertEquals("imex: time step h is -0.1, expected a finite number > 0", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Rk4.step(a, zero, u, Double.NaN));
        assertEquals("rk4: time step h is NaN, expected a finite number > 0", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Etd1.step(new double[][] {{-1, Double.NaN}, {0, -1}}, zero, u, 0.1));
        assertEquals("etd1: A[0][1] is NaN, expected a finite number", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Imex.step(a, zero, new double[][] {{1, Double.POSITIVE_INFINITY}}, 0.1));
        assertEquals("imex: u[0][1] is Infinity, expected a finite number", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Rk4.step(a, zero, new double[][] {{1, 2, 3}}, 0.1));
        assertEquals("rk4: u row 0 has dimension 3, expected 2 (the order of A)", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Etd1.step(a, x -> new double[][] {{1}}, u, 0.1));
        assertEquals("etd1: g(u) row 0 has dimension 1, expected 2 (the order of A)", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Etd1.plan(new double[][] {{1, 2}}, 0.1, Precision.DOUBLE, 1));
        assertEquals("etd1: A is 1 x 2, expected a square matrix", e.getMessage());
        SameDiff sd = SameDiff.create();
        SDVariable av = sd.constant(array(a));
        SDVariable u3 = sd.constant(Nd4j.ones(4, 3).castTo(av.dataType()));
        ExpmvGraph.Plan plan = Etd1.plan(a, 0.1, Precision.DOUBLE, 4);
        e = assertThrows(InvalidDataException.class, () -> Etd1.step(sd, av, (s, x) -> x, u3, 0.1, plan));
        assertEquals("etd1: u has 3 columns, expected 2 (the order of A)", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Imex.step(sd, av, (s, x) -> x, u3, 0.1));
        assertEquals("imex: u has 3 columns, expected 2 (the order of A)", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Rk4.step(sd, av, (s, x) -> x, u3, 0.1));
        assertEquals("rk4: u has 3 columns, expected 2 (the order of A)", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Etd1.step(sd, av, (s, x) -> x, sd.constant(array(u)), -1, plan));
        assertEquals("etd1: time step h is -1.0, expected a finite number > 0", e.getMessage());
        SDVariable a3 = sd.constant(Nd4j.eye(3).castTo(av.dataType()));
        e = assertThrows(InvalidDataException.class, () -> Etd1.step(sd, a3, (s, x) -> x, u3, 0.1, plan));
        assertEquals("etd1: A has 3 rows, expected 2 (half the order of the plan's augmented matrix)", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> Integrator.parse("euler"));
        assertEquals("integrator 'euler' is unknown, expected one of etd1, imex, rk4", e.getMessage());
        assertEquals(Integrator.IMEX, Integrator.parse(" IMEX "));
    }

    /** Core's (m, s) on the Taylor path, whatever the cost model would pick. */
    private static ExpmvGraph.Plan taylorPlan(double[][] m, double h, int columns) {
        Expmv.Plan core = Expmv.plan(m, h, Precision.DOUBLE, columns);
        return ExpmvGraph.Plan.taylor(m.length, Math.max(1, core.m()), (int) core.s());
    }

    private static double[][] toArray(SimpleMatrix m) {
        double[][] out = new double[m.numRows()][m.numCols()];
        for (int i = 0; i < m.numRows(); i++) {
            for (int j = 0; j < m.numCols(); j++) {
                out[i][j] = m.get(i, j);
            }
        }
        return out;
    }

    private static double[] column(double[][] x) {
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i][0];
        }
        return c;
    }

    private static double maxAbs(double[][] x) {
        double m = 0;
        for (double[] r : x) {
            for (double v : r) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }
}
