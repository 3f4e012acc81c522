package koopman4j.layers.spnode;

import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded initial values (java.util.Random, so they do not depend on the ND4J backend). */
final class Init {

    private Init() {
    }

    /** count draws of N(0, std²). */
    static double[] gaussian(Random rng, int count, double std) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = std * rng.nextGaussian();
        }
        return v;
    }

    /** Xavier-normal weights of a [in, out] matrix, row-major. */
    static double[] xavier(Random rng, int in, int out) {
        return gaussian(rng, in * out, Math.sqrt(2.0 / (in + out)));
    }

    /** A trainable variable holding the row-major values with the given shape. */
    static SDVariable variable(SameDiff sd, String name, double[] values, DataType type, long... shape) {
        return sd.var(name, Nd4j.create(values).reshape('c', shape).castTo(type));
    }

    /** The current values of a variable, flattened row-major, in double. */
    static double[] values(SDVariable v) {
        INDArray a = v.getArr();
        return a.castTo(DataType.DOUBLE).dup('c').reshape(a.length()).toDoubleVector();
    }

    /** Row-major values of a [rows, cols] matrix as a 2-D array. */
    static double[][] matrix(double[] values, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(values, i * cols, m[i], 0, cols);
        }
        return m;
    }
}
