package koopman4j.core.linalg;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import koopman4j.core.data.InvalidDataException;

/**
 * Checks user matrices and copies them to and from the flat row-major arrays the algorithms work on.
 * Every problem is an {@link InvalidDataException} whose one-line message starts with the routine's name.
 */
final class RowMajor {
    private RowMajor() {
    }

    /** The square matrix a, flattened; its order is {@code a.length}. */
    static double[] square(String routine, String name, double[][] a) {
        int n = checkSquare(routine, name, a == null ? -1 : a.length, a == null ? null : i -> a[i] == null ? -1 : a[i].length);
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            copyFinite(routine, name, i, a[i], flat, i * n);
        }
        return flat;
    }

    /** As {@link #square(String, String, double[][])} in single precision. */
    static float[] square(String routine, String name, float[][] a) {
        int n = checkSquare(routine, name, a == null ? -1 : a.length, a == null ? null : i -> a[i] == null ? -1 : a[i].length);
        float[] flat = new float[n * n];
        for (int i = 0; i < n; i++) {
            copyFinite(routine, name, i, a[i], flat, i * n);
        }
        return flat;
    }

    /** The block b, which must have n rows of equal length, flattened. */
    static double[] block(String routine, String name, double[][] b, int n) {
        int cols = checkBlock(routine, name, b == null ? -1 : b.length, n, b == null ? null : i -> b[i] == null ? -1 : b[i].length);
        double[] flat = new double[n * cols];
        for (int i = 0; i < n; i++) {
            copyFinite(routine, name, i, b[i], flat, i * cols);
        }
        return flat;
    }

    /** As {@link #block(String, String, double[][], int)} in single precision. */
    static float[] block(String routine, String name, float[][] b, int n) {
        int cols = checkBlock(routine, name, b == null ? -1 : b.length, n, b == null ? null : i -> b[i] == null ? -1 : b[i].length);
        float[] flat = new float[n * cols];
        for (int i = 0; i < n; i++) {
            copyFinite(routine, name, i, b[i], flat, i * cols);
        }
        return flat;
    }

    /** The vector b of length n as an n × 1 block. */
    static double[] vector(String routine, String name, double[] b, int n) {
        checkVector(routine, name, b == null ? -1 : b.length, n);
        double[] flat = new double[n];
        copyFinite(routine, name, -1, b, flat, 0);
        return flat;
    }

    /** As {@link #vector(String, String, double[], int)} in single precision. */
    static float[] vector(String routine, String name, float[] b, int n) {
        checkVector(routine, name, b == null ? -1 : b.length, n);
        float[] flat = new float[n];
        copyFinite(routine, name, -1, b, flat, 0);
        return flat;
    }

    static void finite(String routine, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidDataException(routine + ": " + name + " is " + value + ", expected a finite number");
        }
    }

    static double[][] rows(double[] flat, int rows, int cols) {
        double[][] x = new double[rows][];
        for (int i = 0; i < rows; i++) {
            x[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        }
        return x;
    }

    static float[][] rows(float[] flat, int rows, int cols) {
        float[][] x = new float[rows][];
        for (int i = 0; i < rows; i++) {
            x[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        }
        return x;
    }

    private static int checkSquare(String routine, String name, int rows, IntUnaryOperator width) {
        if (rows <= 0) {
            throw new InvalidDataException(routine + ": " + name + " is " + (rows < 0 ? "missing" : "empty") + ", expected a square matrix");
        }
        int cols = checkRectangular(routine, name, rows, width);
        if (cols != rows) {
            throw new InvalidDataException(routine + ": " + name + " is " + rows + " x " + cols + ", expected a square matrix");
        }
        return rows;
    }

    private static int checkBlock(String routine, String name, int rows, int n, IntUnaryOperator width) {
        if (rows != n) {
            throw new InvalidDataException(routine + ": " + name + " has " + Math.max(rows, 0) + " rows, expected " + n + " (the order of A)");
        }
        int cols = checkRectangular(routine, name, rows, width);
        if (cols == 0) {
            throw new InvalidDataException(routine + ": " + name + " has no columns");
        }
        return cols;
    }

    private static int checkRectangular(String routine, String name, int rows, IntUnaryOperator width) {
        int cols = Math.max(width.applyAsInt(0), 0);
        for (int i = 1; i < rows; i++) {
            int w = width.applyAsInt(i);
            if (w != cols) {
                throw new InvalidDataException(routine + ": " + name + " row " + i + " has " + Math.max(w, 0) + " entries, row 0 has " + cols);
            }
        }
        return cols;
    }

    private static void checkVector(String routine, String name, int length, int n) {
        if (length != n) {
            throw new InvalidDataException(routine + ": " + name + " has " + Math.max(length, 0) + " entries, expected " + n + " (the order of A)");
        }
    }

    private static void copyFinite(String routine, String name, int row, double[] from, double[] to, int offset) {
        for (int j = 0; j < from.length; j++) {
            if (!Double.isFinite(from[j])) {
                throw new InvalidDataException(routine + ": " + name + entry(row, j) + " is " + from[j] + ", expected a finite number");
            }
            to[offset + j] = from[j];
        }
    }

    private static void copyFinite(String routine, String name, int row, float[] from, float[] to, int offset) {
        for (int j = 0; j < from.length; j++) {
            if (!Float.isFinite(from[j])) {
                throw new InvalidDataException(routine + ": " + name + entry(row, j) + " is " + from[j] + ", expected a finite number");
            }
            to[offset + j] = from[j];
        }
    }

    private static String entry(int row, int col) {
        return row < 0 ? "[" + col + "]" : "[" + row + "][" + col + "]";
    }
}
