package koopman4j.core.stability;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The boundary z(t) of a stability region for a real matrix A: f(t) = σ_min(A − z(t)I) along it, the naive
 * upper bound on min f, and the level-set test "σ is a singular value of A − z(t)I for some t" of
 * Theorems 1 and 4 (Byers 1988). For real A, f(t) = f(−t), so crossings are reported for t ≥ 0 only.
 */
abstract sealed class Boundary permits Boundary.ImaginaryAxis, Boundary.UnitCircle {

    /** An open interval between consecutive crossings of a level, on which f stays below or above it. */
    record Interval(double lo, double hi) {
        double mid() {
            return 0.5 * (lo + hi);
        }
    }

    final DMatrixRMaj a;
    final int n;
    private final SingularValueDecomposition_F64<DMatrixRMaj> svd;
    private final DMatrixRMaj embedding;

    Boundary(DMatrixRMaj a) {
        this.a = a;
        this.n = a.numRows;
        this.svd = DecompositionFactory_DDRM.svd(2 * n, 2 * n, false, false, true);
        this.embedding = new DMatrixRMaj(2 * n, 2 * n);
    }

    /** f(t) = σ_min(A − z(t)I). */
    abstract double sigmaMin(double t);

    /** The naive upper bound on min f that starts Algorithm 1 or 2. */
    abstract double initialUpper();

    /** The t ≥ 0, ascending, at which σ is a singular value of A − z(t)I; empty when σ < min f. */
    abstract double[] crossings(double sigma);

    /** The intervals between consecutive crossings, completed by the symmetry t → −t, one of each mirror pair. */
    abstract List<Interval> intervals(double[] crossings);

    /** The points where f′ = 0 by symmetry: t = 0, and t = π on the circle. */
    abstract double[] symmetryPoints();

    /** The representative in [0, ∞) (axis) or [0, π] (circle) of t under the symmetry t → −t. */
    abstract double canonical(double t);

