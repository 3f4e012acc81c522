package koopman4j.core.stability;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Independent references for the tests: σ_min(A − zI) straight from a dense SVD, minimised over a fine grid
 * (plus the eigenvalues' frequencies) and then by golden-section search around the lowest grid minima.
 */
final class BruteForce {

    private static final double INV_PHI = (Math.sqrt(5) - 1) / 2;

    private BruteForce() {
    }

    /** σ_min(A − (x + iy)I): the complex matrix as the real [[Re, −Im], [Im, Re]], whose singular values are doubled. */
    static double sigmaMin(double[][] a, double x, double y) {
        int n = a.length;
        DMatrixRMaj c = new DMatrixRMaj(2 * n, 2 * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double re = a[i][j] - (i == j ? x : 0);
                c.set(i, j, re);
                c.set(n + i, n + j, re);
            }
            c.set(i, n + i, y);      // −Im(A − zI) = y
            c.set(n + i, i, -y);
        }
        double[] s = SingularOps_DDRM.singularValues(c);
        return Arrays.stream(s).min().orElseThrow();
    }

    /** min over ω ≥ 0 of σ_min(A − iωI), the grid spanning [0, max |Im λ| + 1] plus every |Im λ|. */
    static double minOverAxis(double[][] a, int gridPoints) {
        double[][] eig = eigenvalues(a);
        double[] extra = new double[eig.length];
        double reach = 0;
        for (int k = 0; k < eig.length; k++) {
            extra[k] = Math.abs(eig[k][1]);
            reach = Math.max(reach, extra[k]);
        }
        return minimise(t -> sigmaMin(a, 0, t), grid(0, reach + 1, gridPoints, extra));
    }

    /** min over θ ∈ [0, π] of σ_min(A − e^{iθ}I), the grid plus every |arg λ|. */
    static double minOverCircle(double[][] a, int gridPoints) {
        double[][] eig = eigenvalues(a);
        double[] extra = new double[eig.length];
        for (int k = 0; k < eig.length; k++) {
            extra[k] = Math.abs(Math.atan2(eig[k][1], eig[k][0]));
        }
        return minimise(t -> sigmaMin(a, Math.cos(t), Math.sin(t)), grid(0, Math.PI, gridPoints, extra));
    }

    private static double[] grid(double lo, double hi, int points, double[] extra) {
        double[] g = new double[points + extra.length];
        for (int i = 0; i < points; i++) {
            g[i] = lo + (hi - lo) * i / (points - 1);
        }
        System.arraycopy(extra, 0, g, points, extra.length);
        return Arrays.stream(g).sorted().distinct().toArray();
    }

    /** Golden-section search between the neighbours of the three lowest sampled local minima. */
    private static double minimise(DoubleUnaryOperator f, double[] grid) {
        double[] v = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            v[i] = f.applyAsDouble(grid[i]);
        }
        Integer[] order = new Integer[grid.length];
        for (int i = 0; i < grid.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(v[p], v[q]));
        double best = v[order[0]];
        int searched = 0;
        for (int k = 0; k < order.length && searched < 3; k++) {
            int i = order[k];
            boolean localMin = (i == 0 || v[i] <= v[i - 1]) && (i == grid.length - 1 || v[i] <= v[i + 1]);
            if (localMin) {
                double lo = grid[Math.max(0, i - 1)];
                double hi = grid[Math.min(grid.length - 1, i + 1)];
                best = Math.min(best, golden(f, lo, hi, 1e-6 * (hi - lo)));
                searched++;
            }
        }
        return best;
    }

    static double golden(DoubleUnaryOperator f, double lo, double hi, double tol) {
        double c = hi - INV_PHI * (hi - lo);
        double d = lo + INV_PHI * (hi - lo);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (hi - lo > tol) {
            if (fc < fd) {
                hi = d;
                d = c;
                fd = fc;
                c = hi - INV_PHI * (hi - lo);
                fc = f.applyAsDouble(c);
            } else {
                lo = c;
                c = d;
                fc = fd;
                d = lo + INV_PHI * (hi - lo);
                fd = f.applyAsDouble(d);
            }
        }
        return Math.min(fc, fd);
    }

    /** Eigenvalues as {re, im} rows, from EJML's general eigensolver. */
    static double[][] eigenvalues(double[][] a) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.length, false);
        if (!eig.decompose(new DMatrixRMaj(a))) {
            throw new IllegalStateException("eig failed");
        }
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[] {eig.getEigenvalue(i).real, eig.getEigenvalue(i).imaginary};
        }
        return out;
    }

    static double[][] gaussian(int n, Random rng) {
        double[][] g = new double[n][n];
        for (double[] row : g) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return g;
    }

    /** Q·D·Qᵀ with Q the orthogonal factor of a Gaussian matrix: a normal matrix with D's eigenvalues. */
    static double[][] orthogonallySimilar(double[][] d, Random rng) {
        int n = d.length;
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
        qr.decompose(new DMatrixRMaj(gaussian(n, rng)));
        DMatrixRMaj q = qr.getQ(null, false);
        DMatrixRMaj qd = new DMatrixRMaj(n, n);
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(q, new DMatrixRMaj(d), qd);
        CommonOps_DDRM.multTransB(qd, q, out);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = out.get(i, j);
            }
        }
        return a;
    }
}
