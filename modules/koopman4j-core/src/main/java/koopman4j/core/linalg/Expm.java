package koopman4j.core.linalg;

import java.util.List;

/**
 * The dense matrix exponential e^A from the optimized Taylor evaluations of Bader, Blanes &amp; Casas,
 * "Computing the matrix exponential with an optimized Taylor polynomial approximation", Mathematics 7
 * (2019) 1174 — the method behind PyTorch's {@code matrix_exp}.
 *
 * <p>Degrees 1, 2, 4, 8, 12 and 18 cost 0, 1, 2, 3, 4 and 5 products; when ‖A‖₁ ≤ θ₁₈ the smallest
 * degree q with ‖A‖₁ ≤ θ_q is used. The polynomials are the Taylor polynomials themselves, so θ_q is the
 * Taylor bound of {@link Precision} for the working precision (float32: 2⁻²⁴, float64: 2⁻⁵³). Single
 * precision stops at degree 12 for the reason it caps expmv at m_max = 17: summing to θ₁₈ = 3.0 there
 * cancels terms e³ ≈ 20 times the result.
 *
 * <p>Larger A is scaled by 2^s and squared back, and there this class departs from BBC and PyTorch (degree
 * 18 on A/2^s, then s squarings of T): for a stiff A (‖A‖₁ = 10¹⁰, s ≈ 34) the slow modes of T(A/2^s)
 * are 1 − 6·10⁻¹¹, stored with an absolute error u, and s squarings raise that to a relative error 2^s·u ≈
 * 10⁻⁶. Instead E = T₈(A/2^s) − I is formed directly (its degree-8 scheme never adds I, so E keeps full
 * relative accuracy) and squared as E ← 2E + E², which is (I + E)² − I; e^A = I + E at the end. Degree
 * 8 needs about 4.4 more squarings than degree 18, a few products, for keeping every mode to working
 * accuracy; nothing is shifted, so nothing overflows that e^A itself does not.
 */
public final class Expm {
    private static final String ROUTINE = "expm";
    private static final int[] DEGREES = {1, 2, 4, 8, 12, 18};
    private static final int[] PRODUCTS = {0, 1, 2, 3, 4, 5};

    private Expm() {
    }

    /** e^A in double precision with the plain-Java product. */
    public static double[][] exp(double[][] a) {
        return exp(a, Gemm.plainJava());
    }

    /** e^A in double precision. */
    public static double[][] exp(double[][] a, Gemm gemm) {
        double[] flat = RowMajor.square(ROUTINE, "A", a);
        return RowMajor.rows(exp(Blocks.float64(gemm), flat, a.length, 1), a.length, a.length);
    }

