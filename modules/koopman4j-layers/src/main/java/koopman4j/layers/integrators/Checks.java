package koopman4j.layers.integrators;

import koopman4j.core.data.InvalidDataException;
import org.nd4j.autodiff.samediff.SDVariable;

/** Input checks shared by the integrators; each failure is one line naming the routine and the argument. */
final class Checks {

    private Checks() {
    }

    /** A time step h: finite and positive. */
    static double step(String routine, double h) {
        if (!(h > 0) || !Double.isFinite(h)) {
            throw new InvalidDataException(routine + ": time step h is " + h + ", expected a finite number > 0");
        }
        return h;
    }

    /** A square, finite matrix; returns its order. */
    static int square(String routine, String name, double[][] a) {
        if (a == null || a.length == 0) {
            throw new InvalidDataException(routine + ": " + name + " is empty, expected a square matrix");
        }
        for (double[] row : a) {
            if (row == null || row.length != a.length) {
                throw new InvalidDataException(routine + ": " + name + " is " + a.length + " x "
                        + (row == null ? 0 : row.length) + ", expected a square matrix");
            }
        }
        finite(routine, name, a);
        return a.length;
    }

    /** A batch of finite rows of length n; returns the number of rows. */
    static int rows(String routine, String name, double[][] x, int n) {
        if (x == null || x.length == 0) {
            throw new InvalidDataException(routine + ": " + name + " has no rows, expected a batch of states of dimension " + n);
        }
        for (int r = 0; r < x.length; r++) {
            if (x[r] == null || x[r].length != n) {
                throw new InvalidDataException(routine + ": " + name + " row " + r + " has dimension "
                        + (x[r] == null ? 0 : x[r].length) + ", expected " + n + " (the order of A)");
            }
        }
        finite(routine, name, x);
        return x.length;
    }

    static void finite(String routine, String name, double[][] x) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new InvalidDataException(routine + ": " + name + "[" + i + "][" + j + "] is " + x[i][j] + ", expected a finite number");
                }
            }
        }
    }

    /** The shape of a graph variable where SameDiff knows it already, else null. */
    static long[] shape(SDVariable v) {
        try {
            return v.getShape();
        } catch (RuntimeException unknown) {
            return null;
        }
    }

    /** Fails when a graph variable's known dimension {@code axis} is not {@code expected}. */
    static void dimension(String routine, String name, SDVariable v, int axis, long expected, String why) {
        long[] shape = shape(v);
        if (shape != null && shape.length > axis && shape[axis] >= 0 && shape[axis] != expected) {
            throw new InvalidDataException(routine + ": " + name + " has " + shape[axis] + (axis == 0 ? " rows" : " columns")
                    + ", expected " + expected + " (" + why + ")");
        }
    }
}
