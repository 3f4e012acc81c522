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
}
