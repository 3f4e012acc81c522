package koopman4j.core.linalg;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Estimates ‖A^p‖₁ without forming A^p: the block 1-norm estimator of Higham &amp; Tisseur (SIAM J. Matrix
 * Anal. Appl. 21(4), 2000, Algorithm 2.4) with t = 2 columns and at most 5 iterations, as Al-Mohy &amp;
 * Higham 2011 use it (ℓ = 2). Each iteration applies A and then Aᵀ p times to two vectors; both are kept
 * so that every application is one pass of axpys over rows, which the JIT vectorises, split into slices of
 * 256 rows of the result that run in parallel. The estimate is a
 * lower bound, in practice exact or within a small factor; resampling uses a fixed seed, so the same A
 * always gives the same estimate.
 */
final class OneNormEstimator {
    private static final int T = 2;
    private static final int IT_MAX = 5;
    private static final int CHUNK = 256;

    private final int n;
    private final double[] a;
    private final double[] aT;
    private final Random random = new Random(1);

    OneNormEstimator(double[] a, int n) {
        this.n = n;
        this.a = a;
        this.aT = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                aT[j * n + i] = a[i * n + j];
            }
        }
    }

    /** An estimate of ‖A^p‖₁, exact for n ≤ 4t where trying every unit vector is no dearer. */
    double powerNorm(int p) {
        if (n <= 4 * T) {
            double[][] e = new double[n][n];
            for (int j = 0; j < n; j++) {
                e[j][j] = 1;
            }
            return max(columnNorms(power(aT, p, e)));
        }
        double[][] x = new double[T][n];
        Arrays.fill(x[0], 1.0 / n);
        for (int j = 1; j < T; j++) {
            do {
                randomSigns(x[j]);
            } while (parallelToAny(x[j], x, j, null));
            for (int i = 0; i < n; i++) {
                x[j][i] /= n;
            }
        }
        Set<Integer> visited = new HashSet<>();
        int[] ind = null;
        int indBest = -1;
        double estOld = 0;
        double[][] sOld = null;
        for (int k = 1; ; k++) {
            double[][] y = power(aT, p, x);                          // Y = A^p X
            double[] mags = columnNorms(y);
            int bestJ = argMax(mags);
            double est = mags[bestJ];
            if (k >= 2 && (est > estOld || k == 2)) {
                indBest = ind[bestJ];
            }
            if (k >= 2 && est <= estOld) {
                return estOld;                                       // (1) no increase
            }
            estOld = est;
            if (k > IT_MAX) {
                return est;
            }
            double[][] s = new double[T][];
            for (int j = 0; j < T; j++) {
                s[j] = signs(y[j]);
            }
            if (sOld != null && everyColumnParallel(s, sOld)) {
                return est;                                          // (2) S repeats S_old
            }
            for (int j = 0; j < T; j++) {
                while (parallelToAny(s[j], s, j, sOld)) {
                    randomSigns(s[j]);
                }
            }
            double[][] z = power(a, p, s);                           // Z = (A^p)ᵀ S
            double[] h = new double[n];
            for (double[] col : z) {
                for (int i = 0; i < n; i++) {
                    h[i] = Math.max(h[i], Math.abs(col[i]));
                }
            }
            if (k >= 2 && max(h) == h[indBest]) {
                return est;                                          // (4) no better unit vector
            }
            Integer[] order = IntStream.range(0, n).boxed().sorted((u, v) -> Double.compare(h[v], h[u])).toArray(Integer[]::new);
            if (visited.containsAll(Arrays.asList(order).subList(0, T))) {
                return est;                                          // (5) the best candidates were tried
            }
            ind = Arrays.stream(order).sorted((u, v) -> Boolean.compare(visited.contains(u), visited.contains(v)))
                    .mapToInt(Integer::intValue).toArray();         // stable: unvisited first, each by h
            x = new double[T][n];
            for (int j = 0; j < T; j++) {
                x[j][ind[j]] = 1;
                visited.add(ind[j]);
            }
            sOld = s;
        }
    }

    /** M^p x_j for each column x_j, M given by the rows of Mᵀ (mT): y = Σ_k x[k]·(row k of Mᵀ). */
    private double[][] power(double[] mT, int p, double[][] x) {
        double[][] y = x;
        int chunks = (n + CHUNK - 1) / CHUNK;
        for (int step = 0; step < p; step++) {
            double[][] in = y;
            double[][] out = new double[in.length][n];
            IntStream range = IntStream.range(0, chunks);
            (chunks > 1 ? range.parallel() : range).forEach(chunk -> {             // disjoint slices of y
                int from = chunk * CHUNK;
                int to = Math.min(n, from + CHUNK);
                for (int k = 0; k < n; k++) {
                    int row = k * n;
                    for (int j = 0; j + 1 < in.length; j += 2) {                       // two columns per pass over M
                        double x0 = in[j][k];
                        double x1 = in[j + 1][k];
                        double[] o0 = out[j];
                        double[] o1 = out[j + 1];
                        for (int i = from; i < to; i++) {
                            double m = mT[row + i];
                            o0[i] += x0 * m;
                            o1[i] += x1 * m;
                        }
                    }
                    if (in.length % 2 == 1) {
                        double xk = in[in.length - 1][k];
                        double[] o = out[in.length - 1];
                        for (int i = from; i < to; i++) {
                            o[i] += xk * mT[row + i];
                        }
                    }
                }
            });
            y = out;
        }
        return y;
    }

    private void randomSigns(double[] x) {
        for (int i = 0; i < n; i++) {
            x[i] = random.nextBoolean() ? 1 : -1;
        }
    }

    /** Whether sign vector v is parallel to one of the first j columns of s or to any column of sOld. */
    private boolean parallelToAny(double[] v, double[][] s, int j, double[][] sOld) {
        for (int l = 0; l < j; l++) {
            if (parallel(v, s[l])) {
                return true;
            }
        }
        if (sOld != null) {
            for (double[] w : sOld) {
                if (parallel(v, w)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean everyColumnParallel(double[][] s, double[][] sOld) {
        for (double[] v : s) {
            if (!parallelToAny(v, s, 0, sOld)) {
                return false;
            }
        }
        return true;
    }

    /** Vectors of equal-magnitude entries u, v are parallel when |uᵀv| = ‖u‖₁ (= n for ±1 entries). */
    private boolean parallel(double[] u, double[] v) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            dot += u[i] * v[i];
            norm += Math.abs(u[i] * v[i]);
        }
        return Math.abs(dot) == norm;
    }

    private static double[] signs(double[] y) {
        double[] s = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            s[i] = y[i] >= 0 ? 1 : -1;
        }
        return s;
    }

    private static double[] columnNorms(double[][] y) {
        double[] norms = new double[y.length];
        for (int j = 0; j < y.length; j++) {
            for (double v : y[j]) {
                norms[j] += Math.abs(v);
            }
        }
        return norms;
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
