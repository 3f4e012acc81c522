package koopman4j.core.linalg;

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

    /** e^A in single precision: float32 arithmetic throughout, θ_q for u = 2⁻²⁴. */
    public static float[][] exp(float[][] a) {
        return exp(a, Gemm.plainJava());
    }

    /** e^A in single precision. */
    public static float[][] exp(float[][] a, Gemm gemm) {
        float[] flat = RowMajor.square(ROUTINE, "A", a);
        return RowMajor.rows(exp(Blocks.float32(gemm), flat, a.length, 1), a.length, a.length);
    }

    /** e^{tA} for a checked row-major A of order n. */
    static <V> V exp(Blocks<V> ops, V a, int n, double t) {
        V x = ops.copy(a);
        ops.scale(t, x);
        Precision precision = ops.precision();
        double norm = ops.norm1(x, n, n);
        int s = squarings(norm, precision);
        if (s == 0) {
            return taylor(ops, DEGREES[degreeIndex(norm, precision)], x, n);
        }
        ops.scale(Math.scalb(1.0, -s), x);
        V e = taylor8MinusIdentity(ops, ops.identity(n), x, ops.product(x, x, n), n);
        for (int i = 0; i < s; i++) {
            V next = ops.product(e, e, n);
            ops.axpy(2, e, next);                                  // (I + E)² − I = 2E + E²
            e = next;
        }
        ops.addDiagonal(1, e, n);
        return e;
    }

    /** Matrix products (each 2n³ flops) that e^X costs when ‖X‖₁ = norm. */
    static int products(double norm, Precision precision) {
        int s = squarings(norm, precision);
        return s == 0 ? PRODUCTS[degreeIndex(norm, precision)] : PRODUCTS[3] + s;
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

    /** T_q(X) = Σ_{k≤q} X^k/k! by the evaluation schemes of Bader, Blanes &amp; Casas (2019). */
    static <V> V taylor(Blocks<V> ops, int q, V x, int n) {
        V i = ops.identity(n);
        if (q == 1) {
            return ops.combination(new double[] {1, 1}, list(i, x));               // I + X
        }
        V x2 = ops.product(x, x, n);
        switch (q) {
            case 2:
                return ops.combination(new double[] {1, 1, 0.5}, list(i, x, x2));   // I + X + X²/2
            case 4: {
                V inner = ops.combination(new double[] {1 / 2.0, 1 / 6.0, 1 / 24.0}, list(i, x, x2));
                V tail = ops.product(x2, inner, n);
                return ops.combination(new double[] {1, 1, 1}, list(i, x, tail));   // I + X + X²(I/2 + X/6 + X²/24)
            }
            case 8: {
                V e = taylor8MinusIdentity(ops, i, x, x2, n);
                ops.axpy(1, i, e);
                return e;
            }
            case 12:
                return taylor12(ops, i, x, x2, n);
            case 18:
                return taylor18(ops, i, x, x2, n);
            default:
                throw new IllegalArgumentException("no evaluation scheme for Taylor degree " + q);
        }
    }

    // Degree 8 in 3 products (BBC 2019), less I: X + y2 X² + A8 with A8 = O(X²). PyTorch's compute_T8 (as
    // read for this port) divides x7 by x3 once, and its T8 then leaves Taylor at X⁵; with x3² it is exact.
    private static <V> V taylor8MinusIdentity(Blocks<V> ops, V i, V x, V x2, int n) {
        double r = Math.sqrt(177);
        double x3 = 2.0 / 3.0;
        double x1 = x3 * (1 + r) / 88;
        double x2c = x3 * (1 + r) / 352;
        double x4 = (-271 + 29 * r) / (315 * x3);
        double x5 = (-11 + 11 * r) / (1260 * x3);
        double x6 = (-99 + 11 * r) / (5040 * x3);
        double x7 = (89 - r) / (5040 * x3 * x3);
        double y2 = (857 - 58 * r) / 630;
        V a4 = ops.product(x2, ops.combination(new double[] {x1, x2c}, list(x, x2)), n);   // A4 = A2(x1 A + x2 A2)
        V a8 = ops.product(ops.combination(new double[] {x3, 1}, list(x2, a4)),
                ops.combination(new double[] {x4, x5, x6, x7}, list(i, x, x2, a4)), n);   // A8 = (x3 A2 + A4)(x4 I + x5 A + x6 A2 + x7 A4)
        return ops.combination(new double[] {1, y2, 1}, list(x, x2, a8));                  // T8 − I = A + y2 A2 + A8
    }

    // Degree 12 in 4 products (BBC 2019; coefficients as in PyTorch); row j holds B_j's coefficients of I, A, A², A³.
    private static final double[][] B12 = {
        {9.0198e-16, 0.46932117595418237389, -0.20099424927047284052, -0.04623946134063071740},
        {5.31597895759871264183, 1.19926790417132231573, 0.01179296240992997031, 0.01108844528519167989},
        {0.18188869982170434744, 0.05502798439925399070, 0.09351590770535414968, 0.00610700528898058230},
        {-2.0861320e-13, -0.13181061013830184015, -0.02027855540589259079, -0.00675951846863086359}};

    private static <V> V taylor12(Blocks<V> ops, V i, V x, V x2, int n) {
        V x3 = ops.product(x2, x, n);
        V[] powers = list(i, x, x2, x3);
        V b1 = ops.combination(B12[0], powers);
        V b2 = ops.combination(B12[1], powers);
        V b3 = ops.combination(B12[2], powers);
        V b4 = ops.combination(B12[3], powers);
        V a6 = b3;
        ops.axpy(1, ops.product(b4, b4, n), a6);                 // A6 = B3 + B4²
        ops.axpy(1, a6, b2);
        ops.axpy(1, ops.product(b2, a6, n), b1);                 // T12 = B1 + (B2 + A6) A6
        return b1;
    }

    // Degree 18 in 5 products (BBC 2019; coefficients as in PyTorch); row j holds B_j's coefficients of I, A, A², A³, A⁶.
    private static final double[][] B18 = {
        {0, -1.00365581030144618291e-01, -8.02924648241156932449e-03, -8.92138498045729985177e-04, 0},
        {0, 3.97849749499645077844e-01, 1.36783778460411720168e+00, 4.98289622525382669416e-01, -6.37898194594723280150e-04},
        {-1.09676396052962061844e+01, 1.68015813878906206114e+00, 5.71779846478865511061e-02, -6.98210122488052056106e-03, 3.34975017086070470649e-05},
        {-9.04316832390810593223e-02, -6.76404519071381882256e-02, 6.75961301770459654925e-02, 2.95552570429315521194e-02, -1.39180257516060693404e-05},
        {0, 0, -9.23364619367118555360e-02, -1.69364939002081722752e-02, -1.40086798182036094347e-05}};

    private static <V> V taylor18(Blocks<V> ops, V i, V x, V x2, int n) {
        V x3 = ops.product(x2, x, n);
        V x6 = ops.product(x3, x3, n);
        V[] powers = list(i, x, x2, x3, x6);
        V b1 = ops.combination(B18[0], powers);
        V b2 = ops.combination(B18[1], powers);
        V b3 = ops.combination(B18[2], powers);
        V b4 = ops.combination(B18[3], powers);
        V b5 = ops.combination(B18[4], powers);
        V a9 = b4;
        ops.axpy(1, ops.product(b1, b5, n), a9);                 // A9 = B1 B5 + B4
        ops.axpy(1, a9, b3);
        ops.axpy(1, ops.product(b3, a9, n), b2);                 // T18 = B2 + (B3 + A9) A9
        return b2;
    }

    @SafeVarargs
    private static <V> V[] list(V... x) {
        return x;
    }
}
