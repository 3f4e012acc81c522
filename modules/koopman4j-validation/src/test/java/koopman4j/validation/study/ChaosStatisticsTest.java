package koopman4j.validation.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The statistics of the Kuramoto–Sivashinsky study against closed forms. */
class ChaosStatisticsTest {

    private static final double L = 22;
    private static final int N = 64;

    /** u_j = a sin(2πk x_j / L + φ). */
    private static double[] mode(double a, int k, double phase) {
        double[] u = new double[N];
        for (int j = 0; j < N; j++) {
            u[j] = a * Math.sin(2 * Math.PI * k * j / N + phase);
        }
        return u;
    }

    @Test
    void agreementEndsAtTheFirstSampleWhoseRelativeErrorPassesTheThreshold() {
        double[][] truth = new double[6][];
        double[][] predicted = new double[6][];
        double[] errors = {0.0, 0.05, 0.19, 0.21, 0.1, 0.5}; // passes 0.2 at sample 4 (index 3), t = 4·dt
        for (int k = 0; k < 6; k++) {
            truth[k] = mode(1, 1, 0.3 * k);
            predicted[k] = truth[k].clone();
            for (int j = 0; j < N; j++) {
                predicted[k][j] *= 1 + errors[k]; // ‖(1 + e)u − u‖ / ‖u‖ = e
            }
        }
        assertEquals(0.19, ChaosStatistics.relativeError(predicted[2], truth[2]), 1e-14);
        assertEquals(4 * 0.5, ChaosStatistics.agreementTime(predicted, truth, 0.5, 0.2));
        assertEquals(6 * 0.5, ChaosStatistics.agreementTime(predicted, truth, 0.5, 0.3));
        assertEquals(Double.POSITIVE_INFINITY, ChaosStatistics.agreementTime(predicted, truth, 0.5, 0.6));
        predicted[1][0] = Double.NaN;
        assertEquals(2 * 0.5, ChaosStatistics.agreementTime(predicted, truth, 0.5, 0.6), "NaN is disagreement");
    }

    @Test
    void hellingerIsZeroForEqualSamplesOneForDisjointAndClosedFormInBetween() {
        Random rng = new Random(1);
        double[][] a = new double[40][];
        for (int i = 0; i < a.length; i++) {
            a[i] = mode(1 + rng.nextDouble(), 1 + rng.nextInt(3), rng.nextDouble() * 6);
        }
        double[][] edges = ChaosStatistics.edges(a, L, 20, 0.1);
        ChaosStatistics.JointPdf p = ChaosStatistics.jointPdf(a, L, edges);
        assertEquals(0, ChaosStatistics.hellinger(p, p), 1e-7);
        double total = 0;
        for (double[] row : p.probability()) {
            for (double v : row) {
                total += v;
            }
        }
        assertEquals(1, total, 1e-12, "every pair inside the widened range");
        // far outside the bins: no overlap at all
        double[][] far = {mode(100, 1, 0)};
        assertEquals(1, ChaosStatistics.hellinger(p, ChaosStatistics.jointPdf(far, L, edges)), 1e-12);
        // half the samples moved out of range: Σ√(p q) = Σ_inside √(p · p/2)... with q = p/2 inside: BC = 1/√2
        double[][] halfOut = new double[2 * a.length][];
        for (int i = 0; i < a.length; i++) {
            halfOut[i] = a[i];
            halfOut[a.length + i] = mode(100, 1, 0);
        }
        assertEquals(Math.sqrt(1 - Math.sqrt(0.5)), ChaosStatistics.hellinger(p, ChaosStatistics.jointPdf(halfOut, L, edges)), 1e-12);
    }

    @Test
    void aSingleModeFillsTheEllipseOfItsDerivatives() {
        // u = a sin(qx): (u_x, u_xx) = (aq cos, −aq² sin) lies on an ellipse; the bin containing (0, 0) stays empty
        double q = 2 * Math.PI * 2 / L;
        double[][] u = {mode(1.0, 2, 0.1), mode(1.0, 2, 1.3)};
        double[][] edges = ChaosStatistics.edges(u, L, 11, 0.0);
        assertEquals(-q, edges[0][0], 1e-2 * q);
        assertEquals(q * q, edges[1][11], 1e-2 * q * q);
        ChaosStatistics.JointPdf p = ChaosStatistics.jointPdf(u, L, edges);
        assertEquals(0, p.probability()[5][5]);
        assertEquals(2L * N, p.pairs());
    }

    @Test
    void energySpectrumOfACosineIsAQuarterOfItsSquaredAmplitude() {
        double[] e = ChaosStatistics.energySpectrum(new double[][] {mode(2, 3, Math.PI / 2), mode(4, 3, 0.7)});
        assertEquals((4.0 / 4 + 16.0 / 4) / 2, e[3], 1e-12);
        assertEquals(0, e[2], 1e-20);
        assertTrue(ChaosStatistics.spectrumLogDistance(e, e, 10) == 0);
    }

    @Test
    void binsAreUniformAndOutsideIsMinusOne() {
        double[] edges = {0, 1, 2, 3};
        assertEquals(0, ChaosStatistics.bin(edges, 0));
        assertEquals(1, ChaosStatistics.bin(edges, 1.5));
        assertEquals(2, ChaosStatistics.bin(edges, 3));
        assertEquals(-1, ChaosStatistics.bin(edges, 3.01));
        assertEquals(-1, ChaosStatistics.bin(edges, -0.01));
        assertEquals(-1, ChaosStatistics.bin(edges, Double.NaN));
    }
}