    /**
     * L_exp(Xᵀ, G): the gradient of ⟨G, e^X⟩ (Frobenius) with respect to X, i.e. the adjoint of the Fréchet
     * derivative of the exponential applied to G, read off the upper-right block of exp([[Xᵀ, G], [0, Xᵀ]])
     * (Najfeld &amp; Havel 1995; Higham, <i>Functions of Matrices</i>, SIAM 2008, §3.2 and Thm. 3.6 for
     * f(Xᵀ) = f(X)ᵀ). G is scaled to ‖X‖₁ first (the derivative is linear in G), so the block matrix needs no
     * more squarings than X itself, and the result is scaled back.
     */
    public static double[][] frechetAdjoint(double[][] x, double[][] g) {
        RowMajor.square(ROUTINE, "X", x);
        RowMajor.square(ROUTINE, "G", g);
        int d = x.length;
        if (g.length != d) {
            throw new IllegalArgumentException(ROUTINE + ": G is " + g.length + "×" + g.length + " for X of order " + d);
        }
        double normX = oneNorm(x);
        double normG = oneNorm(g);
        if (normG == 0) {
            return new double[d][d];
        }
        double scale = normX > 0 ? normX / normG : 1 / normG;
        double[][] big = new double[2 * d][2 * d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                big[r][c] = x[c][r];
                big[d + r][d + c] = x[c][r];
                big[r][d + c] = scale * g[r][c];
            }
        }
        double[][] f = exp(big);
        double[][] out = new double[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                out[r][c] = f[r][d + c] / scale;
            }
        }
        return out;
    }

    private static double oneNorm(double[][] a) {
        double norm = 0;
        for (int c = 0; c < a.length; c++) {
            double sum = 0;
            for (double[] row : a) {
                sum += Math.abs(row[c]);
            }
            norm = Math.max(norm, sum);
        }
        return norm;
    }

    /** e^A in single precision: float32 arithmetic throughout, θ_q for u = 2⁻²⁴. */
    public static float[][] exp(float[][] a) {
        return exp(a, Gemm.plainJava());
    }

    /** e^A in single precision. */
    public static float[][] exp(float[][] a, Gemm gemm) {
        float[] flat = RowMajor.square(ROUTINE, "A", a);
        return RowMajor.rows(exp(Blocks.float32(gemm), flat, a.length, 1), a.length, a.length);
    }

    /**
     * The matrix arithmetic the evaluation schemes need, so that the same schemes run on arrays here and
     * as mmul ops in a SameDiff graph (koopman4j.layers.integrators), which cannot otherwise reuse them.
     */
    public interface Algebra<M> {
        /** I of the working order. */
        M identity();

        /** a·b. */
        M product(M a, M b);

        /** Σ c_i x_i over the terms with c_i ≠ 0, summed in order i = 0, 1, … */
        M combination(double[] c, List<M> x);

        /**
         * One squaring of T − I: (I + E)² − I = 2E + E². An algebra may build the same sum its own way
         * (the SameDiff one routes E through an identity op so that graph search stays linear in s).
         */
        default M squaring(M e) {
            return combination(new double[] {2, 1}, list(e, product(e, e)));
        }
    }

    /**
     * How e^X is evaluated for ‖X‖₁ = norm: the Taylor degree (1, 2, 4, 8, 12 or 18) of T(X) when
     * {@code squarings} = 0, else degree 8 on X/2^s followed by s squarings of T − I.
     */
    public record Plan(int degree, int squarings) {
        /** Matrix products (each 2n³ flops) this plan costs. */
        public int products() {
            int i = 0;
            while (DEGREES[i] != degree) {
                i++;
            }
            return PRODUCTS[i] + squarings;
        }
    }

    /** The plan {@link #exp} follows for ‖X‖₁ = norm in the given precision. */
    public static Plan plan(double norm, Precision precision) {
        int s = squarings(norm, precision);
        return s == 0 ? new Plan(DEGREES[degreeIndex(norm, precision)], 0) : new Plan(8, s);
    }

    /** e^X by the given plan, in any {@link Algebra}: the single place where the schemes are written. */
    public static <M> M evaluate(Algebra<M> algebra, M x, Plan plan) {
        int s = plan.squarings();
        if (s == 0) {
            return taylor(algebra, plan.degree(), x);
        }
        M scaled = algebra.combination(new double[] {Math.scalb(1.0, -s)}, list(x));
        M i = algebra.identity();
        M e = taylor8MinusIdentity(algebra, i, scaled, algebra.product(scaled, scaled));
        for (int k = 0; k < s; k++) {
            e = algebra.squaring(e);
        }
        return algebra.combination(new double[] {1, 1}, list(e, i));
    }

    /** e^{tA} for a checked row-major A of order n. */
    static <V> V exp(Blocks<V> ops, V a, int n, double t) {
        V x = ops.copy(a);
        ops.scale(t, x);
        return evaluate(algebra(ops, n), x, plan(ops.norm1(x, n, n), ops.precision()));
    }

    /** Matrix products (each 2n³ flops) that e^X costs when ‖X‖₁ = norm. */
    static int products(double norm, Precision precision) {
        return plan(norm, precision).products();
    }

    private static <V> Algebra<V> algebra(Blocks<V> ops, int n) {
        return new Algebra<>() {
            @Override
            public V identity() {
                return ops.identity(n);
            }

            @Override
            public V product(V a, V b) {
                return ops.product(a, b, n);
            }

            @Override
            @SuppressWarnings("unchecked")
            public V combination(double[] c, List<V> x) {
                return ops.combination(c, (V[]) x.toArray());
            }
        };
    }

    private static int degreeIndex(double norm, Precision precision) {
        int i = 0;
        while (i < largestDegreeIndex(precision) && norm > precision.theta(DEGREES[i])) {
            i++;
        }
        return i;
    }

    /** The largest degree summed without squaring: 18, or 12 in single where m_max = 17 ({@link Precision}). */
    private static int largestDegreeIndex(Precision precision) {
        int i = DEGREES.length - 1;
        while (DEGREES[i] > precision.mMax()) {
            i--;
        }
        return i;
    }

    /** 0 when an unscaled degree suffices, else s = ⌈log₂(‖X‖₁/θ₈)⌉ for degree 8 on X/2^s. */
    private static int squarings(double norm, Precision precision) {
        if (norm <= precision.theta(DEGREES[largestDegreeIndex(precision)])) {
            return 0;
        }
        double ratio = norm / precision.theta(8);
        int floor = Math.getExponent(ratio);
        return ratio == Math.scalb(1.0, floor) ? floor : floor + 1;
    }

    /** T_q(X) on row-major blocks of order n. */
    static <V> V taylor(Blocks<V> ops, int q, V x, int n) {
        return taylor(algebra(ops, n), q, x);
    }

    /** T_q(X) = Σ_{k≤q} X^k/k! by the evaluation schemes of Bader, Blanes &amp; Casas (2019). */
    private static <M> M taylor(Algebra<M> ops, int q, M x) {
        M i = ops.identity();
        if (q == 1) {
            return ops.combination(new double[] {1, 1}, list(i, x));               // I + X
        }
        M x2 = ops.product(x, x);
        switch (q) {
            case 2:
                return ops.combination(new double[] {1, 1, 0.5}, list(i, x, x2));   // I + X + X²/2
            case 4: {
                M inner = ops.combination(new double[] {1 / 2.0, 1 / 6.0, 1 / 24.0}, list(i, x, x2));
                M tail = ops.product(x2, inner);
                return ops.combination(new double[] {1, 1, 1}, list(i, x, tail));   // I + X + X²(I/2 + X/6 + X²/24)
            }
            case 8:
                return ops.combination(new double[] {1, 1}, list(taylor8MinusIdentity(ops, i, x, x2), i));
            case 12:
                return taylor12(ops, i, x, x2);
            case 18:
                return taylor18(ops, i, x, x2);
            default:
                throw new IllegalArgumentException("no evaluation scheme for Taylor degree " + q);
        }
    }

    // Degree 8 in 3 products (BBC 2019), less I: X + y2 X² + A8 with A8 = O(X²). PyTorch's compute_T8 (as
    // read for this port) divides x7 by x3 once, and its T8 then leaves Taylor at X⁵; with x3² it is exact.
    private static <M> M taylor8MinusIdentity(Algebra<M> ops, M i, M x, M x2) {
        double r = Math.sqrt(177);
        double x3 = 2.0 / 3.0;
        double x1 = x3 * (1 + r) / 88;
        double x2c = x3 * (1 + r) / 352;
        double x4 = (-271 + 29 * r) / (315 * x3);
        double x5 = (-11 + 11 * r) / (1260 * x3);
        double x6 = (-99 + 11 * r) / (5040 * x3);
        double x7 = (89 - r) / (5040 * x3 * x3);
        double y2 = (857 - 58 * r) / 630;
        M a4 = ops.product(x2, ops.combination(new double[] {x1, x2c}, list(x, x2)));   // A4 = A2(x1 A + x2 A2)
        M a8 = ops.product(ops.combination(new double[] {x3, 1}, list(x2, a4)),
                ops.combination(new double[] {x4, x5, x6, x7}, list(i, x, x2, a4)));   // A8 = (x3 A2 + A4)(x4 I + x5 A + x6 A2 + x7 A4)
        return ops.combination(new double[] {1, y2, 1}, list(x, x2, a8));                  // T8 − I = A + y2 A2 + A8
    }

    // Degree 12 in 4 products (BBC 2019; coefficients as in PyTorch); row j holds B_j's coefficients of I, A, A², A³.
    private static final double[][] B12 = {
        {9.0198e-16, 0.46932117595418237389, -0.20099424927047284052, -0.04623946134063071740},
        {5.31597895759871264183, 1.19926790417132231573, 0.01179296240992997031, 0.01108844528519167989},
        {0.18188869982170434744, 0.05502798439925399070, 0.09351590770535414968, 0.00610700528898058230},
        {-2.0861320e-13, -0.13181061013830184015, -0.02027855540589259079, -0.00675951846863086359}};

    private static <M> M taylor12(Algebra<M> ops, M i, M x, M x2) {
        M x3 = ops.product(x2, x);
        List<M> powers = list(i, x, x2, x3);
        M b1 = ops.combination(B12[0], powers);
        M b2 = ops.combination(B12[1], powers);
        M b3 = ops.combination(B12[2], powers);
        M b4 = ops.combination(B12[3], powers);
        M a6 = ops.combination(ONE_ONE, list(b3, ops.product(b4, b4)));      // A6 = B3 + B4²
        M b2a6 = ops.combination(ONE_ONE, list(b2, a6));
        return ops.combination(ONE_ONE, list(b1, ops.product(b2a6, a6)));   // T12 = B1 + (B2 + A6) A6
    }

    // Degree 18 in 5 products (BBC 2019; coefficients as in PyTorch); row j holds B_j's coefficients of I, A, A², A³, A⁶.
    private static final double[][] B18 = {
        {0, -1.00365581030144618291e-01, -8.02924648241156932449e-03, -8.92138498045729985177e-04, 0},
        {0, 3.97849749499645077844e-01, 1.36783778460411720168e+00, 4.98289622525382669416e-01, -6.37898194594723280150e-04},
        {-1.09676396052962061844e+01, 1.68015813878906206114e+00, 5.71779846478865511061e-02, -6.98210122488052056106e-03, 3.34975017086070470649e-05},
        {-9.04316832390810593223e-02, -6.76404519071381882256e-02, 6.75961301770459654925e-02, 2.95552570429315521194e-02, -1.39180257516060693404e-05},
        {0, 0, -9.23364619367118555360e-02, -1.69364939002081722752e-02, -1.40086798182036094347e-05}};

    private static <M> M taylor18(Algebra<M> ops, M i, M x, M x2) {
        M x3 = ops.product(x2, x);
        M x6 = ops.product(x3, x3);
        List<M> powers = list(i, x, x2, x3, x6);
        M b1 = ops.combination(B18[0], powers);
        M b2 = ops.combination(B18[1], powers);
        M b3 = ops.combination(B18[2], powers);
        M b4 = ops.combination(B18[3], powers);
        M b5 = ops.combination(B18[4], powers);
        M a9 = ops.combination(ONE_ONE, list(b4, ops.product(b1, b5)));      // A9 = B1 B5 + B4
        M b3a9 = ops.combination(ONE_ONE, list(b3, a9));
        return ops.combination(ONE_ONE, list(b2, ops.product(b3a9, a9)));   // T18 = B2 + (B3 + A9) A9
    }

    private static final double[] ONE_ONE = {1, 1};

    @SafeVarargs
    private static <M> List<M> list(M... x) {
        return List.of(x);
    }
}
