package koopman4j.layers.spnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

/** Small array helpers of the spnode tests. */
final class Arrays2 {

    private Arrays2() {
    }

    static double[][] gaussian(Random rng, int rows, int cols, double std) {
        double[][] a = new double[rows][cols];
        for (double[] r : a) {
            for (int j = 0; j < cols; j++) {
                r[j] = std * rng.nextGaussian();
            }
        }
        return a;
    }

    /** Entry by entry within tol·max(1, |expected|). */
    static void assertClose(double[][] expected, double[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + ": columns");
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], tol * Math.max(1, Math.abs(expected[i][j])), what + " (" + i + ", " + j + ")");
            }
        }
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static double distance(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.sqrt(s);
    }
}
