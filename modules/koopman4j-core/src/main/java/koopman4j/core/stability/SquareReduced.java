package koopman4j.core.stability;

import java.util.Arrays;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Van Loan's square-reduced method (Byers 1988, §2 and ref. [11]) for the imaginary eigenvalues of a real
 * Hamiltonian matrix M = [[E, G], [F, −Eᵀ]] (G, F symmetric, i.e. JM symmetric).
 *
 * <p>Orthogonal symplectic similarities U bring M² into the block form UᵀM²U = [[X, Y], [0, Xᵀ]] with X
 * upper Hessenberg; the eigenvalues μ of the real n×n matrix X are the λ² of M. An eigenvalue pair ±iω
 * of M is a real μ = −ω² ≤ 0 of X, and a simple real eigenvalue of a real matrix stays real under the
 * rounding errors of the QR iteration: the decision "M has an imaginary eigenvalue" is the one for a
 * Hamiltonian M + E with ‖E‖ = O(√ε‖M‖), which Theorem 3 says may be taken at face value.
 */
final class SquareReduced {

    private static final double EPS = Math.ulp(1.0);

    private SquareReduced() {
    }

    /**
     * The ω ≥ 0, ascending, of the imaginary eigenvalue pairs ±iω of the Hamiltonian {@code m} (2n×2n,
     * rows; overwritten by its square-reduced form).
     */
    static double[] imaginaryEigenvalues(double[][] m) {
        int n = m.length / 2;
        double normSq = 0;
        for (double[] row : m) {
            for (double v : row) {
                normSq += v * v;
            }
        }
        reduce(m);
        DMatrixRMaj x = squareBlock(m);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
        if (!eig.decompose(x)) {
            throw new IllegalStateException("QR iteration on the square-reduced Hamiltonian did not converge");
        }
        // a double eigenvalue −ω² may split into a pair with imaginary part O(ε‖M‖²); accept it (SLICOT AB13FD)
        double imagTol = 2 * n * EPS * normSq;
        double[] omega = new double[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            Complex_F64 mu = eig.getEigenvalue(i);
            if (mu.real <= 0 && Math.abs(mu.imaginary) <= imagTol) {
                omega[count++] = Math.sqrt(-mu.real);
            }
        }
        double[] result = Arrays.copyOf(omega, count);
        Arrays.sort(result);
        return result;
    }

    /** Column by column, zero the lower-left block and the sub-subdiagonal of the upper-left block of M². */
    private static void reduce(double[][] m) {
        int n = m.length / 2;
        double[] col = new double[2 * n];
        double[] y = new double[n];
        for (int j = 0; j < n - 1; j++) {
            int k = j + 1;
            int len = n - k;
            // symplectic reflection diag(P, P) zeroing (M²)(n+j+2 : 2n, j)
            column(m, j, col);
            for (int i = 0; i < len; i++) {
                y[i] = dot(m[n + k + i], col);
            }
            reflect(m, y, len, k);
            // symplectic rotation in the plane (j+1, n+j+1) zeroing (M²)(n+j+1, j)
            column(m, j, col);
            rotate(m, k, n + k, dot(m[k], col), dot(m[n + k], col));
            // symplectic reflection zeroing (M²)(j+2 : n, j)
            column(m, j, col);
            for (int i = 0; i < len; i++) {
                y[i] = dot(m[k + i], col);
            }
            reflect(m, y, len, k);
        }
    }

    /** X = (M²)(1:n, 1:n) = EE + GF, upper Hessenberg up to rounding, which is dropped. */
    private static DMatrixRMaj squareBlock(double[][] m) {
        int n = m.length / 2;
        DMatrixRMaj x = new DMatrixRMaj(n, n);
        double[] xi = new double[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(xi, 0);
            double[] mi = m[i];
            for (int l = 0; l < 2 * n; l++) {
                double a = mi[l];
                double[] ml = m[l];
                for (int c = 0; c < n; c++) {
                    xi[c] += a * ml[c];
                }
            }
            for (int c = Math.max(0, i - 1); c < n; c++) {
                x.unsafe_set(i, c, xi[c]);
            }
        }
        return x;
    }

    /**
     * Householder P = I − τvvᵀ with P·y = β·e₁ on indices k..k+len−1, applied as the orthogonal symplectic
     * similarity diag(P, P)·M·diag(P, P).
     */
    private static void reflect(double[][] m, double[] y, int len, int k) {
        int n = m.length / 2;
        double alpha = y[0];
        double scale = 0;
        for (int i = 1; i < len; i++) {
            scale = Math.max(scale, Math.abs(y[i]));
        }
        if (scale == 0) {
            return;
        }
        double sum = 0;
        for (int i = 1; i < len; i++) {
            sum += (y[i] / scale) * (y[i] / scale);
        }
        double tail = scale * Math.sqrt(sum);
        double beta = -Math.copySign(Math.hypot(alpha, tail), alpha);
        double tau = (beta - alpha) / beta;
        double[] v = new double[len];
        v[0] = 1;
        for (int i = 1; i < len; i++) {
            v[i] = y[i] / (alpha - beta);
        }
        double[] w = new double[2 * n];
        for (int off : new int[] {k, n + k}) {
            // rows: M ← P·M
            Arrays.fill(w, 0);
            for (int i = 0; i < len; i++) {
                double[] row = m[off + i];
                double vi = v[i];
                for (int c = 0; c < 2 * n; c++) {
                    w[c] += vi * row[c];
                }
            }
            for (int i = 0; i < len; i++) {
                double[] row = m[off + i];
                double s = tau * v[i];
                for (int c = 0; c < 2 * n; c++) {
                    row[c] -= s * w[c];
                }
            }
            // columns: M ← M·P
            for (double[] row : m) {
                double d = 0;
                for (int i = 0; i < len; i++) {
                    d += row[off + i] * v[i];
                }
                d *= tau;
                for (int i = 0; i < len; i++) {
                    row[off + i] -= d * v[i];
                }
            }
        }
    }

    /** Rotation [[c, s], [−s, c]] in the plane (p, q = n + p) zeroing y against x, as a similarity. */
    private static void rotate(double[][] m, int p, int q, double x, double y) {
        double r = Math.hypot(x, y);
        if (r == 0) {
            return;
        }
        double c = x / r;
        double s = y / r;
        double[] rp = m[p];
        double[] rq = m[q];
        for (int j = 0; j < rp.length; j++) {
            double a = rp[j];
            double b = rq[j];
            rp[j] = c * a + s * b;
            rq[j] = -s * a + c * b;
        }
        for (double[] row : m) {
            double a = row[p];
            double b = row[q];
            row[p] = c * a + s * b;
            row[q] = -s * a + c * b;
        }
    }

    private static void column(double[][] m, int j, double[] out) {
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][j];
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
