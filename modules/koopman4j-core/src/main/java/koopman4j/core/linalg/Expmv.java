package koopman4j.core.linalg;

import java.util.Arrays;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The action of the matrix exponential, e^{tA}B, by the truncated Taylor recurrence of Al-Mohy &amp;
 * Higham, "Computing the action of the matrix exponential, with an application to exponential
 * integrators", SIAM J. Sci. Comput. 33(2), 2011 — the expmv of eq. 18–19 in seed 001 (ETD1, eq. 17).
 *
 * <p>{@link #plan} fixes the degree m and the number of steps s (the paper's Algorithm 3.2 with code
 * fragment 3.1: trace shift μ = tr(A)/n, θ_m for the working precision, ‖A^p‖₁^{1/p} estimates for
 * nonnormal A; m_max = 55, p_max = 8 in double, m_max = 17, p_max = 4 in single, see {@link Precision});
 * the recurrence then takes s steps of T_m(t(A−μI)/s), each
 * stopped early once two successive terms are negligible. When s·m products with the n × k block would
 * cost more flops than forming e^{tA} densely ({@link Expm}) and multiplying, as for stiff A with
 * ‖tA‖₁ of 10⁶–10¹⁰, the dense path is taken; the choice is logged at DEBUG.
 *
 * <p>Double-precision inputs run in float64 with u = 2⁻⁵³, single-precision inputs in float32 with
 * u = 2⁻²⁴ (norm estimation for the plan runs in double either way). Bad input raises
 * {@link koopman4j.core.data.InvalidDataException}.
 */
public final class Expmv {
    private static final Logger LOG = LogManager.getLogger(Expmv.class);
    private static final String ROUTINE = "expmv";
    private static final int ELL = 2;

    private Expmv() {
    }

    /**
     * The parameters of the Taylor recurrence for e^{tA}B: degree m, steps s, the shift μ and the norm
     * estimate α that fixed them (s = ⌈α/θ_m⌉). m = 0, s = 1 when t(A − μI) = 0.
     */
    public record Plan(int m, long s, double mu, double normEstimate) {
    }

    /** e^{tA}B in double precision with the plain-Java product. */
    public static double[][] apply(double[][] a, double[][] b, double t) {
        return apply(a, b, t, Gemm.plainJava());
    }

    /** e^{tA}B in double precision; products go through {@code gemm}. */
    public static double[][] apply(double[][] a, double[][] b, double t, Gemm gemm) {
        double[] flatA = RowMajor.square(ROUTINE, "A", a);
        int n = a.length;
        double[] flatB = RowMajor.block(ROUTINE, "B", b, n);
        RowMajor.finite(ROUTINE, "t", t);
        int k = b[0].length;
        return RowMajor.rows(apply(Blocks.float64(gemm), flatA, flatA, flatB, n, k, t), n, k);
    }

    /** e^{tA}b for one vector in double precision. */
    public static double[] apply(double[][] a, double[] b, double t) {
        double[] flatA = RowMajor.square(ROUTINE, "A", a);
        double[] flatB = RowMajor.vector(ROUTINE, "b", b, a.length);
        RowMajor.finite(ROUTINE, "t", t);
        return apply(Blocks.float64(Gemm.plainJava()), flatA, flatA, flatB, a.length, 1, t);
    }

    /** e^{tA}B in single precision with the plain-Java product. */
    public static float[][] apply(float[][] a, float[][] b, double t) {
        return apply(a, b, t, Gemm.plainJava());
    }

    /** e^{tA}B in single precision (float32 arithmetic, θ_m for u = 2⁻²⁴); products go through {@code gemm}. */
    public static float[][] apply(float[][] a, float[][] b, double t, Gemm gemm) {
        float[] flatA = RowMajor.square(ROUTINE, "A", a);
        int n = a.length;
        float[] flatB = RowMajor.block(ROUTINE, "B", b, n);
        RowMajor.finite(ROUTINE, "t", t);
        int k = b[0].length;
        Blocks<float[]> ops = Blocks.float32(gemm);
        return RowMajor.rows(apply(ops, flatA, ops.toDouble(flatA), flatB, n, k, t), n, k);
    }

