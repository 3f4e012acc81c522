package koopman4j.core.spectrum;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.ejml.dense.row.decomposition.hessenberg.HessenbergSimilarDecomposition_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_ZDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The eigen-decomposition K = V Λ V⁻¹ of a Koopman matrix (seed 000 §2.2, last paragraph), for a
 * model ψ(x₊) ≈ K ψ(x):
 * <ul>
 *   <li>eigenvalues λ_j, sorted by modulus (largest first), conjugate pairs adjacent;</li>
 *   <li>right eigenvectors v_j (K v_j = λ_j v_j, unit 2-norm); their entries at the state rows of ψ are
 *       the Koopman modes, x = Σ_j φ_j(x) v_j[state rows];</li>
 *   <li>left eigenvectors w_j (w_jᵀ K = λ_j w_jᵀ, the rows of V⁻¹, so Wᵀ V = I): the Koopman
 *       eigenfunctions φ_j(x) = w_jᵀ ψ(x) are these combinations of dictionary functions, and
 *       φ_j(x₊) = λ_j φ_j(x) wherever ψ(x₊) = K ψ(x).</li>
 * </ul>
 * Eigenvalues come from EJML's double-shift QR; eigenvectors from inverse iteration on the Hessenberg
 * form of K (as LAPACK's dhsein: O(m²) per eigenvalue, O(m³) in all). K must be diagonalisable: a
 * defective K (dependent eigenvectors) is refused.
 */
public final class KoopmanEigen {

    /** V whose condition ‖V‖_F‖V⁻¹‖_F exceeds this has no trustworthy eigenfunctions. */
    private static final double MAX_CONDITION = 1e12;
    private static final int INVERSE_ITERATIONS = 3;

    private final Complex[] eigenvalues;
    private final ZMatrixRMaj right;
    private final ZMatrixRMaj left;

    private KoopmanEigen(Complex[] eigenvalues, ZMatrixRMaj right, ZMatrixRMaj left) {
        this.eigenvalues = eigenvalues;
        this.right = right;
        this.left = left;
    }

    /** Decomposes the square matrix {@code k} (rows of K). */
    public static KoopmanEigen of(double[][] k) {
        int m = k.length;
        if (m == 0) {
            throw new IllegalArgumentException("K is empty");
        }
        for (double[] row : k) {
            if (row.length != m) {
                throw new IllegalArgumentException("K must be square, got a row of " + row.length + " in a " + m + "-row matrix");
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("K has a non-finite entry " + v);
                }
            }
        }
        DMatrixRMaj kMatrix = new DMatrixRMaj(k);
        Complex[] lambda = eigenvalues(kMatrix);

        // K = Q H Qᵀ with H upper Hessenberg: K v = λ v  ⇔  H y = λ y, v = Q y.
        HessenbergSimilarDecomposition_DDRM hessenberg = new HessenbergSimilarDecomposition_DDRM(m);
        hessenberg.decompose(kMatrix.copy());
        DMatrixRMaj h = hessenberg.getH(null);
        DMatrixRMaj q = hessenberg.getQ(null);
        double scale = Math.max(normOne(h), Double.MIN_NORMAL);

        ZMatrixRMaj v = new ZMatrixRMaj(m, m);
        for (int j = 0; j < m; j++) {
            // distinct start vectors give independent vectors for repeated, non-defective eigenvalues
            double[][] y = inverseIteration(h, lambda[j], scale, new Random(j));
            setUnitColumn(v, j, multiply(q, y));
        }

        ZMatrixRMaj vInverse = new ZMatrixRMaj(m, m);
        LinearSolverDense<ZMatrixRMaj> lu = LinearSolverFactory_ZDRM.lu(m);
        if (!lu.setA(v.copy())) {
            throw new IllegalStateException("K is defective: its eigenvectors are linearly dependent, so it has no Koopman eigenfunctions");
        }
        lu.invert(vInverse);
        double condition = frobenius(v) * frobenius(vInverse);
        if (!(condition < MAX_CONDITION)) {
            throw new IllegalStateException(String.format(
                    "K is defective or nearly so: its eigenvector matrix has condition %.1e, so its Koopman eigenfunctions are not well defined",
                    condition));
        }
        ZMatrixRMaj w = new ZMatrixRMaj(m, m);
        CommonOps_ZDRM.transpose(vInverse, w);
        return new KoopmanEigen(lambda, v, w);
    }

    public int size() {
        return eigenvalues.length;
    }

    public Complex eigenvalue(int j) {
        return eigenvalues[j];
    }

    /** All eigenvalues, largest modulus first. */
    public List<Complex> eigenvalues() {
        return List.of(eigenvalues);
    }

    /** max_j |λ_j|: below 1, every lifted rollout ψ_k = K^k ψ₀ decays. */
    public double spectralRadius() {
        return eigenvalues.length == 0 ? 0 : eigenvalues[0].abs();
    }

    /** v_j: K v_j = λ_j v_j, unit 2-norm, largest entry real and positive. */
    public Complex[] rightVector(int j) {
        return column(right, j);
    }

    /** w_j: w_jᵀ K = λ_j w_jᵀ, scaled so that w_jᵀ v_j = 1. */
    public Complex[] leftVector(int j) {
        return column(left, j);
    }

    /** The Koopman eigenfunctions at one lifted state: φ_j = w_jᵀ ψ for every j. */
    public Complex[] eigenfunctions(double[] psi) {
        int m = size();
        if (psi.length != m) {
            throw new IllegalArgumentException("ψ has " + psi.length + " entries, K is " + m + "×" + m);
        }
        Complex[] phi = new Complex[m];
        for (int j = 0; j < m; j++) {
            double re = 0;
            double im = 0;
            for (int i = 0; i < m; i++) {
                re += left.getReal(i, j) * psi[i];
                im += left.getImag(i, j) * psi[i];
            }
            phi[j] = new Complex(re, im);
        }
        return phi;
    }

    /**
     * The Koopman mode of eigenvalue j for the observables at {@code rows} of ψ (e.g. the states):
     * those observables are Σ_j φ_j(x)·mode_j.
     */
    public Complex[] mode(int j, int[] rows) {
        Complex[] out = new Complex[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new Complex(right.getReal(rows[r], j), right.getImag(rows[r], j));
        }
        return out;
    }

    private static Complex[] eigenvalues(DMatrixRMaj k) {
        int m = k.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false);
        if (!eig.decompose(k.copy())) {
            throw new IllegalStateException("the QR algorithm did not converge on the " + m + "×" + m + " matrix K");
        }
        Complex[] lambda = new Complex[m];
        for (int j = 0; j < m; j++) {
            Complex_F64 e = eig.getEigenvalue(j);
            lambda[j] = new Complex(e.real, e.imaginary);
        }
        Arrays.sort(lambda, Comparator.comparingDouble(Complex::abs).reversed()
                .thenComparing(Comparator.comparingDouble(Complex::im).reversed()));
        return lambda;
    }

    /**
     * A null vector of H − λI by inverse iteration: LU with partial pivoting between neighbouring rows
     * (H is Hessenberg), pivots below ε‖H‖₁ lifted to ε‖H‖₁ since λ is an eigenvalue to working
     * accuracy. Returns {re, im}.
     */
    private static double[][] inverseIteration(DMatrixRMaj h, Complex lambda, double scale, Random rng) {
        int m = h.numRows;
        double tiny = Math.ulp(1.0) * scale;
        double[][] ar = new double[m][m];
        double[][] ai = new double[m][m];
        for (int r = 0; r < m; r++) {
            for (int c = Math.max(0, r - 1); c < m; c++) {
                ar[r][c] = h.get(r, c);
            }
            ar[r][r] -= lambda.re();
            ai[r][r] = -lambda.im();
        }
        boolean[] swapped = new boolean[m];
        double[] lr = new double[m];
        double[] li = new double[m];
        for (int k = 0; k < m; k++) {
            if (k + 1 < m && Math.hypot(ar[k + 1][k], ai[k + 1][k]) > Math.hypot(ar[k][k], ai[k][k])) {
                double[] t = ar[k];
                ar[k] = ar[k + 1];
                ar[k + 1] = t;
                t = ai[k];
                ai[k] = ai[k + 1];
                ai[k + 1] = t;
                swapped[k] = true;
            }
            if (Math.hypot(ar[k][k], ai[k][k]) < tiny) {
                ar[k][k] = tiny;
                ai[k][k] = 0;
            }
            if (k + 1 < m) {
                double d = ar[k][k] * ar[k][k] + ai[k][k] * ai[k][k];
                lr[k] = (ar[k + 1][k] * ar[k][k] + ai[k + 1][k] * ai[k][k]) / d;
                li[k] = (ai[k + 1][k] * ar[k][k] - ar[k + 1][k] * ai[k][k]) / d;
                for (int c = k + 1; c < m; c++) {
                    ar[k + 1][c] -= lr[k] * ar[k][c] - li[k] * ai[k][c];
                    ai[k + 1][c] -= lr[k] * ai[k][c] + li[k] * ar[k][c];
                }
            }
        }
        double[] yr = new double[m];
        double[] yi = new double[m];
        for (int i = 0; i < m; i++) {
            yr[i] = rng.nextDouble() - 0.5;
        }
        for (int iteration = 0; iteration < INVERSE_ITERATIONS; iteration++) {
            for (int k = 0; k + 1 < m; k++) {
                if (swapped[k]) {
                    double t = yr[k];
                    yr[k] = yr[k + 1];
                    yr[k + 1] = t;
                    t = yi[k];
                    yi[k] = yi[k + 1];
                    yi[k + 1] = t;
                }
                yr[k + 1] -= lr[k] * yr[k] - li[k] * yi[k];
                yi[k + 1] -= lr[k] * yi[k] + li[k] * yr[k];
            }
            for (int k = m - 1; k >= 0; k--) {
                double sr = yr[k];
                double si = yi[k];
                for (int c = k + 1; c < m; c++) {
                    sr -= ar[k][c] * yr[c] - ai[k][c] * yi[c];
                    si -= ar[k][c] * yi[c] + ai[k][c] * yr[c];
                }
                double d = ar[k][k] * ar[k][k] + ai[k][k] * ai[k][k];
                yr[k] = (sr * ar[k][k] + si * ai[k][k]) / d;
                yi[k] = (si * ar[k][k] - sr * ai[k][k]) / d;
            }
            double max = 0;
            for (int i = 0; i < m; i++) {
                max = Math.max(max, Math.hypot(yr[i], yi[i]));
            }
            for (int i = 0; i < m; i++) {
                yr[i] /= max;
                yi[i] /= max;
            }
        }
        return new double[][] {yr, yi};
    }

    private static double[][] multiply(DMatrixRMaj q, double[][] y) {
        int m = q.numRows;
        double[][] out = new double[2][m];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < m; c++) {
                out[0][r] += q.get(r, c) * y[0][c];
                out[1][r] += q.get(r, c) * y[1][c];
            }
        }
        return out;
    }

    /** Stores x / ‖x‖₂ in column j, rotated so that its largest entry is real and positive. */
    private static void setUnitColumn(ZMatrixRMaj v, int j, double[][] x) {
        int m = x[0].length;
        int largest = 0;
        double norm = 0;
        for (int i = 0; i < m; i++) {
            double a = Math.hypot(x[0][i], x[1][i]);
            norm += a * a;
            if (a > Math.hypot(x[0][largest], x[1][largest])) {
                largest = i;
            }
        }
        double a = Math.hypot(x[0][largest], x[1][largest]);
        // multiply by conj(x_largest) / (|x_largest| ‖x‖)
        double cr = x[0][largest] / (a * Math.sqrt(norm));
        double ci = -x[1][largest] / (a * Math.sqrt(norm));
        for (int i = 0; i < m; i++) {
            v.set(i, j, x[0][i] * cr - x[1][i] * ci, x[0][i] * ci + x[1][i] * cr);
        }
    }

    private static Complex[] column(ZMatrixRMaj a, int j) {
        Complex[] out = new Complex[a.numRows];
        for (int i = 0; i < a.numRows; i++) {
            out[i] = new Complex(a.getReal(i, j), a.getImag(i, j));
        }
        return out;
    }

    private static double normOne(DMatrixRMaj a) {
        double max = 0;
        for (int c = 0; c < a.numCols; c++) {
            double s = 0;
            for (int r = 0; r < a.numRows; r++) {
                s += Math.abs(a.get(r, c));
            }
            max = Math.max(max, s);
        }
        return max;
    }

    private static double frobenius(ZMatrixRMaj a) {
        double s = 0;
        for (int i = 0; i < a.getDataLength(); i++) {
            s += a.data[i] * a.data[i];
        }
        return Math.sqrt(s);
    }
}
