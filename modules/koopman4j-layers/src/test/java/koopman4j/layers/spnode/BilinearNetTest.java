package koopman4j.layers.spnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.SameDiffQuiet;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BilinearNetTest {

    private static final Logger LOG = LogManager.getLogger(BilinearNetTest.class);

    /**
     * The Jacobian ∂g/∂u at u by autodiff: row i is the gradient of g_i, from one graph with u as a
     * variable and the loss g·e_i.
     */
    private static double[][] jacobian(BilinearNet.Options o, long seed, double[] u) {
        int n = o.dimension();
        double[][] j = new double[n][];
        for (int i = 0; i < n; i++) {
            SameDiff sd = SameDiff.create();
            BilinearNet net = BilinearNet.declare(sd, "g/", o, DataType.DOUBLE, seed);
            SDVariable uv = Init.variable(sd, "u", u, DataType.DOUBLE, 1, n);
            double[] e = new double[n];
            e[i] = 1;
            SDVariable loss = net.apply(sd, uv).mul(sd.constant(Nd4j.create(e).reshape(1, n))).sum();
            sd.setLossVariables(loss);
            Map<String, INDArray> grads = SameDiffQuiet.call(() -> sd.calculateGradients(Map.of(), "u"));
            j[i] = grads.get("u").reshape(n).toDoubleVector();
        }
        return j;
    }

    @Test
    void jacobianVanishesAtTheOriginWithoutBias() {
        for (int rank : new int[] {1, 3}) {
            BilinearNet.Options o = new BilinearNet.Options(4, rank, false);
            double[][] atZero = jacobian(o, 5, new double[4]);
            for (double[] row : atZero) {
                for (double v : row) {
                    assertEquals(0, v, 0, "rank " + rank);
                }
            }
            // away from 0 it is Σ_r diag(C_r u) D_r + diag(D_r u) C_r: not zero, so the test above can fail
            double[] u = {0.3, -1.2, 0.8, 0.5};
            double[][] expected = closedFormJacobian(o, 5, u);
            double[][] actual = jacobian(o, 5, u);
            Arrays2.assertClose(expected, actual, 1e-12, "J(u)");
            assertTrue(Arrays2.norm(actual[0]) > 1e-3);
        }
    }

    @Test
    void jacobianAtOriginWithTrainedBiasIsStillZeroByFiniteDifferences() {
        // b shifts g but not its derivative: central differences of g at 0 are O(h)
        BilinearNet.Options o = new BilinearNet.Options(3, 2, true);
        SameDiff sd = SameDiff.create();
        BilinearNet net = BilinearNet.declare(sd, "g/", o, DataType.DOUBLE, 9);
        sd.getVariable("g/" + BilinearNet.B).getArr().assign(Nd4j.create(new double[] {1, -2, 3}));
        double h = 1e-4;
        for (int j = 0; j < 3; j++) {
            double[][] plus = new double[1][3];
            double[][] minus = new double[1][3];
            plus[0][j] = h;
            minus[0][j] = -h;
            double[] up = net.evaluate(plus)[0];
            double[] down = net.evaluate(minus)[0];
            for (int i = 0; i < 3; i++) {
                assertEquals(0, (up[i] - down[i]) / (2 * h), 1e-12, "∂g_" + i + "/∂u_" + j);
            }
        }
    }

    private static double[][] closedFormJacobian(BilinearNet.Options o, long seed, double[] u) {
        int n = o.dimension();
        Map<String, double[]> p = BilinearNet.initialValues(o, seed);
        double[] c = p.get(BilinearNet.C);
        double[] d = p.get(BilinearNet.D);
        double[][] j = new double[n][n];
        for (int r = 0; r < o.rank(); r++) {
            for (int i = 0; i < n; i++) {
                int row = (r * n + i) * n;
                double cu = 0;
                double du = 0;
                for (int k = 0; k < n; k++) {
                    cu += c[row + k] * u[k];
                    du += d[row + k] * u[k];
                }
                for (int k = 0; k < n; k++) {
                    j[i][k] += cu * d[row + k] + du * c[row + k];
                }
            }
        }
        return j;
    }

    @Test
    void sameDiffEvaluationEqualsArrayEvaluation() {
        Random rng = new Random(4);
        for (int[] shape : new int[][] {{1, 1}, {3, 1}, {5, 2}, {6, 6}}) {
            for (boolean bias : new boolean[] {false, true}) {
                BilinearNet.Options o = new BilinearNet.Options(shape[0], shape[1], bias);
                SameDiff sd = SameDiff.create();
                BilinearNet net = BilinearNet.declare(sd, "g/", o, DataType.DOUBLE, 3);
                if (bias) {
                    sd.getVariable("g/b").getArr().assign(Nd4j.create(Init.gaussian(rng, shape[0], 1)));
                }
                double[][] u = Arrays2.gaussian(rng, 7, shape[0], 1.5);
                double[][] graph = net.apply(sd, sd.constant(Nd4j.create(u))).eval().toDoubleMatrix();
                Arrays2.assertClose(net.evaluate(u), graph, 1e-12, "n=" + shape[0] + " R=" + shape[1]);
                assertEquals(o.parameterCount(), net.parameters().stream().mapToLong(v -> v.getArr().length()).sum());
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferencesInDoublePrecision() {
        for (int[] shape : new int[][] {{1, 1}, {4, 2}}) {
            SameDiff sd = SameDiff.create();
            BilinearNet net = BilinearNet.declare(sd, "g/", new BilinearNet.Options(shape[0], shape[1], true), DataType.DOUBLE, 21);
            sd.getVariable("g/b").getArr().assign(Nd4j.create(Init.gaussian(new Random(1), shape[0], 1)));
            SDVariable u = Init.variable(sd, "u", Init.gaussian(new Random(2), 3 * shape[0], 1), DataType.DOUBLE, 3, shape[0]);
            List<SDVariable> vars = new ArrayList<>(net.parameters());
            vars.add(u);
            double worst = GradientCheck.check(sd, net.apply(sd, u), vars, 12, 23);
            LOG.info("Bilinear n={} R={} gradient check: worst relative error {}", shape[0], shape[1], worst);
        }
    }

    @Test
    void rejectsBadOptions() {
        assertEquals("model.nonlinear.dimension must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new BilinearNet.Options(0, 1, false)).getMessage());
        assertEquals("model.nonlinear.rank must be between 1 and the dimension 3, got 0",
                assertThrows(InvalidDataException.class, () -> new BilinearNet.Options(3, 0, false)).getMessage());
        assertEquals("model.nonlinear.rank must be between 1 and the dimension 3, got 4",
                assertThrows(InvalidDataException.class, () -> new BilinearNet.Options(3, 4, true)).getMessage());
    }
}
