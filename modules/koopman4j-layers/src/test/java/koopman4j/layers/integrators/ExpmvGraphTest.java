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
import java.util.Map;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.linalg.Expm;
import koopman4j.core.linalg.Expmv;
import koopman4j.core.linalg.Precision;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ExpmvGraphTest {

    private static final double U32 = 0x1p-24;

    /** e^{hA}B through the graph, in double precision. */
    private static double[][] graph(double[][] a, double[][] b, double h, ExpmvGraph.Plan plan) {
        SameDiff sd = SameDiff.create();
        SDVariable out = ExpmvGraph.apply(sd, sd.constant(array(a)), sd.constant(array(b)), h, plan);
        return eval(sd, out);
    }

    private static double[][] graph(double[][] a, double[][] b, double h) {
        return graph(a, b, h, ExpmvGraph.plan(a, h, Precision.DOUBLE, b[0].length));
    }

    /** Core's (m, s) on the Taylor path, whatever the cost model would pick for this small n. */
    private static ExpmvGraph.Plan taylor(double[][] a, double h, Precision precision, int columns) {
        Expmv.Plan core = Expmv.plan(a, h, precision, columns);
        return ExpmvGraph.Plan.taylor(a.length, Math.max(1, core.m()), (int) core.s());
    }

    @Test
    void graphExpmvEqualsCoreExpmvOnRandomNonnormalMatrices() {
        Random rng = new Random(1);
        int taylorCases = 0;
        for (int n : new int[] {8, 16}) {
            double[][] a = gaussian(rng, n, n, 1.0 / Math.sqrt(n));
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    a[i][j] *= 4;                                            // strongly nonnormal
                }
            }
            for (int k : new int[] {1, 4}) {
                double[][] b = gaussian(rng, n, k, 1);
                for (double h : new double[] {0.05, 0.7, 2.5}) {
                    ExpmvGraph.Plan plan = ExpmvGraph.plan(a, h, Precision.DOUBLE, k);
                    boolean coreDense = Expmv.prefersDense(a, h, Expmv.plan(a, h, Precision.DOUBLE, k), Precision.DOUBLE, k);
                    assertEquals(coreDense ? ExpmvGraph.Path.DENSE : ExpmvGraph.Path.TAYLOR, plan.path(), "same choice as core");
                    taylorCases += coreDense ? 0 : 1;
                    double error = relativeError(graph(a, b, h, plan), Expmv.apply(a, b, h));
                    assertTrue(error < 1e-12, "n=" + n + " k=" + k + " h=" + h + " plan " + plan + ": error " + error);
                }
            }
        }
        assertTrue(taylorCases >= 4, "only " + taylorCases + " cases on the Taylor path");
    }

    @Test
    void graphExpmvMatchesClosedFormForRotation() {
        for (double omega : new double[] {0.3, 4, 25}) {
            double[][] a = {{0, -omega}, {omega, 0}};
            double[][] b = {{1, 0.5}, {0, -2}};
            double h = 1.1;
            double c = Math.cos(omega * h);
            double s = Math.sin(omega * h);
            double[][] expected = times(new double[][] {{c, -s}, {s, c}}, b);
            double error = relativeError(graph(a, b, h), expected);
            assertTrue(error < 1e-12, "omega=" + omega + ": error " + error);
            double taylorError = relativeError(graph(a, b, h, taylor(a, h, Precision.DOUBLE, 2)), expected);
            assertTrue(taylorError < 1e-12, "omega=" + omega + ": Taylor error " + taylorError);
        }
    }

    @Test
    void graphExpmvMatchesClosedFormForJordanBlocks() {
        for (double[] ab : new double[][] {{-1, 3}, {0.5, -20}, {-4, 100}}) {
            double a = ab[0];
            double b = ab[1];
            double t = 0.9;
            double[][] matrix = {{a, b}, {0, a}};
            double[][] expected = scaled(Math.exp(a * t), new double[][] {{1, b * t}, {0, 1}});  // e^{at}[[1, bt], [0, 1]]
            double[][] eye = {{1, 0}, {0, 1}};
            double error = relativeError(graph(matrix, eye, t), expected);
            assertTrue(error < 1e-12, "a=" + a + " b=" + b + ": error " + error);
            double taylorError = relativeError(graph(matrix, eye, t, taylor(matrix, t, Precision.DOUBLE, 2)), expected);
            assertTrue(taylorError < 1e-12, "a=" + a + " b=" + b + ": Taylor error " + taylorError);
        }
        // a 5 × 5 Jordan block λI + N: e^{tJ} = e^{λt} Σ_k (tN)^k/k!
        int n = 5;
        double lambda = -0.7;
        double t = 3;
        double[][] j = new double[n][n];
        double[][] expected = new double[n][n];
        for (int i = 0; i < n; i++) {
            j[i][i] = lambda;
            if (i + 1 < n) {
                j[i][i + 1] = 1;
            }
            double factorial = 1;
            for (int k = 0; i + k < n; k++) {
                factorial *= Math.max(1, k);
                expected[i][i + k] = Math.exp(lambda * t) * Math.pow(t, k) / factorial;
            }
        }
        double[][] eye = new double[n][n];
        for (int i = 0; i < n; i++) {
            eye[i][i] = 1;
        }
        double error = relativeError(graph(j, eye, t), expected);
        assertTrue(error < 1e-12, "Jordan 5x5: error " + error);
        double taylorError = relativeError(graph(j, eye, t, taylor(j, t, Precision.DOUBLE, n)), expected);
        assertTrue(taylorError < 1e-12, "Jordan 5x5: Taylor error " + taylorError);
    }

    @Test
    void densePathOnStiffMatrixEqualsCoreExpmAndClosedForm() {
        double stiff = 1e8;
        double[][] a = {{-stiff, 1}, {0, -1}};
        double[][] b = {{1, 2, 0}, {1, -1, 3}};
        double h = 1;
        ExpmvGraph.Plan plan = ExpmvGraph.plan(a, h, Precision.DOUBLE, 3);
        assertEquals(ExpmvGraph.Path.DENSE, plan.path(), "‖hA‖₁ = 1e8 must take the dense path");
        double[][] actual = graph(a, b, h, plan);
        double[][] core = times(Expm.exp(scaled(h, a)), b);
        assertTrue(relativeError(actual, core) < 1e-12, "vs core Expm: " + relativeError(actual, core));
        double e1 = Math.exp(-1);
        double[][] closed = times(new double[][] {{0, (e1 - Math.exp(-stiff)) / (stiff - 1)}, {0, e1}}, b);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(closed[i][k], actual[i][k], 1e-14 * Math.max(Math.abs(closed[i][k]), 1e-8), "entry " + i + "," + k);
            }
        }
    }

    @Test
    void rowLayoutIsTheTransposeOfTheColumnLayout() {
        Random rng = new Random(4);
        double[][] a = gaussian(rng, 4, 4, 1);
        double[][] u = gaussian(rng, 7, 4, 1);
        for (ExpmvGraph.Plan plan : List.of(taylor(a, 0.3, Precision.DOUBLE, 7), ExpmvGraph.plan(a, 0.3, Precision.DOUBLE, 7))) {
            double h = 0.3;
            SameDiff sd = SameDiff.create();
            SDVariable rows = ExpmvGraph.applyToRows(sd, sd.constant(array(a)), sd.constant(array(u)), h, plan);
            double[][] expected = transpose(graph(a, transpose(u), h, plan));
            assertTrue(relativeError(eval(sd, rows), expected) < 1e-14, plan.toString());
        }
    }

    @Test
    void singlePrecisionGraphIsWithinTenUnitRoundoffs() {
        Random rng = new Random(7);
        double[][] a = gaussian(rng, 6, 6, 1);
        double[][] b = gaussian(rng, 6, 2, 1);
        for (double h : new double[] {0.1, 1, 3}) {
            float[][] af = toFloat(a);
            float[][] bf = toFloat(b);
            double[][] reference = Expmv.apply(toDouble(af), toDouble(bf), h);    // the same float data, in double
            for (ExpmvGraph.Plan plan : List.of(taylor(toDouble(af), h, Precision.SINGLE, 2),
                    ExpmvGraph.Plan.dense(6, Expm.plan(h * norm1(a), Precision.SINGLE)))) {
                SameDiff sd = SameDiff.create();
                SDVariable out = ExpmvGraph.apply(sd, sd.constant(Nd4j.create(af)), sd.constant(Nd4j.create(bf)), h, plan);
                assertEquals(DataType.FLOAT, out.dataType());
                double error = relativeError(eval(sd, out), reference);
                assertTrue(error < 10 * U32, "h=" + h + " plan " + plan + ": error " + error / U32 + " u");
            }
        }
    }

    @Test
    void expmvGradientsMatchFiniteDifferencesOnBothPaths() {
        Random rng = new Random(11);
        double[][] a = gaussian(rng, 4, 4, 0.8);
        double[][] b = gaussian(rng, 4, 3, 1);
        double h = 0.9;
        Expmv.Plan core = Expmv.plan(a, h, Precision.DOUBLE, 3);
        double small = 0.05;
        double large = 60;
        ExpmvGraph.Plan unscaled = ExpmvGraph.Plan.dense(4, Expm.plan(small * norm1(a), Precision.DOUBLE));
        ExpmvGraph.Plan squared = ExpmvGraph.Plan.dense(4, Expm.plan(large * norm1(a), Precision.DOUBLE));
        assertEquals(0, unscaled.squarings());
        assertTrue(squared.squarings() >= 8, squared.toString());
        Map<Double, ExpmvGraph.Plan> cases = Map.of(
                h, ExpmvGraph.Plan.taylor(4, core.m(), (int) core.s()),                    // core's (m, s) on the Taylor path
                small, unscaled,                                                            // dense, one BBC polynomial
                large, squared);                                                            // dense with squarings
        cases.forEach((t, plan) -> {
            SameDiff sd = SameDiff.create();
            SDVariable av = sd.var("A", array(a));
            SDVariable bv = sd.var("B", array(b));
            SDVariable loss = GraphCheck.weightedSum(sd, ExpmvGraph.apply(sd, av, bv, t, plan), 4, 3, 5);
            double error = GraphCheck.gradientError(sd, loss, List.of("A", "B"));
            assertTrue(error < 1e-6, plan + ": gradient error " + error);
        });
    }

    @Test
    void gradientIsRightAtAScalarMatrixWhereCorePlansNoTaylorTerm() {
        double[][] a = {{-0.5, 0, 0}, {0, -0.5, 0}, {0, 0, -0.5}};
        assertEquals(0, Expmv.plan(a, 1, Precision.DOUBLE, 2).m());
        ExpmvGraph.Plan plan = ExpmvGraph.plan(a, 1, Precision.DOUBLE, 2);
        assertEquals(1, plan.m());
        SameDiff sd = SameDiff.create();
        SDVariable av = sd.var("A", array(a));
        SDVariable bv = sd.var("B", array(new double[][] {{1, 0}, {2, 1}, {-1, 3}}));
        SDVariable loss = GraphCheck.weightedSum(sd, ExpmvGraph.apply(sd, av, bv, 1, plan), 3, 2, 8);
        assertTrue(GraphCheck.gradientError(sd, loss, List.of("A", "B")) < 1e-6);
    }

    @Test
    void rejectsBadInput() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> ExpmvGraph.plan(new double[][] {{1, 2}}, 1, Precision.DOUBLE, 1));
        assertEquals("expmv: A is 1 x 2, expected a square matrix", e.getMessage());
        e = assertThrows(InvalidDataException.class,
                () -> ExpmvGraph.plan(new double[][] {{1, Double.NaN}, {0, 1}}, 1, Precision.DOUBLE, 1));
        assertEquals("expmv: A[0][1] is NaN, expected a finite number", e.getMessage());
        e = assertThrows(InvalidDataException.class,
                () -> ExpmvGraph.plan(new double[][] {{1, 0}, {0, 1}}, Double.NaN, Precision.DOUBLE, 1));
        assertEquals("expmv: time step h is NaN, expected a finite number", e.getMessage());
        SameDiff sd = SameDiff.create();
        ExpmvGraph.Plan plan = ExpmvGraph.plan(new double[][] {{1, 0}, {0, 1}}, 1, Precision.DOUBLE, 1);
        SDVariable a3 = sd.constant(Nd4j.eye(3));
        e = assertThrows(InvalidDataException.class, () -> ExpmvGraph.apply(sd, a3, sd.constant(Nd4j.ones(3, 1)), 1, plan));
        assertEquals("expmv: A has 3 rows, expected 2 (the order the plan was made for)", e.getMessage());
        SDVariable a2 = sd.constant(Nd4j.eye(2));
        e = assertThrows(InvalidDataException.class, () -> ExpmvGraph.apply(sd, a2, sd.constant(Nd4j.ones(3, 1)), 1, plan));
        assertEquals("expmv: B has 3 rows, expected 2 (the order of A)", e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> ExpmvGraph.precision(DataType.HALF));
        assertEquals("expmv: data type HALF is not supported, expected FLOAT or DOUBLE", e.getMessage());
    }

    private static double norm1(double[][] a) {
        double max = 0;
        for (int j = 0; j < a.length; j++) {
            double s = 0;
            for (double[] row : a) {
                s += Math.abs(row[j]);
            }
            max = Math.max(max, s);
        }
        return max;
    }

    private static float[][] toFloat(double[][] a) {
        float[][] f = new float[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                f[i][j] = (float) a[i][j];
            }
        }
        return f;
    }

    private static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                d[i][j] = a[i][j];
            }
        }
        return d;
    }
}
