package koopman4j.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpmTest {
    private static final double U64 = 0x1p-53;
    private static final double U32 = 0x1p-24;

    @Test
    void optimizedEvaluationsAreTheTaylorPolynomials() {
        Blocks<double[]> ops = Blocks.float64(Gemm.plainJava());
        for (int q : new int[] {1, 2, 4, 8, 12, 18}) {
            for (double x : new double[] {-1.0, -0.3, 0.2, 0.7, 1.0}) {
                double expected = 0;
                double term = 1;
                for (int k = 0; k <= q; k++) {
                    expected += term;
                    term *= x / (k + 1);
                }
                double actual = Expm.taylor(ops, q, new double[] {x}, 1)[0];
                assertEquals(expected, actual, 4 * U64 * Math.abs(expected) + 1e-16, "T_" + q + "(" + x + ")");
            }
        }
    }

    @Test
    void expmMatchesClosedFormForTriangularTwoByTwo() {
        double a = -0.7;
        double b = 3.0;
        double d = 0.4;
        double[][] e = Expm.exp(new double[][] {{a, b}, {0, d}});
        double[][] closed = {{Math.exp(a), b * (Math.exp(a) - Math.exp(d)) / (a - d)}, {0, Math.exp(d)}};
        assertTrue(Matrices.componentwiseError(e, closed) <= 10 * U64, "error " + Matrices.componentwiseError(e, closed));
    }

    @Test
    void expmMatchesClosedFormForRotation() {
        for (double angle : new double[] {0.5, 3.0, 40.0}) {
            double[][] e = Expm.exp(new double[][] {{0, -angle}, {angle, 0}});
            double[][] closed = {{Math.cos(angle), -Math.sin(angle)}, {Math.sin(angle), Math.cos(angle)}};
            // squaring a rotation loses what cond(e^A) allows: ~ s·u with s = log2(angle/θ18)
            assertTrue(Matrices.relativeError(e, closed) <= 10 * U64 * Math.max(1, angle), "angle " + angle + " error " + Matrices.relativeError(e, closed));
        }
    }

    @Test
    void expmMatchesHighPrecisionReferenceForRandomNonnormalMatrices() {
        for (long seed = 1; seed <= 4; seed++) {
            double[][] a = Matrices.gaussian(6, 6, 0.6 * seed, seed);
            double[][] ref = HighPrecision.expmDouble(a, 1);
            double error = Matrices.relativeError(Expm.exp(a), ref);
            assertTrue(error <= 10 * U64, "seed " + seed + " error " + error);
            float[][] af = Matrices.toFloat(a);
            double refSingle = Matrices.relativeError(Expm.exp(af), HighPrecision.expmDouble(Matrices.toDouble(af), 1));
            assertTrue(refSingle <= 10 * U32, "seed " + seed + " single error " + refSingle);
        }
    }

    @Test
    void expmOfStiffUpperTriangularMatchesClosedForm() {
        double[][] e = Expm.exp(new double[][] {{-1e10, 1}, {0, -1}});
        double offDiagonal = Math.exp(-1) / (1e10 - 1);
        assertEquals(0, e[0][0]);
        assertEquals(0, e[1][0]);
        assertEquals(Math.exp(-1), e[1][1], 10 * U64 * Math.exp(-1));
        assertEquals(offDiagonal, e[0][1], 10 * U64 * offDiagonal);
    }

    @Test
    void frechetAdjointMatchesCentralDifferencesOfTheExponential() {
        double[][] x = {{-0.7, 0.4, 1.0}, {0.2, -1.3, 0.5}, {0.0, 0.3, -0.2}};
        double[][] g = {{0.3, -1.0, 0.2}, {0.5, 0.1, -0.4}, {1.2, 0.0, 0.7}};
        double[][] adjoint = Expm.frechetAdjoint(x, g);
        double eps = 1e-5;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double[][] plus = new double[3][];
                double[][] minus = new double[3][];
                for (int r = 0; r < 3; r++) {
                    plus[r] = x[r].clone();
                    minus[r] = x[r].clone();
                }
                plus[i][j] += eps;
                minus[i][j] -= eps;
                double difference = (frobenius(g, Expm.exp(plus)) - frobenius(g, Expm.exp(minus))) / (2 * eps);
                assertEquals(difference, adjoint[i][j], 1e-9, "entry " + i + "," + j);
            }
        }
    }

    @Test
    void frechetAdjointOfAStiffDiagonalIsTheDividedDifferences() {
        // X = diag(λ): L(X, G)_ij = G_ij (e^λi − e^λj)/(λi − λj), and G_ii e^λi on the diagonal
        double[] lambda = {-1e6, -1.0, -1e-3, 2.0};
        double[][] x = new double[4][4];
        double[][] g = new double[4][4];
        for (int i = 0; i < 4; i++) {
            x[i][i] = lambda[i];
            for (int j = 0; j < 4; j++) {
                g[i][j] = 1 + i - 0.5 * j;
            }
        }
        double[][] adjoint = Expm.frechetAdjoint(x, g);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double expected = g[i][j] * (i == j ? Math.exp(lambda[i])
                        : (Math.exp(lambda[i]) - Math.exp(lambda[j])) / (lambda[i] - lambda[j]));
                assertEquals(expected, adjoint[i][j], 1e-13 * Math.max(1, Math.abs(expected)), "entry " + i + "," + j);
            }
        }
    }

    @Test
    void frechetAdjointRefusesMismatchedOrders() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Expm.frechetAdjoint(new double[2][2], new double[3][3]));
        assertEquals("expm: G is 3×3 for X of order 2", e.getMessage());
    }

    private static double frobenius(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                s += a[i][j] * b[i][j];
            }
        }
        return s;
    }
}
