package koopman4j.edmd;

import java.util.Random;
import koopman4j.core.data.InvalidDataException;

/** k-means centres: k-means++ seeding (Arthur &amp; Vassilvitskii 2007) then Lloyd iterations. */
final class KMeans {

    private static final int MAX_ITERATIONS = 100;

    private KMeans() {
    }

    /** {@code k} centres of {@code points}, reproducible from {@code seed}. */
    static double[][] centres(double[][] points, int k, long seed) {
        if (k < 1) {
            throw new InvalidDataException("rbf: centres must be ≥ 1, got " + k);
        }
        if (k > points.length) {
            throw new InvalidDataException("rbf: " + k + " centres but only " + points.length + " training states — lower --centres");
        }
        Random rng = new Random(seed);
        int n = points[0].length;
        double[][] c = new double[k][];
        c[0] = points[rng.nextInt(points.length)].clone();
        double[] d2 = new double[points.length];
        java.util.Arrays.fill(d2, Double.POSITIVE_INFINITY);
        for (int j = 1; j < k; j++) {
            // next centre drawn with probability ∝ D(x)², D the distance to the nearest centre so far
            double total = 0;
            for (int p = 0; p < points.length; p++) {
                d2[p] = Math.min(d2[p], distance2(points[p], c[j - 1]));
                total += d2[p];
            }
            if (!(total > 0)) {
                throw new InvalidDataException("rbf: the training data have only " + j + " distinct states, fewer than the "
                        + k + " centres asked for — lower --centres");
            }
            double u = rng.nextDouble() * total;
            int pick = -1;
            double acc = 0;
            for (int p = 0; p < points.length; p++) {
                if (d2[p] > 0) {
                    pick = p; // the last point with weight, should rounding leave u past the total
                    acc += d2[p];
                    if (acc > u) {
                        break;
                    }
                }
            }
            c[j] = points[pick].clone();
        }
        int[] assignment = new int[points.length];
        java.util.Arrays.fill(assignment, -1);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            boolean changed = false;
            for (int p = 0; p < points.length; p++) {
                int best = nearest(points[p], c);
                changed |= best != assignment[p];
                assignment[p] = best;
            }
            if (!changed) {
                break;
            }
            double[][] sum = new double[k][n];
            int[] count = new int[k];
            for (int p = 0; p < points.length; p++) {
                count[assignment[p]]++;
                for (int i = 0; i < n; i++) {
                    sum[assignment[p]][i] += points[p][i];
                }
            }
            for (int j = 0; j < k; j++) {
                if (count[j] > 0) { // an emptied cluster keeps its centre
                    for (int i = 0; i < n; i++) {
                        c[j][i] = sum[j][i] / count[j];
                    }
                }
            }
        }
        return c;
    }

    private static int nearest(double[] x, double[][] c) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c.length; j++) {
            double d = distance2(x, c[j]);
            if (d < bestD) {
                bestD = d;
                best = j;
            }
        }
        return best;
    }

    private static double distance2(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
