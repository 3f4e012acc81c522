package koopman4j.core.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Algorithm 1 and its refinement against brute force, closed forms and the bound on bisection steps. */
class ByersContinuousTest {

    @ParameterizedTest(name = "n = {0}, {1} draws, {2} grid points")
    @CsvSource({"5, 4, 400", "20, 3, 400", "100, 1, 120"})
    void bracketContainsBruteForceMinimumAndRefinementMatchesItForRandomStableMatrices(int n, int draws, int grid) {
        Random rng = new Random(1000 + n);
        for (int draw = 0; draw < draws; draw++) {
            double[][] a = randomStable(n, 0.05 + 0.45 * rng.nextDouble(), rng);
            StabilityResult r = Byers.continuous(a, Byers.DEFAULT_TOL, true);
            double brute = BruteForce.minOverAxis(a, grid);

            assertFalse(r.unstable());
            assertTrue(r.lower() <= brute && brute <= r.upper() * (1 + 1e-12), r + " brute force " + brute);
            assertEquals(brute, r.exact(), 1e-8 * brute, r.toString());
            assertEquals(r.exact(), BruteForce.sigmaMin(a, 0, r.omega()), 1e-13 * n);
        }
    }

    @Test
    void normalMatrixIsAsFarFromInstabilityAsItsEigenvaluesAreFromTheAxis() {
        Random rng = new Random(7);
        double[] re = {-1.3, -0.4, -2.0, -0.25};
        double[] im = {0.5, 2.0, 0.0, 1.1};
        double[][] a = BruteForce.orthogonallySimilar(blockDiagonal(re, im), rng);

        StabilityResult r = Byers.continuous(a, Byers.DEFAULT_TOL, true);

        assertEquals(0.25, r.exact(), 1e-12);
        assertEquals(1.1, r.omega(), 1e-6);
        assertTrue(r.lower() <= 0.25 && 0.25 <= r.upper());
    }

    @Test
    void nonnormalMatrixIsFarCloserToInstabilityThanItsEigenvaluesSay() {
        double[][] a = {{-1, 100}, {0, -1}};
        // σ_min² of [[a, b], [0, a]] at ω = 0: (2 + b² − √((2 + b²)² − 4))/2
        double s = 2 + 100 * 100;
        double closedForm = Math.sqrt(2 / (s + Math.sqrt(s * s - 4)));

        StabilityResult r = Byers.continuous(a, Byers.DEFAULT_TOL, true);

        assertEquals(closedForm, r.exact(), 1e-13);
        assertEquals(BruteForce.minOverAxis(a, 401), r.exact(), 1e-8 * r.exact());
        assertTrue(r.exact() < 0.01 && r.lower() <= closedForm && closedForm <= r.upper());
    }

    @Test
    void lightlyDampedOscillatorWhoseFirstBoundTouchesTheMinimum() {
        // ½‖A + Aᵀ‖ = 0.01 = β: H(0.01) has only a double eigenvalue ±5i, which rounding may split or drop
        double[][] a = {{-0.01, 5}, {-5, -0.01}};

        StabilityResult r = Byers.continuous(a, Byers.DEFAULT_TOL, true);

        assertEquals(0.01, r.exact(), 1e-14);   // σ_min is accurate to about ε‖A‖
        assertEquals(5, r.omega(), 1e-6);
    }

    @Test
    void complexMatrixIsMeasuredThroughItsRealForm() {
        // A = [[−0.5 + 2i, 3], [0, −1 − i]]: its real form [[Re, −Im], [Im, Re]] has the same β
        double[][] re = {{-0.5, 3}, {0, -1}};
        double[][] im = {{2, 0}, {0, -1}};
        double[][] realForm = new double[4][4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                realForm[i][j] = re[i][j];
                realForm[2 + i][2 + j] = re[i][j];
                realForm[i][2 + j] = -im[i][j];
                realForm[2 + i][j] = im[i][j];
            }
        }

        StabilityResult r = Byers.continuous(realForm, Byers.DEFAULT_TOL, true);

