package koopman4j.layers.integrators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.layers.SameDiffQuiet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test helpers: random matrices, graph evaluation and finite-difference gradient checks in double precision. */
final class GraphCheck {

    private GraphCheck() {
    }

    static double[][] gaussian(Random rng, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (double[] r : a) {
            for (int j = 0; j < cols; j++) {
                r[j] = scale * rng.nextGaussian();
            }
        }
        return a;
    }

    static INDArray array(double[][] a) {
        return Nd4j.create(a).castTo(DataType.DOUBLE);
    }

    /** Value of a graph variable (no placeholders). */
    static double[][] eval(SameDiff sd, SDVariable v) {
        return sd.output(Map.of(), v.name()).get(v.name()).toDoubleMatrix();
    }

    /** A scalar loss Σ_ij R_ij y_ij with fixed random R, so every entry of y carries a gradient. */
    static SDVariable weightedSum(SameDiff sd, SDVariable y, int rows, int cols, long seed) {
        return y.mul(sd.constant(array(gaussian(new Random(seed), rows, cols, 1)))).sum();
    }

    /**
     * The largest |finite difference − gradient| over up to 6 random entries of each parameter, relative
     * to the largest |gradient| of all entries: central differences with step 1e-6·max(1, |θ_i|).
     */
    static double gradientError(SameDiff sd, SDVariable loss, List<String> parameters) {
        Random pick = new Random(parameters.hashCode());
        String name = loss.name();
        sd.setLossVariables(name);
        Map<String, INDArray> grads = SameDiffQuiet.call(() -> sd.calculateGradients(Map.of(), parameters));
        double worst = 0;
        double scale = 0;
        for (String p : parameters) {
            INDArray param = sd.getVariable(p).getArr();
            INDArray grad = grads.get(p);
            scale = Math.max(scale, grad.amaxNumber().doubleValue());
            for (int trial = 0; trial < Math.min(6, param.length()); trial++) {
                long i = param.length() <= 6 ? trial : pick.nextInt((int) param.length());
                double original = param.getDouble(i);
                double step = 1e-6 * Math.max(1, Math.abs(original));
                param.putScalar(i, original + step);
                double up = value(sd, name);
                param.putScalar(i, original - step);
                double down = value(sd, name);
                param.putScalar(i, original);
                double numeric = (up - down) / (2 * step);
                worst = Math.max(worst, Math.abs(numeric - grad.getDouble(i)));
            }
        }
        assertTrue(scale > 0, "all gradients are zero: the check would be empty");
        return worst / scale;
    }

    static double value(SameDiff sd, String name) {
        return sd.output(Map.of(), name).get(name).getDouble(0);
    }

    /** max |x − y| / max |y|. */
    static double relativeError(double[][] x, double[][] y) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y[i].length; j++) {
                diff = Math.max(diff, Math.abs(x[i][j] - y[i][j]));
                scale = Math.max(scale, Math.abs(y[i][j]));
            }
        }
        return diff / scale;
    }

    static double[][] times(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static double[][] scaled(double s, double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
            for (int j = 0; j < c[i].length; j++) {
                c[i][j] *= s;
            }
        }
        return c;
    }
}
