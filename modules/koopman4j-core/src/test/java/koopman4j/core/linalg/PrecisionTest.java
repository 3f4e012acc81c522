package koopman4j.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class PrecisionTest {

    @Test
    void thetaMatchesTable31OfAlMohyHigham() {
        // Table 3.1 (m = 5, 10, ..., 55), two significant digits; the double row as SciPy quotes it
        double[] single = {1.3e-1, 1.0e0, 2.2e0, 3.6e0, 4.9e0, 6.3e0, 7.7e0, 9.1e0, 1.1e1, 1.2e1, 1.3e1};
        double[] dbl = {2.4e-3, 1.4e-1, 6.4e-1, 1.4e0, 2.4e0, 3.5e0, 4.7e0, 6.0e0, 7.2e0, 8.5e0, 9.9e0};
        for (int i = 0; i < 11; i++) {
            int m = 5 * (i + 1);
            assertEquals(single[i], round(Precision.SINGLE.theta(m), 2), "single m = " + m);
            assertEquals(dbl[i], round(Precision.DOUBLE.theta(m), 2), "double m = " + m);
        }
    }

    @Test
    void thetaMatchesScipyForDegreesTwoToThirty() {
        // scipy/sparse/linalg/_expm_multiply.py, _theta (from Higham & Al-Mohy 2010, Table A.3), three digits.
        // Its m = 8 and 16 entries (5.00e-2, 7.81e-1) sit 0.2% above θ₈ = 0.0499123, θ₁₆ = 0.780287, which the
        // definition and PyTorch both give; its m = 1 entry, 2.29e-16, is not θ₁ = 2u = 2⁻⁵² and is left out.
        double[] scipy = {2.58e-8, 1.39e-5, 3.40e-4, 2.40e-3, 9.07e-3, 2.38e-2, 5.00e-2, 8.96e-2, 1.44e-1, 2.14e-1,
            3.00e-1, 4.00e-1, 5.14e-1, 6.41e-1, 7.81e-1, 9.31e-1, 1.09, 1.26, 1.44, 1.62, 1.82, 2.01, 2.22, 2.43, 2.64,
            2.86, 3.08, 3.31, 3.54};
        for (int m = 2; m <= 30; m++) {
            assertEquals(scipy[m - 2], Precision.DOUBLE.theta(m), 5e-3 * scipy[m - 2], "m = " + m);   // three digits
        }
        assertEquals(0x1p-52, Precision.DOUBLE.theta(1), 1e-21);
        assertEquals(0x1p-23, Precision.SINGLE.theta(1), 1e-12);
    }

    @Test
    void thetaMatchesPytorchMatrixExpThresholds() {
        // aten/src/ATen/native/LinearAlgebra.cpp, thetas_float / thetas_double for degrees 1, 2, 4, 8, 12, 18
        int[] degrees = {1, 2, 4, 8, 12, 18};
        double[] f = {1.192092800768788e-07, 5.978858893805233e-04, 5.116619363445086e-02, 5.800524627688768e-01,
            1.461661507209034e+00, 3.010066362817634e+00};
        double[] d = {2.220446049250313e-16, 2.580956802971767e-08, 3.397168839976962e-04, 4.991228871115323e-02,
            2.996158913811580e-01, 1.090863719290036e+00};
        for (int i = 0; i < degrees.length; i++) {
            assertEquals(f[i], Precision.SINGLE.theta(degrees[i]), 5e-6 * f[i], "single degree " + degrees[i]);
            assertEquals(d[i], Precision.DOUBLE.theta(degrees[i]), 5e-6 * d[i], "double degree " + degrees[i]);
        }
    }

    @Test
    void thetaSatisfiesItsDefinition() {
        // the definition (Al-Mohy & Higham 2011, §3): h̃_{m+1}(θ_m)/θ_m = u, h_{m+1}(x) = log(e^{−x} T_m(x)); six digits of θ fix the ratio to ~m·10⁻⁵
        for (Precision p : Precision.values()) {
            for (int m : new int[] {2, 5, 12, 18, 30, 55}) {
                double ratio = hTildeOverX(m, p.theta(m)) / p.tolerance();
                assertEquals(1.0, ratio, 2e-5 * m, p + " m = " + m);
            }
        }
    }

    @Test
    void degreeLimitsFollowTheRoundingBudget() {
        assertEquals(55, Precision.DOUBLE.mMax());
        assertEquals(8, Precision.DOUBLE.pMax());
        assertEquals(17, Precision.SINGLE.mMax());
        assertEquals(4, Precision.SINGLE.pMax());
        for (Precision p : Precision.values()) {
            int pMax = p.pMax();
            assertTrue(pMax * (pMax - 1) <= p.mMax() + 1 && (pMax + 1) * pMax > p.mMax() + 1);
        }
    }

    /** Σ_{k>m} |c_k| θ^{k−1} for the series of log(e^{−x}T_m(x)), in 40-digit arithmetic. */
    private static double hTildeOverX(int m, double theta) {
        MathContext mc = new MathContext(40);
        int terms = 4 * m + 160;
        BigDecimal[] inverseFactorial = new BigDecimal[terms + 1];
        inverseFactorial[0] = BigDecimal.ONE;
        for (int i = 1; i <= terms; i++) {
            inverseFactorial[i] = inverseFactorial[i - 1].divide(BigDecimal.valueOf(i), mc);
        }
        BigDecimal[] q = new BigDecimal[terms + 1];                   // e^{−x}T_m(x) = 1 + Σ_{k>m} q_k x^k
        for (int k = 0; k <= terms; k++) {
            BigDecimal sum = BigDecimal.ZERO;
            if (k > m) {
                for (int j = 0; j <= m; j++) {
                    BigDecimal term = inverseFactorial[k - j].multiply(inverseFactorial[j], mc);
                    sum = (k - j) % 2 == 0 ? sum.add(term, mc) : sum.subtract(term, mc);
                }
            }
            q[k] = sum;
        }
        BigDecimal[] c = new BigDecimal[terms + 1];                   // k c_k = k q_k − Σ_j j c_j q_{k−j}
        BigDecimal x = new BigDecimal(theta);
        BigDecimal total = BigDecimal.ZERO;
        for (int k = 1; k <= terms; k++) {
            BigDecimal s = BigDecimal.valueOf(k).multiply(q[k], mc);
            for (int j = m + 1; j < k - m; j++) {
                s = s.subtract(BigDecimal.valueOf(j).multiply(c[j], mc).multiply(q[k - j], mc), mc);
            }
            c[k] = s.divide(BigDecimal.valueOf(k), mc);
            if (k > m) {
                total = total.add(c[k].abs().multiply(x.pow(k - 1, mc), mc), mc);
            }
        }
        return total.doubleValue();
    }

    private static double round(double x, int digits) {
        return new BigDecimal(x).round(new MathContext(digits)).doubleValue();
    }
}