        assertEquals(complexBruteForce(re, im), r.exact(), 1e-8 * r.exact());
    }

    /** min over ω of σ_min(A − iωI) for complex A = re + i·im (±ω both, A has no symmetry). */
    private static double complexBruteForce(double[][] re, double[][] im) {
        double best = Double.POSITIVE_INFINITY;
        double w0 = 0;
        for (int k = -500; k <= 500; k++) {
            double v = complexSigmaMin(re, im, 0.01 * k);
            if (v < best) {
                best = v;
                w0 = 0.01 * k;
            }
        }
        return Math.min(best, BruteForce.golden(w -> complexSigmaMin(re, im, w), w0 - 0.01, w0 + 0.01, 1e-10));
    }

    /** σ_min(A − iωI) from the real form of the complex matrix A − iωI. */
    private static double complexSigmaMin(double[][] re, double[][] im, double w) {
        int n = re.length;
        double[][] c = new double[2 * n][2 * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ij = im[i][j] - (i == j ? w : 0);
                c[i][j] = re[i][j];
                c[n + i][n + j] = re[i][j];
                c[i][n + j] = -ij;
                c[n + i][j] = ij;
            }
        }
        return Arrays.stream(SingularOps_DDRM.singularValues(new DMatrixRMaj(c))).min().orElseThrow();
    }

    @Test
    void halfPlaneDistanceIsTheDistanceOfTheShiftedMatrix() {
        double[] re = {-1.5, -0.9, -3.0};
        double[] im = {0.7, 0.0, 2.0};
        double[][] a = BruteForce.orthogonallySimilar(blockDiagonal(re, im), new Random(3));

        StabilityResult r = Byers.halfPlane(a, -0.5, Byers.DEFAULT_TOL, true);

        assertEquals(0.4, r.exact(), 1e-12);
        assertEquals(0.0, r.omega(), 1e-6);
        assertEquals("Re z < -0.5", r.region());
        assertTrue(Byers.halfPlane(a, -0.95, Byers.DEFAULT_TOL, false).unstable());
    }

    @Test
    void bisectionBracketsWithinAFactorTenInAtMostLog2PSteps() {
        double[][] a = randomStable(12, 0.2, new Random(11));
        DMatrixRMaj sym = new DMatrixRMaj(a);
        CommonOps_DDRM.addEquals(sym, CommonOps_DDRM.transpose(new DMatrixRMaj(a), null));
        for (int p : new int[] {2, 4, 8, 16}) {
            double tol = Math.pow(10, -p);
            double tau = tol * 0.5 * NormOps_DDRM.normP2(sym);

            StabilityResult r = Byers.continuous(a, tol, false);

            assertTrue(r.bisectionIterations() <= Math.ceil(Math.log(p) / Math.log(2)), r.toString());
            assertTrue(r.upper() <= 10 * Math.max(tau, r.lower()) * (1 + 1e-12), r.toString());
            assertTrue(Double.isNaN(r.exact()) && Double.isNaN(r.omega()) && r.refinementIterations() == 0);
        }
    }

    @Test
    void matrixWithinTheToleranceOfInstabilityGetsTheBracketZeroToTenTau() {
        double a = 1e-3;
        double b = 1e3;
        double[][] m = {{-a, b}, {0, -a}};
        double tau = Byers.DEFAULT_TOL * 0.5 * (b + 2 * a);   // τ = tol·½‖A + Aᵀ‖₂, eigenvalues of A + Aᵀ: −2a ± b
        double s = 2 * a * a + b * b;
        double closedForm = a * a * Math.sqrt(2 / (s + Math.sqrt(s * s - 4 * Math.pow(a, 4))));

        StabilityResult r = Byers.continuous(m, Byers.DEFAULT_TOL, true);

        assertEquals(0, r.lower());
        assertTrue(closedForm <= r.upper() && r.upper() <= 10 * tau * (1 + 1e-12), r.toString());
        // σ_min is accurate to ε‖A‖ only: β ≈ 1e-9 against ‖A‖ = 1e3 (Theorem 3's caveat)
        assertEquals(closedForm, r.exact(), 10 * Math.ulp(b));
    }

    /** G/√n shifted so that the spectral abscissa is −distance. */
    static double[][] randomStable(int n, double distance, Random rng) {
        double[][] a = BruteForce.gaussian(n, rng);
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] /= Math.sqrt(n);
            }
        }
        double shift = Spectrum.abscissa(a) + distance;
        for (int i = 0; i < n; i++) {
            a[i][i] -= shift;
        }
        return a;
    }

    /** 2×2 blocks [[re, im], [−im, re]] (eigenvalues re ± i·im), or 1×1 blocks [re] where im = 0. */
    static double[][] blockDiagonal(double[] re, double[] im) {
        int n = 0;
        for (double v : im) {
            n += v == 0 ? 1 : 2;
        }
        double[][] d = new double[n][n];
        int k = 0;
        for (int b = 0; b < re.length; b++) {
            d[k][k] = re[b];
            if (im[b] != 0) {
                d[k][k + 1] = im[b];
                d[k + 1][k] = -im[b];
                d[k + 1][k + 1] = re[b];
                k++;
            }
            k++;
        }
        return d;
    }
}
