package koopman4j.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OneNormEstimatorTest {

    @Test
    void estimatesOfPowerNormsAreLowerBoundsWithinFactorThree() {
        for (int n : new int[] {5, 30, 60}) {
            double[] a = RowMajor.square("test", "A", Matrices.gaussian(n, n, 1, n));
            OneNormEstimator estimator = new OneNormEstimator(a, n);
            double[] power = a.clone();
            for (int p = 1; p <= 9; p++) {
                double exact = Blocks.float64(Gemm.plainJava()).norm1(power, n, n);
                double estimate = estimator.powerNorm(p);
                assertTrue(estimate <= exact * (1 + 1e-12) && estimate >= exact / 3, "n = " + n + " p = " + p + ": " + estimate + " vs " + exact);
                if (n <= 8) {
                    assertEquals(exact, estimate, 1e-12 * exact, "small n is exact");
                }
                power = Blocks.float64(Gemm.plainJava()).product(power, a, n);
            }
        }
    }

    @Test
    void nonnegativeMatrixIsEstimatedExactly() {
        int n = 40;
        double[] a = RowMajor.square("test", "A", Matrices.gaussian(n, n, 1, 4));
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(a[i]);
        }
        double exact = Blocks.float64(Gemm.plainJava()).norm1(Blocks.float64(Gemm.plainJava()).product(a, a, n), n, n);
        assertEquals(exact, new OneNormEstimator(a, n).powerNorm(2), 1e-12 * exact);
    }
}