    /** σ_min(A − (x + iy)I), from the real embedding [[A − xI, yI], [−yI, A − xI]] (each singular value twice). */
    final double sigmaMinAt(double x, double y) {
        embedding.zero();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = a.unsafe_get(i, j);
                embedding.unsafe_set(i, j, v);
                embedding.unsafe_set(n + i, n + j, v);
            }
            embedding.add(i, i, -x);
            embedding.add(n + i, n + i, -x);
            embedding.unsafe_set(i, n + i, y);
            embedding.unsafe_set(n + i, i, -y);
        }
        if (!svd.decompose(embedding)) {
            throw new IllegalStateException("SVD of A − zI did not converge");
        }
        double[] s = svd.getSingularValues();
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < svd.numberOfSingularValues(); i++) {
            min = Math.min(min, s[i]);
        }
        return min;
    }

    /** Intervals between ascending crossings c: (−c₁, c₁) around t = 0, then (c_k, c_{k+1}); empty ones dropped. */
    static List<Interval> between(double[] c) {
        List<Interval> out = new ArrayList<>();
        if (c.length > 0 && c[0] > 0) {
            out.add(new Interval(-c[0], c[0]));
        }
        for (int k = 0; k + 1 < c.length; k++) {
            if (c[k + 1] > c[k]) {
                out.add(new Interval(c[k], c[k + 1]));
            }
        }
        return out;
    }

    /** The imaginary axis z = iω: β(A) of §1, Algorithm 1 and Theorem 1. */
    static final class ImaginaryAxis extends Boundary {

        ImaginaryAxis(DMatrixRMaj a) {
            super(a);
        }

        @Override
        double sigmaMin(double omega) {
            return sigmaMinAt(0, omega);
        }

        /** β(A) ≤ ½‖A + Aᴴ‖: A − ½(A + Aᴴ) is skew-Hermitian (Algorithm 1). */
        @Override
        double initialUpper() {
            DMatrixRMaj sym = new DMatrixRMaj(n, n);
            CommonOps_DDRM.transpose(a, sym);
            CommonOps_DDRM.addEquals(sym, a);
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
            if (!eig.decompose(sym)) {
                throw new IllegalStateException("symmetric eigenvalue iteration did not converge");
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm = Math.max(norm, Math.abs(eig.getEigenvalue(i).real));
            }
            return 0.5 * norm;
        }

        /** Imaginary eigenvalues iω of H(σ) = [[A, −σI], [σI, −Aᵀ]] (eq. 2, Theorem 1). */
        @Override
        double[] crossings(double sigma) {
            double[][] h = new double[2 * n][2 * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    h[i][j] = a.unsafe_get(i, j);
                    h[n + i][n + j] = -a.unsafe_get(j, i);
                }
                h[i][n + i] = -sigma;
                h[n + i][i] = sigma;
            }
            return SquareReduced.imaginaryEigenvalues(h);
        }

        @Override
        List<Interval> intervals(double[] crossings) {
            return between(crossings);
        }

        @Override
        double[] symmetryPoints() {
            return new double[] {0};
        }

        @Override
        double canonical(double omega) {
            return Math.abs(omega);
        }
    }

    /**
     * The unit circle z = e^{iθ}: γ(A) of §4, Algorithm 2. The pencil (9) is replaced by an equivalent
     * Hamiltonian eigenproblem: with z = (1 + s)/(1 − s), σ is a singular value of A − zI exactly when s is
     * an eigenvalue of the pencil P − sQ, P = [[A − I, −σI], [σI, −(A − I)ᵀ]] = H(σ) of A − I and
     * Q = [[A + I, −σI], [−σI, Aᵀ + I]], and z is on the circle exactly when s is imaginary. Since
     * QᵀJP + PᵀJQ = 0, PQ⁻¹ is Hamiltonian, and {@link SquareReduced} applies as in Algorithm 1.
     */
    static final class UnitCircle extends Boundary {

        /** Singular values of A + I and A − I: Q is singular when σ is one of the first (z = −1 is a crossing). */
        private final double[] svPlus;
        private final double[] svMinus;

        UnitCircle(DMatrixRMaj a) {
            super(a);
            DMatrixRMaj plus = a.copy();
            DMatrixRMaj minus = a.copy();
            for (int i = 0; i < n; i++) {
                plus.add(i, i, 1);
                minus.add(i, i, -1);
            }
            svPlus = SingularOps_DDRM.singularValues(plus);
            svMinus = SingularOps_DDRM.singularValues(minus);
        }

        @Override
        double sigmaMin(double theta) {
            return sigmaMinAt(Math.cos(theta), Math.sin(theta));
        }

        /** γ(A) ≤ σ_min(A − I) (Algorithm 2). */
        @Override
        double initialUpper() {
            return sigmaMin(0);
        }

        /**
         * Unit-circle crossings from the imaginary eigenvalues s = iω of PQ⁻¹: θ = 2·atan ω. When σ is closer
         * to a singular value of A + I than of A − I, the same is done for −A (Q then well conditioned):
         * a crossing θ′ of −A is θ = π − θ′ of A, by γ(A) = γ(−A) and the symmetry θ → −θ.
         */
        @Override
        double[] crossings(double sigma) {
            boolean negate = distance(sigma, svPlus) < distance(sigma, svMinus);
            double sign = negate ? -1 : 1;
            DMatrixRMaj p = new DMatrixRMaj(2 * n, 2 * n);
            DMatrixRMaj qt = new DMatrixRMaj(2 * n, 2 * n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double aij = sign * a.unsafe_get(i, j);
                    double aji = sign * a.unsafe_get(j, i);
                    p.unsafe_set(i, j, aij);
                    p.unsafe_set(n + i, n + j, -aji);
                    qt.unsafe_set(j, i, aij);           // Qᵀ
                    qt.unsafe_set(n + j, n + i, aji);
                }
                p.add(i, i, -1);
                p.add(n + i, n + i, 1);
                p.unsafe_set(i, n + i, -sigma);
                p.unsafe_set(n + i, i, sigma);
                qt.add(i, i, 1);
                qt.add(n + i, n + i, 1);
                qt.unsafe_set(i, n + i, -sigma);
                qt.unsafe_set(n + i, i, -sigma);
            }
            // M = PQ⁻¹, i.e. Qᵀ Mᵀ = Pᵀ
            LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(2 * n);
            if (!lu.setA(qt)) {
                throw new IllegalStateException("Cayley transform is singular at sigma = " + sigma);
            }
            DMatrixRMaj pt = CommonOps_DDRM.transpose(p, null);
            DMatrixRMaj mt = new DMatrixRMaj(2 * n, 2 * n);
            lu.solve(pt, mt);
            double[] omega = SquareReduced.imaginaryEigenvalues(hamiltonianPart(mt));
            double[] theta = new double[omega.length];
            for (int k = 0; k < omega.length; k++) {
                double t = 2 * Math.atan(omega[k]);
                theta[negate ? omega.length - 1 - k : k] = negate ? Math.PI - t : t;
            }
            return theta;
        }

        /** Nearest Hamiltonian [[E, G], [F, −Eᵀ]] (G, F symmetric) to M, given Mᵀ; the rounding of Q⁻¹ is not structured. */
        private double[][] hamiltonianPart(DMatrixRMaj mt) {
            double[][] h = new double[2 * n][2 * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double e = 0.5 * (mt.unsafe_get(j, i) - mt.unsafe_get(n + i, n + j));
                    h[i][j] = e;
                    h[n + j][n + i] = -e;
                    h[i][n + j] = 0.5 * (mt.unsafe_get(n + j, i) + mt.unsafe_get(n + i, j));
                    h[n + i][j] = 0.5 * (mt.unsafe_get(j, n + i) + mt.unsafe_get(i, n + j));
                }
            }
            return h;
        }

        private static double distance(double sigma, double[] values) {
            double d = Double.POSITIVE_INFINITY;
            for (double v : values) {
                d = Math.min(d, Math.abs(sigma - v));
            }
            return d;
        }

        /** As {@link Boundary#between}, closed by the interval (θ_m, 2π − θ_m) around θ = π. */
        @Override
        List<Interval> intervals(double[] crossings) {
            List<Interval> out = between(crossings);
            if (crossings.length > 0 && crossings[crossings.length - 1] < Math.PI) {
                double last = crossings[crossings.length - 1];
                out.add(new Interval(last, 2 * Math.PI - last));
            }
            return out;
        }

        @Override
        double[] symmetryPoints() {
            return new double[] {0, Math.PI};
        }

        @Override
        double canonical(double theta) {
            return Math.abs(Math.IEEEremainder(theta, 2 * Math.PI));
        }
    }
}