    /** e^{tA}b for one vector in single precision. */
    public static float[] apply(float[][] a, float[] b, double t) {
        float[] flatA = RowMajor.square(ROUTINE, "A", a);
        float[] flatB = RowMajor.vector(ROUTINE, "b", b, a.length);
        RowMajor.finite(ROUTINE, "t", t);
        Blocks<float[]> ops = Blocks.float32(Gemm.plainJava());
        return apply(ops, flatA, ops.toDouble(flatA), flatB, a.length, 1, t);
    }

    /**
     * (m, s, μ) for e^{tA}B with B of {@code columns} columns in the given precision: the preprocessing of
     * Al-Mohy &amp; Higham 2011, Algorithm 3.2, and code fragment 3.1. The SameDiff expmv op uses the same plan.
     */
    public static Plan plan(double[][] a, double t, Precision precision, int columns) {
        double[] flat = RowMajor.square(ROUTINE, "A", a);
        RowMajor.finite(ROUTINE, "t", t);
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be positive, got " + columns);
        }
        return plan(flat, a.length, t, precision, columns);
    }

    /** {@link #plan(double[][], double, Precision, int)} for a checked row-major A of order n. */
    static Plan plan(double[] a, int n, double t, Precision precision, int columns) {
        double mu = trace(a, n) / n;
        double[] shifted = a.clone();
        for (int i = 0; i < n; i++) {
            shifted[i * n + i] -= mu;
        }
        double norm = Math.abs(t) * Blocks.float64(Gemm.plainJava()).norm1(shifted, n, n);
        if (norm == 0) {
            return new Plan(0, 1, mu, 0);
        }
        // α_p bounds ‖(tÂ)^k‖^{1/k} for k ≥ p(p−1); ‖tÂ‖₁ serves instead when it is small (condition 3.13)
        int mMax = precision.mMax();
        int pMax = precision.pMax();
        boolean small = norm <= 2.0 * ELL * pMax * (pMax + 3) * precision.theta(mMax) / ((double) columns * mMax);
        OneNormEstimator estimator = small ? null : new OneNormEstimator(shifted, n);
        double[] d = new double[pMax + 2];
        Arrays.fill(d, Double.NaN);
        int bestM = 0;
        long bestS = 0;
        double bestAlpha = 0;
        for (int p = 2; p <= pMax && (bestM == 0 || (double) bestM * bestS > p * (p - 1) - 1); p++) {   // else m ≥ p(p−1)−1 cannot win
            double alpha = norm;
            if (!small) {
                for (int q = p; q <= p + 1; q++) {
                    if (Double.isNaN(d[q])) {
                        d[q] = Math.abs(t) * Math.pow(estimator.powerNorm(q), 1.0 / q);   // d_q = ‖(tÂ)^q‖₁^{1/q}
                    }
                }
                alpha = Math.max(d[p], d[p + 1]);                                    // α_p = max(d_p, d_{p+1})
            }
            for (int m = p * (p - 1) - 1; m <= mMax; m++) {
                long s = Math.max(1, (long) Math.ceil(alpha / precision.theta(m)));   // C_m = m·⌈α_p/θ_m⌉ (3.10), least over p and m (3.11)
                if (bestM == 0 || (double) m * s < (double) bestM * bestS) {
                    bestM = m;
                    bestS = s;
                    bestAlpha = alpha;
                }
            }
        }
        return new Plan(bestM, bestS, mu, bestAlpha);
    }

    /**
     * Whether {@link #apply} takes the dense path ({@link Expm}, then one product) rather than the Taylor
     * recurrence for e^{tA}B with B of {@code columns} columns under {@code plan} — the cost model of
     * {@link #denseIsCheaper}. The SameDiff expmv op follows the same choice.
     */
    public static boolean prefersDense(double[][] a, double t, Plan plan, Precision precision, int columns) {
        double[] flat = RowMajor.square(ROUTINE, "A", a);
        RowMajor.finite(ROUTINE, "t", t);
        return denseIsCheaper(plan, denseNorm(flat, a.length, t), a.length, columns, precision);
    }

    /** e^{tA}B for checked row-major A (n × n, also given in double for planning) and B (n × k). */
    static <V> V apply(Blocks<V> ops, V a, double[] aDouble, V b, int n, int k, double t) {
        Plan plan = plan(aDouble, n, t, ops.precision(), k);
        return denseIsCheaper(plan, denseNorm(aDouble, n, t), n, k, ops.precision())
                ? dense(ops, a, b, n, k, t)
                : taylor(ops, a, b, n, k, t, plan);
    }

    /**
     * The cost model: s·m products of A with the n × k block (2n²k flops each) against forming e^{tA}
     * ({@link Expm#products} products of 2n³ flops) and one 2n²k product; logged at DEBUG.
     */
    static boolean denseIsCheaper(Plan plan, double denseNorm, int n, int k, Precision precision) {
        double block = 2.0 * n * n * k;
        double taylor = plan.m() * (double) plan.s() * block;
        double dense = Expm.products(denseNorm, precision) * 2.0 * n * n * n + block;
        LOG.debug("expmv n={} k={} {}: m={} s={} mu={} alpha={}; flops taylor={} dense={} -> {}", n, k, precision, plan.m(), plan.s(),
                plan.mu(), plan.normEstimate(), taylor, dense, dense < taylor ? "dense" : "taylor");
        return dense < taylor;
    }

    /** Algorithm 3.2 (Al-Mohy &amp; Higham 2011) for a given plan: s steps of the recurrence 19a–c. */
    static <V> V taylor(Blocks<V> ops, V a, V b, int n, int k, double t, Plan plan) {
        V shifted = ops.copy(a);
        ops.addDiagonal(-plan.mu(), shifted, n);
        Blocks.Left<V> left = ops.left(shifted, n, n);
        double tol = ops.precision().tolerance();
        double eta = Math.exp(t * plan.mu() / plan.s());
        V f = ops.copy(b);
        V term = ops.copy(b);
        V next = ops.zeros(n * k);
        for (long i = 0; i < plan.s(); i++) {
            double c1 = ops.normInf(term, n, k);
            for (int j = 1; j <= plan.m(); j++) {
                left.times(term, k, next);
                ops.scale(t / ((double) plan.s() * j), next);             // b_{i,j} = t/(s j) A b_{i,j−1}  (19b)
                V swap = term;
                term = next;
                next = swap;
                double c2 = ops.normInf(term, n, k);
                ops.axpy(1, term, f);                                       // f_i = Σ_j b_{i,j}  (19c)
                if (c1 + c2 <= tol * ops.normInf(f, n, k)) {
                    break;                                                  // two negligible terms: stop early
                }
                c1 = c2;
            }
            ops.scale(eta, f);                                              // undo the shift: e^{tμ/s}
            ops.assign(f, term);
        }
        return f;
    }

    /** e^{tA}B as the dense exponential times B. */
    static <V> V dense(Blocks<V> ops, V a, V b, int n, int k, double t) {
        V out = ops.zeros(n * k);
        ops.left(Expm.exp(ops, a, n, t), n, n).times(b, k, out);
        return out;
    }

    /** ‖tA‖₁, which fixes the cost of {@link Expm}. */
    static double denseNorm(double[] a, int n, double t) {
        return Math.abs(t) * Blocks.float64(Gemm.plainJava()).norm1(a, n, n);
    }

    private static double trace(double[] a, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[i * n + i];
        }
        return sum;
    }
}
