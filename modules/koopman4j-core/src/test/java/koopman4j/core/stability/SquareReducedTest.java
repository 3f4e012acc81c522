package koopman4j.core.stability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The imaginary-eigenvalue test behind Theorems 1 and 4, against unstructured eigenvalues and SVDs. */
class SquareReducedTest {

    @Test
    void imaginaryEigenvaluesMatchThoseOfAnUnstructuredSolver() {
        Random rng = new Random(17);
        int n = 7;
        double[][] e = BruteForce.gaussian(n, rng);
        double[][] g = symmetric(BruteForce.gaussian(n, rng));
        double[][] f = symmetric(BruteForce.gaussian(n, rng));
        double[][] m = new double[2 * n][2 * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = e[i][j];
                m[n + i][n + j] = -e[j][i];
                m[i][n + j] = g[i][j];
                m[n + i][j] = f[i][j];
            }
        }
        double[] expected = Arrays.stream(BruteForce.eigenvalues(m))
                .filter(mu -> Math.abs(mu[0]) < 1e-9 && mu[1] >= 0)
                .mapToDouble(mu -> mu[1]).sorted().toArray();

        double[] omega = SquareReduced.imaginaryEigenvalues(copy(m));

        assertTrue(expected.length > 0, "test matrix should have imaginary eigenvalues");
        assertArrayEquals(expected, omega, 1e-10);
    }

    @Test
    void axisCrossingsAreFrequenciesWhereSigmaIsASingularValue() {
        double[][] a = ByersContinuousTest.randomStable(6, 0.1, new Random(23));
        Boundary.ImaginaryAxis axis = new Boundary.ImaginaryAxis(new DMatrixRMaj(a));
        double sigma = 0.5;

        double[] omega = axis.crossings(sigma);

        assertTrue(omega.length > 0);
        for (double w : omega) {
            assertEquals(0, distanceToSingularValues(a, 0, w, sigma), 1e-10, "omega " + w);
        }
    }

    @Test
    void circleCrossingsAreAnglesWhereSigmaIsASingularValueForBothCayleyPoles() {
        double[][] a = BruteForce.gaussian(6, new Random(29));
        double scale = 0.8 / Spectrum.radius(a);
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= scale;
            }
        }
        Boundary.UnitCircle circle = new Boundary.UnitCircle(new DMatrixRMaj(a));
        double atZero = BruteForce.sigmaMin(a, 1, 0);
        double atPi = BruteForce.sigmaMin(a, -1, 0);
        // near σ_min(A − I) the transform with its pole at z = 1 is nearly singular, near σ_min(A + I) the one at z = −1
        for (double sigma : new double[] {1.001 * atZero, 1.001 * atPi, 0.5 * (atZero + atPi)}) {
            double[] theta = circle.crossings(sigma);
            assertTrue(theta.length > 0, "sigma " + sigma);
            for (double t : theta) {
                assertTrue(t >= 0 && t <= Math.PI);
                assertEquals(0, distanceToSingularValues(a, Math.cos(t), Math.sin(t), sigma), 1e-9,
                        "sigma " + sigma + " theta " + t);
            }
        }
    }

    /** min_k |σ_k(A − (x + iy)I) − σ|. */
    private static double distanceToSingularValues(double[][] a, double x, double y, double sigma) {
        int n = a.length;
        DMatrixRMaj c = new DMatrixRMaj(2 * n, 2 * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double re = a[i][j] - (i == j ? x : 0);
                c.set(i, j, re);
                c.set(n + i, n + j, re);
            }
            c.set(i, n + i, y);
            c.set(n + i, i, -y);
        }
        return Arrays.stream(org.ejml.dense.row.SingularOps_DDRM.singularValues(c))
                .map(s -> Math.abs(s - sigma)).min().orElseThrow();
    }

    private static double[][] symmetric(double[][] x) {
        int n = x.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = 0.5 * (x[i][j] + x[j][i]);
            }
        }
        return s;
    }

    private static double[][] copy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }
}
