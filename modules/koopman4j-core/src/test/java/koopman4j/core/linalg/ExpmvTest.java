package koopman4j.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ExpmvTest {
    private static final double U64 = 0x1p-53;
    private static final double U32 = 0x1p-24;

    /** Checks the automatic choice and both paths against ref, in double and (from float-rounded input) single. */
    private static void assertAllPathsMatch(double[][] a, double[][] b, double t, double[][] ref, double[][] refSingle, String what) {
        assertWithin(Expmv.apply(a, b, t), ref, 10 * U64, what + " auto");
        assertWithin(Paths.taylor(a, b, t), ref, 10 * U64, what + " taylor");
        assertWithin(Paths.dense(a, b, t), ref, 10 * U64, what + " dense");
        float[][] af = Matrices.toFloat(a);
        float[][] bf = Matrices.toFloat(b);
        assertWithin(Matrices.toDouble(Expmv.apply(af, bf, t)), refSingle, 10 * U32, what + " single auto");
        assertWithin(Matrices.toDouble(Paths.taylor(af, bf, t)), refSingle, 10 * U32, what + " single taylor");
        assertWithin(Matrices.toDouble(Paths.dense(af, bf, t)), refSingle, 10 * U32, what + " single dense");
    }

    private static void assertWithin(double[][] x, double[][] ref, double bound, String what) {
        double error = Matrices.relativeError(x, ref);
        assertTrue(error <= bound, what + ": relative error " + error + " > " + bound);
    }

    /** e^{tA}B from the high-precision reference, for double input and for the input rounded to float. */
    private static void assertAllPathsMatchReference(double[][] a, double[][] b, double t, String what) {
        double[][] refSingle = HighPrecision.expmv(Matrices.toDouble(Matrices.toFloat(a)), Matrices.toDouble(Matrices.toFloat(b)), t);
        assertAllPathsMatch(a, b, t, HighPrecision.expmv(a, b, t), refSingle, what);
    }

    @Test
    void expmvMatchesClosedFormForTwoByTwoJordanBlock() {
        double a = -0.7;
        double b = 3.0;
        double t = 1.3;
        double e = Math.exp(a * t);
        double[][] closed = {{e, b * t * e}, {0, e}};                  // e^{at}[[1, bt], [0, 1]]
        double[][] m = {{a, b}, {0, a}};
        // a and b are not floats: the single reference is the closed form of the rounded entries
        double af = (float) a;
        double bf = (float) b;
        double ef = Math.exp(af * t);
        assertAllPathsMatch(m, Matrices.identity(2), t, closed, new double[][] {{ef, bf * t * ef}, {0, ef}}, "[[a, b], [0, a]]");
    }

    @Test
    void expmvMatchesClosedFormForJordanBlockOfOrderFive() {
        double lambda = -0.25;
        double t = 2.0;
        double[][] j = new double[5][5];
        double[][] closed = new double[5][5];
        for (int r = 0; r < 5; r++) {
            j[r][r] = lambda;
            if (r < 4) {
                j[r][r + 1] = 1;
            }
            for (int c = r; c < 5; c++) {
                closed[r][c] = Math.exp(lambda * t) * Math.pow(t, c - r) / factorial(c - r);   // e^{λt} t^k/k!
            }
        }
        assertAllPathsMatch(j, Matrices.identity(5), t, closed, closed, "J5(-1/4)");
    }

    @Test
    void expmvMatchesClosedFormForRotations() {
        for (double angle : new double[] {0.5, 1.5, 3.0}) {
            double[][] closed = {{Math.cos(angle), -Math.sin(angle)}, {Math.sin(angle), Math.cos(angle)}};
            assertAllPathsMatch(new double[][] {{0, -1}, {1, 0}}, Matrices.identity(2), angle, closed, closed, "rotation by " + angle);
        }
    }

    @Test
    void expmvMatchesHighPrecisionReferenceForRandomNonnormalMatrices() {
        for (long seed = 1; seed <= 3; seed++) {
            double[][] a = Matrices.gaussian(7, 7, 0.5, seed);
            for (int i = 0; i < 7; i++) {
                for (int j = i + 1; j < 7; j++) {
                    a[i][j] *= 4;                                          // strong upper part: far from normal
                }
            }
            assertAllPathsMatchReference(a, Matrices.gaussian(7, 3, 1, 100 + seed), 1.5, "random nonnormal, seed " + seed);
        }
    }

    @Test
    void vectorAndBlockFormsAgree() {
        double[][] a = Matrices.gaussian(5, 5, 0.7, 11);
        double[][] b = Matrices.gaussian(5, 1, 1, 12);
        double[] v = {b[0][0], b[1][0], b[2][0], b[3][0], b[4][0]};
        double[][] block = Expmv.apply(a, b, 0.9);
        double[] vector = Expmv.apply(a, v, 0.9);
        for (int i = 0; i < 5; i++) {
            assertEquals(block[i][0], vector[i]);
        }
        float[] vf = Expmv.apply(Matrices.toFloat(a), new float[] {(float) v[0], (float) v[1], (float) v[2], (float) v[3], (float) v[4]}, 0.9);
        float[][] bf = Expmv.apply(Matrices.toFloat(a), Matrices.toFloat(b), 0.9);
        for (int i = 0; i < 5; i++) {
            assertEquals(bf[i][0], vf[i]);
        }
    }

    // Stiff inputs. SciPy 1.10.1's scipy.linalg.expm on the same matrices (run once offline with Debian's
    // python3-scipy: /usr/bin/python3, float64 then float32 input) returned NaN for [[-1e10, 1], [0, -1]] in
    // both precisions and NaN for every float32 case; its float64 results are pasted below where finite.

    @Test
    void stiffTriangularMatrixTakesDensePathWithoutOverflow() {
        double[][] a = {{-1e10, 1}, {0, -1}};
        Expmv.Plan plan = Expmv.plan(a, 1, Precision.DOUBLE, 2);
        assertTrue(plan.m() * (double) plan.s() > 1e8, "Taylor would need " + plan.m() + " x " + plan.s() + " products");
        assertTrue(Expmv.denseIsCheaper(plan, 1e10 + 1, 2, 2, Precision.DOUBLE));
        double[][] x = Expmv.apply(a, Matrices.identity(2), 1);
        double[][] closed = {{0, Math.exp(-1) / (1e10 - 1)}, {0, Math.exp(-1)}};   // e^{-1e10} underflows to 0
        assertTrue(Matrices.allFinite(x));
        assertTrue(Matrices.componentwiseError(x, closed) <= 10 * U64, "componentwise error " + Matrices.componentwiseError(x, closed));
        float[][] xf = Expmv.apply(Matrices.toFloat(a), Matrices.toFloat(Matrices.identity(2)), 1);
        assertTrue(Matrices.componentwiseError(Matrices.toDouble(xf), closed) <= 10 * U32);
    }

    @Test
    void stiffCoupledMatrixIsMoreAccurateThanScipy() {
        double[][] a = {{-1e10, 1, 0}, {0, -1e6, 1}, {0.5, 0, -1}};
        double[][] scipy = {
            {1.839399045641902e-27, 1.8394008850426904e-33, 3.6787980909159287e-17},
            {1.8393990454579616e-17, 1.83940088485875e-23, 3.678798090548048e-07},
            {1.8393972060590146e-11, 1.8393990454579637e-17, 0.3678794411750154}};
        assertNoWorseThanScipy(a, 1, scipy, 10 * U64);
    }

    @Test
    void stiffDiagonalWithCouplingIsMoreAccurateThanScipy() {
        double[][] a = {{-1e10, 2, 0, 0, 1}, {0.5, -1e8, 1, 0, 0}, {0, 3, -1e4, 1, 0}, {0, 0, 2, -1, 0.5}, {1, 0, 0, 0.25, -0.1}};
        double[][] scipy = {
            {9.480672365292988e-21, 9.134710369032332e-23, 3.0448971528564424e-15, 1.5225333792802805e-11, 9.480672365269747e-11},
            {3.044901876228045e-23, 2.4008515111677643e-24, 8.002836275835955e-17, 4.001094194409034e-13, 3.044901876385649e-13},
            {3.0448971528524386e-15, 2.400851034995644e-16, 8.002834688598693e-09, 4.0010934007516645e-05, 3.0448971530100425e-05},
            {3.0450667585565575e-11, 2.400656668898758e-12, 8.002186801503329e-05, 0.4000769493832451, 0.30450667587141445},
            {9.480672365268219e-11, 9.134710369493133e-13, 3.0448971530100425e-05, 0.15225333793570725, 0.9480672365244979}};
        assertNoWorseThanScipy(a, 1, scipy, 10 * U64);
    }

    @Test
    void robertsonJacobianOverALongStepIsMoreAccurateThanScipy() {
        double y2 = 1e-5;
        double y3 = 0.3;
        double[][] jacobian = {{-0.04, 1e4 * y3, 1e4 * y2}, {0.04, -1e4 * y3 - 6e7 * y2, -1e4 * y2}, {0, 6e7 * y2, 0}};
        double h = 1.7e6;                                                    // ‖hJ‖₁ ≈ 1.2·10¹⁰
        double[][] scipy = {
            {0.7142857252844675, 0.714285725284147, 0.714285725282543},
            {2.1377174923579536e-17, 2.137717492356995e-17, 2.137717492352194e-17},
            {0.28571429011301724, 0.28571429011288907, 0.28571429011224736}};
        // e^{hJ} is the projector onto J's null space: κ_exp ≥ ‖hJ‖ bounds what any method can promise
        assertNoWorseThanScipy(jacobian, h, scipy, 1e-11);
        double[][] x = Expmv.apply(jacobian, Matrices.identity(3), h);
        for (int c = 0; c < 3; c++) {
            assertEquals(1.0, x[0][c] + x[1][c] + x[2][c], 1e-11, "column sums of e^{hJ} are 1: J conserves y1 + y2 + y3");
        }
        float[][] xf = Expmv.apply(Matrices.toFloat(jacobian), Matrices.toFloat(Matrices.identity(3)), h);
        assertTrue(Matrices.allFinite(Matrices.toDouble(xf)), "single precision stays finite");
    }

    private static void assertNoWorseThanScipy(double[][] a, double t, double[][] scipy, double bound) {
        double[][] ref = HighPrecision.expmv(a, Matrices.identity(a.length), t);
        double scipyError = Matrices.relativeError(scipy, ref);
        double[][] x = Expmv.apply(a, Matrices.identity(a.length), t);
        assertTrue(Matrices.allFinite(x));
        double error = Matrices.relativeError(x, ref);
        assertTrue(error <= scipyError, "error " + error + " vs SciPy's " + scipyError);
        assertTrue(error <= bound, "error " + error + " > " + bound);
    }

    @Test
    void moderatelyStiffMatrixTakesDensePathAndTaylorPathStaysAccurate() {
        double[][] a = {{-1e3, 1}, {0, -1}};
        double[][] b = Matrices.gaussian(2, 3, 1, 5);
        double[][] ref = HighPrecision.expmv(a, b, 1);
        Expmv.Plan plan = Expmv.plan(a, 1, Precision.DOUBLE, 3);
        assertTrue(Expmv.denseIsCheaper(plan, 1001, 2, 3, Precision.DOUBLE));
        assertWithin(Expmv.apply(a, b, 1), ref, 10 * U64, "auto");
        // s steps each round the slow mode once: the Taylor path's error grows like s·u
        assertWithin(Paths.taylor(a, b, 1), ref, 10 * plan.s() * U64, "taylor, s = " + plan.s());
    }

    @Test
    void costModelPicksTaylorForNarrowBlocksAndDenseForWideOnes() {
        int n = 64;
        double[][] a = Matrices.gaussian(n, n, 1 / Math.sqrt(n), 3);
        double norm = Expmv.denseNorm(RowMajor.square("test", "A", a), n, 1);
        assertFalse(Expmv.denseIsCheaper(Expmv.plan(a, 1, Precision.DOUBLE, 8), norm, n, 8, Precision.DOUBLE));
        assertTrue(Expmv.denseIsCheaper(Expmv.plan(a, 1, Precision.DOUBLE, 256), norm, n, 256, Precision.DOUBLE));
    }

    @Test
    void planOfZeroMatrixIsOneStepOfDegreeZero() {
        assertEquals(new Expmv.Plan(0, 1, 2.0, 0), Expmv.plan(new double[][] {{2, 0}, {0, 2}}, 3, Precision.DOUBLE, 1));
    }

    @Test
    void planForUnitNormPicksCheapestDegree() {
        double[][] a = {{0, 1}, {0, 0}};
        // ‖A‖₁ = 1 passes (3.13): C_m = m·⌈1/θ_m⌉ is least at θ₁₈ = 1.09 (double), θ₁₁ = 1.22 (single)
        assertEquals(new Expmv.Plan(18, 1, 0, 1), Expmv.plan(a, 1, Precision.DOUBLE, 1));
        assertEquals(new Expmv.Plan(11, 1, 0, 1), Expmv.plan(a, 1, Precision.SINGLE, 1));
    }

    @Test
    void planSeesThatNilpotentMatrixNeedsDegreeOne() {
        double[][] a = {{0, 1e3}, {0, 0}};
        Expmv.Plan plan = Expmv.plan(a, 1, Precision.DOUBLE, 1);
        // ‖A‖₁ = 1000 but A² = 0: every α_p is 0 and T₁ = I + A is exact
        assertEquals(1, plan.m());
        assertEquals(1, plan.s());
        double[][] x = Paths.taylor(a, new double[][] {{1}, {2}}, 1);
        assertEquals(2001, x[0][0]);
        assertEquals(2, x[1][0]);
    }

    @Test
    void planNormEstimateNeverExceedsOneNormOfShiftedMatrix() {
        double[][] a = Matrices.gaussian(40, 40, 1, 9);
        Expmv.Plan plan = Expmv.plan(a, 0.5, Precision.DOUBLE, 8);
        double[] shifted = RowMajor.square("test", "A", a);
        for (int i = 0; i < 40; i++) {
            shifted[i * 40 + i] -= plan.mu();
        }
        assertTrue(plan.normEstimate() <= 0.5 * Blocks.float64(Gemm.plainJava()).norm1(shifted, 40, 40));
        assertTrue(plan.normEstimate() / Precision.DOUBLE.theta(plan.m()) <= plan.s());
    }

    @Test
    void rejectsBadInputWithOneLineMessages() {
        double[][] ok = {{1, 0}, {0, 1}};
        assertMessage("expmv: A is 2 x 3, expected a square matrix", () -> Expmv.apply(new double[][] {{1, 2, 3}, {4, 5, 6}}, ok, 1));
        assertMessage("expmv: A row 1 has 1 entries, row 0 has 2", () -> Expmv.apply(new double[][] {{1, 2}, {3}}, ok, 1));
        assertMessage("expmv: A is empty, expected a square matrix", () -> Expmv.apply(new double[0][], ok, 1));
        assertMessage("expmv: A is missing, expected a square matrix", () -> Expmv.apply((double[][]) null, ok, 1));
        assertMessage("expmv: B has 3 rows, expected 2 (the order of A)", () -> Expmv.apply(ok, new double[][] {{1}, {2}, {3}}, 1));
        assertMessage("expmv: b has 3 entries, expected 2 (the order of A)", () -> Expmv.apply(ok, new double[] {1, 2, 3}, 1));
        assertMessage("expmv: A[1][0] is NaN, expected a finite number", () -> Expmv.apply(new double[][] {{1, 0}, {Double.NaN, 1}}, ok, 1));
        assertMessage("expmv: B[0][1] is Infinity, expected a finite number", () -> Expmv.apply(ok, new double[][] {{1, Double.POSITIVE_INFINITY}, {0, 1}}, 1));
        assertMessage("expmv: b[1] is -Infinity, expected a finite number", () -> Expmv.apply(ok, new double[] {0, Double.NEGATIVE_INFINITY}, 1));
        assertMessage("expmv: t is NaN, expected a finite number", () -> Expmv.apply(ok, ok, Double.NaN));
        assertMessage("expmv: t is Infinity, expected a finite number", () -> Expmv.plan(ok, Double.POSITIVE_INFINITY, Precision.DOUBLE, 1));
        assertMessage("expmv: A[0][0] is NaN, expected a finite number",
                () -> Expmv.apply(new float[][] {{Float.NaN, 0}, {0, 1}}, new float[][] {{1}, {1}}, 1));
        assertMessage("expmv: B has 1 rows, expected 2 (the order of A)",
                () -> Expmv.apply(new float[][] {{1, 0}, {0, 1}}, new float[][] {{1}}, 1));
        assertMessage("expm: A is 1 x 2, expected a square matrix", () -> Expm.exp(new double[][] {{1, 2}}));
        assertMessage("expm: A[0][1] is Infinity, expected a finite number", () -> Expm.exp(new float[][] {{1, Float.POSITIVE_INFINITY}, {0, 1}}));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(InvalidDataException.class, call).getMessage());
    }

    private static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }
}
