package koopman4j.core.linalg;

/**
 * Working precision of {@link Expmv} and {@link Expm}: the tolerance u (unit roundoff) and the Taylor
 * backward-error bounds θ_m for it.
 *
 * <p>θ_m is the largest θ with h̃_{m+1}(θ)/θ ≤ u (Al-Mohy &amp; Higham 2011, §3), so that
 * T_m(X) = e^{X+ΔX} with ‖ΔX‖ ≤ u‖X‖ whenever ‖X‖ ≤ θ_m. Values for m = 1..55 are those of Higham and
 * Al-Mohy's expmv distribution (theta_taylor.mat, theta_taylor_single.mat), of which the paper's Table 3.1
 * prints m = 5, 10, …, 55 to two digits; recomputed from that definition they agree to all six digits given.
 * PyTorch's matrix_exp uses the same bounds for Taylor degrees 1, 2, 4, 8, 12, 18.
 *
 * <p>Each precision also fixes the largest degree m_max that {@link Expmv#plan} may choose, and with it
 * p_max, the largest p with p(p−1) ≤ m_max + 1 (the paper's condition on the two). Summing T_m(X) with
 * ‖X‖ up to θ_m can cancel terms as large as e^{θ_m}: double keeps the paper's m_max = 55 (e^{θ₅₅} ≈ 2¹⁴,
 * at most ≈ 2·10⁻¹² lost to cancellation); in single the same choice would lose up to 2¹⁹ of the 2²⁴
 * (a rotation by 10 rad came out 10³·u off), so single stops at m_max = 17, θ₁₇ = 2.74, e^{θ} ≈ 2⁴.
 */
public enum Precision {
    /** IEEE binary32, u = 2⁻²⁴. */
    SINGLE(0x1p-24, 17, new double[] {
        1.19209e-7, 0.000597886, 0.0112339, 0.0511662, 0.130849,
        0.249529, 0.401458, 0.580052, 0.779511, 0.995184,
        1.22348, 1.46166, 1.70765, 1.95985, 2.21704,
        2.47828, 2.74282, 3.01007, 3.27956, 3.55093,
        3.82386, 4.09811, 4.37347, 4.64978, 4.9269,
        5.20471, 5.48311, 5.76201, 6.04136, 6.32108,
        6.60113, 6.88146, 7.16204, 7.44283, 7.7238,
        8.00493, 8.2862, 8.56759, 8.84908, 9.13065,
        9.4123, 9.69402, 9.97579, 10.2576, 10.5394,
        10.8213, 11.1032, 11.3852, 11.6671, 11.949,
        12.231, 12.5129, 12.7949, 13.0769, 13.3588}),
    /** IEEE binary64, u = 2⁻⁵³. */
    DOUBLE(0x1p-53, 55, new double[] {
        2.22045e-16, 2.58096e-8, 1.38635e-5, 0.000339717, 0.00240088,
        0.00906566, 0.0238446, 0.0499123, 0.0895776, 0.144183,
        0.214236, 0.299616, 0.399778, 0.513915, 0.641084,
        0.780287, 0.930533, 1.09086, 1.26038, 1.43825,
        1.62372, 1.81608, 2.01471, 2.21905, 2.42858,
        2.64285, 2.86145, 3.084, 3.31017, 3.53967,
        3.77221, 4.00756, 4.2455, 4.48582, 4.72835,
        4.97292, 5.21938, 5.46759, 5.71744, 5.9688,
        6.22158, 6.47568, 6.73102, 6.9875, 7.24507,
        7.50365, 7.76317, 8.02359, 8.28485, 8.5469,
        8.80969, 9.07319, 9.33734, 9.60212, 9.8675});

    /** Largest Taylor degree with a tabulated θ_m (Table 3.1 goes to 55). */
    public static final int M_TABLE = 55;

    private final double tolerance;
    private final int mMax;
    private final double[] theta;

    Precision(double tolerance, int mMax, double[] theta) {
        this.tolerance = tolerance;
        this.mMax = mMax;
        this.theta = theta;
    }

    /** The tolerance u: 2⁻²⁴ or 2⁻⁵³. */
    public double tolerance() {
        return tolerance;
    }

    /** θ_m for 1 ≤ m ≤ {@link #M_TABLE}. */
    public double theta(int m) {
        if (m < 1 || m > M_TABLE) {
            throw new IllegalArgumentException("theta_m is tabulated for 1 <= m <= " + M_TABLE + ", got m = " + m);
        }
        return theta[m - 1];
    }

    /** The largest Taylor degree the expmv plan may choose: 55 in double, 17 in single. */
    public int mMax() {
        return mMax;
    }

    /** The largest p with p(p−1) ≤ m_max + 1: 8 in double, 4 in single. */
    public int pMax() {
        int p = 2;
        while ((p + 1) * p <= mMax + 1) {
            p++;
        }
        return p;
    }
}
