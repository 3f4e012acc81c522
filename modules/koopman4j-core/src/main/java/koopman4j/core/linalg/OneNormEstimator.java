package koopman4j.core.linalg;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Estimates ‖A^p‖₁ without forming A^p: the block 1-norm estimator of Higham &amp; Tisseur (SIAM J. Matrix
 * Anal. Appl. 21(4), 2000, Algorithm 2.4) with t = 2 columns and at most 5 iterations, as Al-Mohy &amp;
 * Higham 2011 use it (ℓ = 2). Each iteration costs 2p products of A or Aᵀ with an n × 2 block. The
 * estimate is a lower bound, in practice exact or within a small factor. Resampling uses a fixed seed,
 * so the same A always gives the same estimate.
 */
final class OneNormEstimator {
    private static final int T = 2;
    private static final int IT_MAX = 5;

    private final int n;
    private final Gemm.Left64 a;
    private final Gemm.Left64 aT;
    private final Random random = new Random(1);

    OneNormEstimator(double[] a, int n, Gemm gemm) {
        this.n = n;
        this.a = gemm.left(a, n, n);
        this.aT = gemm.left(transpose(a, n), n, n);
    }

    /** An estimate of ‖A^p‖₁, exact for n ≤ 4t where trying unit vectors is no cheaper. */
    double powerNorm(int p) {
        if (n <= 4 * T) {
            return max(columnNorms(power(a, p, identity(n), n), n));
        }
        double[] x = new double[n * T];
        for (int i = 0; i < n; i++) {
            x[i * T] = 1;
        }
        for (int j = 1; j < T; j++) {
            do {
                randomSigns(x, j);
            } while (parallelToEarlier(x, j, null));
        }
        scale(x, 1.0 / n);
        Set<Integer> visited = new HashSet<>();
        int[] ind = null;
        int indBest = -1;
        double estOld = 0;
        double[] sOld = null;
        for (int k = 1; ; k++) {
            double[] y = power(a, p, x, T);
            double[] mags = columnNorms(y, T);
            int bestJ = argMax(mags);
            double est = mags[bestJ];
            if (k >= 2 && (est > estOld || k == 2)) {
                indBest = ind[bestJ];
            }
            if (k >= 2 && est <= estOld) {
                return estOld;                                   // (1) no increase
            }
            estOld = est;
            if (k > IT_MAX) {
                return est;
            }
            double[] s = signs(y);
            if (sOld != null && everyColumnParallel(s, sOld)) {
                return est;                                      // (2) S repeats S_old
            }
            for (int j = 0; j < T; j++) {
                while (parallelToEarlier(s, j, sOld)) {
                    randomSigns(s, j);
                }
            }
            double[] z = power(aT, p, s, T);
            double[] h = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < T; j++) {
                    h[i] = Math.max(h[i], Math.abs(z[i * T + j]));
                }
            }
            if (k >= 2 && max(h) == h[indBest]) {
                return est;                                      // (4) no better unit vector
            }
            Integer[] order = IntStream.range(0, n).boxed().sorted((u, v) -> Double.compare(h[v], h[u])).toArray(Integer[]::new);
            if (visited.containsAll(Arrays.asList(order).subList(0, T))) {
                return est;                                      // (5) best candidates already tried
            }
            ind = Arrays.stream(order).sorted((u, v) -> Boolean.compare(visited.contains(u), visited.contains(v)))
                    .mapToInt(Integer::intValue).toArray();     // stable: unvisited first, each by h
            x = new double[n * T];
            for (int j = 0; j < T; j++) {
                x[ind[j] * T + j] = 1;
                visited.add(ind[j]);
            }
            sOld = s;
        }
    }

    private static double[] power(Gemm.Left64 a, int p, double[] x, int cols) {
        double[] y = x.clone();
        double[] next = new double[y.length];
        for (int i = 0; i < p; i++) {
            a.times(y, cols, next);
            double[] swap = y;
            y = next;
            next = swap;
        }
        return y;
    }

    private void randomSigns(double[] x, int j) {
        for (int i = 0; i < n; i++) {
            x[i * T + j] = random.nextBoolean() ? 1 : -1;
        }
    }

    /** Whether sign column j of s is parallel to an earlier column of s or to any column of sOld. */
    private boolean parallelToEarlier(double[] s, int j, double[] sOld) {
        for (int l = 0; l < j; l++) {
            if (parallel(s, j, s, l)) {
                return true;
            }
        }
        if (sOld != null) {
            for (int l = 0; l < T; l++) {
                if (parallel(s, j, sOld, l)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean everyColumnParallel(double[] s, double[] sOld) {
        for (int j = 0; j < T; j++) {
            boolean found = false;
            for (int l = 0; l < T && !found; l++) {
                found = parallel(s, j, sOld, l);
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** ±1 columns u, v are parallel when |uᵀv| = n. */
    private boolean parallel(double[] u, int j, double[] v, int l) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
            dot += u[i * T + j] * v[i * T + l];
        }
        return Math.abs(dot) == n;
    }

    private static double[] signs(double[] y) {
        double[] s = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            s[i] = y[i] >= 0 ? 1 : -1;
        }
        return s;
    }

    private static double[] columnNorms(double[] y, int cols) {
        double[] norms = new double[cols];
        for (int i = 0; i < y.length; i++) {
            norms[i % cols] += Math.abs(y[i]);
        }
        return norms;
    }

    private static double[] identity(int n) {
        double[] x = new double[n * n];
        for (int i = 0; i < n; i++) {
            x[i * n + i] = 1;
        }
        return x;
    }

    private static double[] transpose(double[] a, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j * n + i] = a[i * n + j];
            }
        }
        return t;
    }

    private static void scale(double[] x, double alpha) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= alpha;
        }
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double max(double[] v) {
        return v[argMax(v)];
    }
}
