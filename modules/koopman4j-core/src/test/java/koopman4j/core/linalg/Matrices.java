package koopman4j.core.linalg;

import java.util.Random;

/** Test matrices and error measures for the linalg tests. */
final class Matrices {
    private Matrices() {
    }

    /** ‖x − ref‖_F / ‖ref‖_F. */
    static double relativeError(double[][] x, double[][] ref) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[i].length; j++) {
                diff += (x[i][j] - ref[i][j]) * (x[i][j] - ref[i][j]);
                norm += ref[i][j] * ref[i][j];
            }
        }
        return Math.sqrt(diff / norm);
    }

    static double relativeError(float[][] x, double[][] ref) {
        return relativeError(toDouble(x), ref);
    }

    /** The largest componentwise relative error max |x − ref| / |ref| over entries with ref ≠ 0. */
    static double componentwiseError(double[][] x, double[][] ref) {
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[i].length; j++) {
                worst = Math.max(worst, ref[i][j] == 0 ? Math.abs(x[i][j]) : Math.abs(x[i][j] - ref[i][j]) / Math.abs(ref[i][j]));
            }
        }
        return worst;
    }

    static double[][] gaussian(int rows, int cols, double scale, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * random.nextGaussian();
            }
        }
        return x;
    }

    static double[][] identity(int n) {
        double[][] x = new double[n][n];
        for (int i = 0; i < n; i++) {
            x[i][i] = 1;
        }
        return x;
    }

    /** Rounds to float: single-precision tests start from these exact float values. */
    static float[][] toFloat(double[][] x) {
        float[][] f = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            f[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                f[i][j] = (float) x[i][j];
            }
        }
        return f;
    }

    static double[][] toDouble(float[][] x) {
        double[][] d = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            d[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                d[i][j] = x[i][j];
            }
        }
        return d;
    }

    static boolean allFinite(double[][] x) {
        for (double[] row : x) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
