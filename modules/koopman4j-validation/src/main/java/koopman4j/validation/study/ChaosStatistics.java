package koopman4j.validation.study;

import koopman4j.core.data.InvalidDataException;
import koopman4j.systems.KuramotoSivashinsky;
import org.hipparchus.transform.DftNormalization;
import org.hipparchus.transform.FastFourierTransformer;
import org.hipparchus.transform.TransformType;

/**
 * What a forecast of a chaotic system can be held to (seed 001 §5.3, structure-preserving NODEs,
 * arXiv:2503.01775): how long it agrees pointwise with the truth, and, after that, whether its long-time
 * statistics are right — the joint PDF of (u_x, u_xx) (Fig. 7) compared by the Hellinger distance, and the
 * energy spectrum.
 */
public final class ChaosStatistics {

    private ChaosStatistics() {
    }

    /** ‖û − u‖₂ / ‖u‖₂ of one sample. */
    public static double relativeError(double[] predicted, double[] truth) {
        double num = 0;
        double den = 0;
        for (int j = 0; j < truth.length; j++) {
            double d = predicted[j] - truth[j];
            num += d * d;
            den += truth[j] * truth[j];
        }
        return Math.sqrt(num / den);
    }

    /**
     * The time of pointwise agreement: the first t_k = k·dt (k = 1, 2, …) at which the relative L2 error of
     * {@code predicted[k−1]} against {@code truth[k−1]} exceeds {@code threshold}; +∞ if it never does within
     * the samples given (the caller counts those as censored at the horizon).
     */
    public static double agreementTime(double[][] predicted, double[][] truth, double dt, double threshold) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(predicted.length + " predicted samples against " + truth.length + " true ones");
        }
        for (int k = 0; k < truth.length; k++) {
            double e = relativeError(predicted[k], truth[k]);
            if (!(e <= threshold)) { // NaN counts as disagreement
                return (k + 1) * dt;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * A 2-D histogram of (u_x, u_xx) over every grid point of every sample, on fixed bins: counts / total, so
     * pairs outside the bins lower the total mass rather than vanish from the comparison.
     */
    public record JointPdf(double[] xEdges, double[] yEdges, double[][] probability, long pairs) {
        /** The probability density of a bin (probability / bin area), for plotting. */
        public double density(int i, int j) {
            return probability[i][j] / ((xEdges[i + 1] - xEdges[i]) * (yEdges[j + 1] - yEdges[j]));
        }
    }

    /** Bins spanning the range of (u_x, u_xx) over the samples, widened by {@code margin} of the range each side. */
    public static double[][] edges(double[][] samples, double length, int bins, double margin) {
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] u : samples) {
            double[][] d = KuramotoSivashinsky.derivatives(u, length);
            for (int c = 0; c < 2; c++) {
                for (double v : d[c]) {
                    lo[c] = Math.min(lo[c], v);
                    hi[c] = Math.max(hi[c], v);
                }
            }
        }
        double[][] edges = new double[2][bins + 1];
        for (int c = 0; c < 2; c++) {
            double pad = margin * (hi[c] - lo[c]);
            for (int i = 0; i <= bins; i++) {
                edges[c][i] = lo[c] - pad + (hi[c] - lo[c] + 2 * pad) * i / bins;
            }
        }
        return edges;
    }

    /** The joint PDF of (u_x, u_xx), spectral derivatives of each sample on a periodic domain of {@code length}. */
    public static JointPdf jointPdf(double[][] samples, double length, double[][] edges) {
        double[] xe = edges[0];
        double[] ye = edges[1];
        double[][] counts = new double[xe.length - 1][ye.length - 1];
        long pairs = 0;
        for (double[] u : samples) {
            double[][] d = KuramotoSivashinsky.derivatives(u, length);
            for (int j = 0; j < u.length; j++) {
                pairs++;
                int bx = bin(xe, d[0][j]);
                int by = bin(ye, d[1][j]);
                if (bx >= 0 && by >= 0) {
                    counts[bx][by]++;
                }
            }
        }
        for (double[] row : counts) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= pairs;
            }
        }
        return new JointPdf(xe.clone(), ye.clone(), counts, pairs);
    }

    /** The bin of v on uniform edges, −1 outside them (NaN included). */
    static int bin(double[] edges, double v) {
        int n = edges.length - 1;
        double f = (v - edges[0]) / (edges[n] - edges[0]) * n;
        if (!(f >= 0 && f <= n)) {
            return -1;
        }
        return Math.min(n - 1, (int) f);
    }

    /**
     * The Hellinger distance between two histograms on the same bins, √(1 − Σ √(p_i q_i)): 0 for equal
     * distributions, 1 for disjoint ones; mass outside the bins counts as disjoint.
     */
    public static double hellinger(JointPdf p, JointPdf q) {
        if (p.probability().length != q.probability().length || p.probability()[0].length != q.probability()[0].length) {
            throw new IllegalArgumentException("histograms on different bins");
        }
        double bc = 0;
        for (int i = 0; i < p.probability().length; i++) {
            for (int j = 0; j < p.probability()[i].length; j++) {
                bc += Math.sqrt(p.probability()[i][j] * q.probability()[i][j]);
            }
        }
        return Math.sqrt(Math.max(0, 1 - bc));
    }

    /**
     * The mean energy spectrum E_k = ⟨|û_k|²⟩ for k = 0, …, N/2, with û_k = (1/N) Σ_j u_j e^{−2πijk/N}
     * (so a mode a·cos(2πkx/L) has E_k = a²/4 for 0 &lt; k &lt; N/2).
     */
    public static double[] energySpectrum(double[][] samples) {
        int n = samples[0].length;
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new InvalidDataException("energy spectrum: need a power-of-2 number of grid values, got " + n);
        }
        double[] e = new double[n / 2 + 1];
        for (double[] u : samples) {
            double[][] v = {u.clone(), new double[n]};
            FastFourierTransformer.transformInPlace(v, DftNormalization.STANDARD, TransformType.FORWARD);
            for (int k = 0; k <= n / 2; k++) {
                e[k] += (v[0][k] * v[0][k] + v[1][k] * v[1][k]) / ((double) n * n);
            }
        }
        for (int k = 0; k < e.length; k++) {
            e[k] /= samples.length;
        }
        return e;
    }

    /** max_k |log10 E_k − log10 F_k| over k = 1 … kMax: the spectra's largest ratio, in decades. */
    public static double spectrumLogDistance(double[] e, double[] f, int kMax) {
        double d = 0;
        for (int k = 1; k <= kMax && k < e.length; k++) {
            d = Math.max(d, Math.abs(Math.log10(e[k]) - Math.log10(f[k])));
        }
        return d;
    }
}
