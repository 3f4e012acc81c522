package koopman4j.core.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Algorithm 2 (unit circle) and the disk of §4, against brute force over θ and closed forms. */
class ByersDiscreteTest {

    @Test
    void normalMatrixIsAsFarFromInstabilityAsItsEigenvaluesAreFromTheCircle() {
        double[] r = {0.5, 0.9, 0.3, 0.75};
        double[] phi = {0.4, 2.2, 0, Math.PI};
        double[][] a = BruteForce.orthogonallySimilar(polarBlocks(r, phi), new Random(5));

        StabilityResult result = Byers.discrete(a, Byers.DEFAULT_TOL, true);

        assertFalse(result.unstable());
        assertEquals(0.1, result.exact(), 1e-12);
        assertEquals(2.2, result.omega(), 1e-6);
        assertTrue(result.lower() <= 0.1 && 0.1 <= result.upper() * (1 + 1e-12), result.toString());
        assertEquals("|z| < 1", result.region());
    }

    @Test
    void matrixWhoseFirstBoundIsTheLargestValueOnTheCircle() {
        // eigenvalues −0.3 ± 0.7i: σ_min(A − I) is the maximum Γ(A) of Theorem 4, touched only at θ = 0
        double[][] a = BruteForce.orthogonallySimilar(polarBlocks(new double[] {Math.hypot(0.3, 0.7)},
                new double[] {Math.atan2(0.7, -0.3)}), new Random(13));

        StabilityResult r = Byers.discrete(a, Byers.DEFAULT_TOL, true);

        assertEquals(1 - Math.hypot(0.3, 0.7), r.exact(), 1e-12);
        assertEquals(Math.atan2(0.7, -0.3), r.omega(), 1e-6);
    }

    @ParameterizedTest(name = "n = {0}, {1} draws")
    @CsvSource({"5, 4", "20, 3", "40, 1"})
    void bracketContainsBruteForceMinimumAndRefinementMatchesItForRandomStableMatrices(int n, int draws) {
        Random rng = new Random(2000 + n);
        for (int draw = 0; draw < draws; draw++) {
            double[][] a = BruteForce.gaussian(n, rng);
            double scale = (0.5 + 0.45 * rng.nextDouble()) / Spectrum.radius(a);
            for (double[] row : a) {
                for (int j = 0; j < n; j++) {
                    row[j] *= scale;
                }
            }
            StabilityResult r = Byers.discrete(a, Byers.DEFAULT_TOL, true);
            double brute = BruteForce.minOverCircle(a, 5 * n + 200);

            assertTrue(r.lower() <= brute && brute <= r.upper() * (1 + 1e-12), r + " brute force " + brute);
            assertEquals(brute, r.exact(), 1e-8 * brute, r.toString());
            assertEquals(r.exact(), BruteForce.sigmaMin(a, Math.cos(r.omega()), Math.sin(r.omega())), 1e-13 * n);
        }
    }

    @Test
    void nonnormalMatrixMatchesBruteForce() {
        double[][] a = {{0.5, 4}, {0, -0.6}};

        StabilityResult r = Byers.discrete(a, Byers.DEFAULT_TOL, true);
        double brute = BruteForce.minOverCircle(a, 2001);

        assertTrue(r.lower() <= brute && brute <= r.upper());
        assertEquals(brute, r.exact(), 1e-8 * brute);
        assertTrue(r.exact() < 0.4, "far below 1 − ρ(A) = 0.4: " + r);
    }

    @Test
    void singularMatrixIsHandled() {
        double[][] a = {{0, 1, 0}, {0, 0, 1}, {0, 0, 0}};   // nilpotent: F(σ) of eq. (9) is singular

        StabilityResult r = Byers.discrete(a, Byers.DEFAULT_TOL, true);

        assertEquals(BruteForce.minOverCircle(a, 2001), r.exact(), 1e-8 * r.exact());
    }

    @Test
    void diskDistanceIsTheScaledUnitCircleDistance() {
        double[] r = {0.5, 1.2, 0.8};
        double[] phi = {1.0, 0, 2.5};
        double[][] d = polarBlocks(r, phi);
        double center = 0.3;
        for (int i = 0; i < d.length; i++) {
            d[i][i] += center;
        }
        double[][] a = BruteForce.orthogonallySimilar(d, new Random(9));

        StabilityResult result = Byers.disk(a, center, 2, Byers.DEFAULT_TOL, true);

        assertEquals(0.8, result.exact(), 1e-12);    // 2 − 1.2
        assertEquals(0.0, result.omega(), 1e-6);
        assertTrue(result.lower() <= 0.8 && 0.8 <= result.upper() * (1 + 1e-12), result.toString());
        assertTrue(Byers.disk(a, center, 1.1, Byers.DEFAULT_TOL, true).unstable());
    }

    @Test
    void rawDistanceToTheCircleIsReportedForUnstableMatrices() {
        double[][] a = {{2, 0}, {0, 0.5}};

        StabilityResult raw = Byers.unitCircleDistance(a, Byers.DEFAULT_TOL, true);

        assertTrue(raw.unstable());
        assertEquals(0.5, raw.exact(), 1e-12);
        assertEquals(0, Byers.discrete(a, Byers.DEFAULT_TOL, true).exact());
    }

    /** 2×2 blocks r·[[cos φ, sin φ], [−sin φ, cos φ]] (eigenvalues r·e^{±iφ}), or [r·cos φ] where sin φ = 0. */
    static double[][] polarBlocks(double[] r, double[] phi) {
        double[] re = new double[r.length];
        double[] im = new double[r.length];
        for (int k = 0; k < r.length; k++) {
            re[k] = r[k] * Math.cos(phi[k]);
            im[k] = phi[k] == 0 || phi[k] == Math.PI ? 0 : r[k] * Math.sin(phi[k]);
        }
        return ByersContinuousTest.blockDiagonal(re, im);
    }
}
