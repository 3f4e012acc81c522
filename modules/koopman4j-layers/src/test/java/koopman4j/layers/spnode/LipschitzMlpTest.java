package koopman4j.layers.spnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class LipschitzMlpTest {

    private static final Logger LOG = LogManager.getLogger(LipschitzMlpTest.class);
    private static final Activation[] SIGMAS = {Activation.TANH, Activation.RELU, Activation.ELU};

    /** Every W_i and b_i drawn from N(0, scale²). */
    private static void randomise(SameDiff sd, LipschitzMlp.Options o, Random rng, double scale) {
        for (int i = 0; i < o.layers(); i++) {
            sd.getVariable("g/" + LipschitzMlp.weightName(i)).getArr()
                    .assign(Nd4j.create(Init.gaussian(rng, o.inputsOf(i) * o.outputsOf(i), scale)).reshape(o.inputsOf(i), o.outputsOf(i)));
            sd.getVariable("g/" + LipschitzMlp.biasName(i)).getArr().assign(Nd4j.create(Init.gaussian(rng, o.outputsOf(i), scale)));
        }
    }

    @Test
    void lipschitzBoundHoldsOnRandomPairsForRandomParameters() {
        Random rng = new Random(77);
        int pairs = 200;
        double worst = 0;
        double worstRaw = 0;
        int sets = 0;
        for (int draw = 0; draw < 18; draw++) {
            int n = 1 + rng.nextInt(5);
            LipschitzMlp.Options o = new LipschitzMlp.Options(n, 1 + rng.nextInt(3), 2 + rng.nextInt(8),
                    new double[] {0.1, 1, 4}[rng.nextInt(3)], SIGMAS[draw % 3], rng.nextBoolean());
            SameDiff sd = SameDiff.create();
            LipschitzMlp net = LipschitzMlp.declare(sd, "g/", o, DataType.DOUBLE, draw);
            // rows 0..pairs−1 are u, rows pairs..2·pairs−1 are v: half far apart, half close together
            double[][] uv = Arrays2.gaussian(rng, 2 * pairs, n, 3);
            for (int p = pairs / 2; p < pairs; p++) {
                for (int j = 0; j < n; j++) {
                    uv[pairs + p][j] = uv[p][j] + 1e-3 * rng.nextGaussian();
                }
            }
            SDVariable g = net.apply(sd, sd.constant(Nd4j.create(uv)));
            for (double scale : new double[] {0.1, 1, 30}) {
                randomise(sd, o, rng, scale);
                double[][] out = g.eval().toDoubleMatrix();
                double[][] raw = rawNetwork(net, uv);
                for (int p = 0; p < pairs; p++) {
                    double ratio = Arrays2.distance(out[p], out[pairs + p]) / Arrays2.distance(uv[p], uv[pairs + p]);
                    assertTrue(ratio <= o.lipschitzBound() * (1 + 1e-8), o + " scale " + scale + ": ratio " + ratio);
                    worst = Math.max(worst, ratio / o.lipschitzBound());
                    worstRaw = Math.max(worstRaw, Arrays2.distance(raw[p], raw[pairs + p])
                            / Arrays2.distance(uv[p], uv[pairs + p]) / o.lipschitzBound());
                }
                sets++;
            }
        }
        // without the normalisation of eq. 8 the same weights break the bound by far: it is what matters
        assertTrue(worstRaw > 10, "raw network ratio/L " + worstRaw);
        LOG.info("Lipschitz: {} parameter sets × {} pairs, max ‖g(u)−g(v)‖/(L‖u−v‖) = {} (unnormalised W: {})",
                sets, pairs, worst, worstRaw);
    }

    /** The same network with B_i = W_i (no normalisation, no L^{1/p}), in plain arithmetic. */
    private static double[][] rawNetwork(LipschitzMlp net, double[][] u) {
        LipschitzMlp.Options o = net.options();
        double[][] z = u;
        for (int i = 0; i < o.layers(); i++) {
            SDVariable w = net.parameters().get(2 * i);
            SDVariable b = net.parameters().get(2 * i + 1);
            z = Dense.affine(z, Init.values(w), Init.values(b), o.inputsOf(i), o.outputsOf(i));
            if (i < o.layers() - 1 || !o.linearOutput()) {
                z = Dense.activate(o.activation(), z);
            }
        }
        return z;
    }

    @Test
    void normalisedWeightsFollowEquationEight() {
        // W = [[3, −4], [1, 2]]: ‖W‖₁ = max(4, 6) = 6, ‖W‖_∞ = max(7, 3) = 7, so B = L^{1/p}·W/√42
        LipschitzMlp.Options o = new LipschitzMlp.Options(2, 2, 2, 9, Activation.TANH, false);
        SameDiff sd = SameDiff.create();
        LipschitzMlp net = LipschitzMlp.declare(sd, "g/", o, DataType.DOUBLE, 1);
        sd.getVariable("g/W0").getArr().assign(Nd4j.create(new double[][] {{3, -4}, {1, 2}}));
        sd.getVariable("g/W1").getArr().assign(Nd4j.create(new double[][] {{0.2, -0.1}, {0.3, 0.1}})); // √(0.5·0.3) < 1: unscaled
        double s = 3 / Math.sqrt(42);
        double[][] expected0 = {{3 * s, -4 * s}, {s, 2 * s}};
        Arrays2.assertClose(expected0, net.normalisedWeight(sd, 0).eval().toDoubleMatrix(), 1e-14, "B_0");
        Arrays2.assertClose(expected0, Init.matrix(net.normalisedWeightValues(0), 2, 2), 1e-14, "B_0 array");
        Arrays2.assertClose(new double[][] {{0.6, -0.3}, {0.9, 0.3}}, net.normalisedWeight(sd, 1).eval().toDoubleMatrix(), 1e-14, "B_1");
    }

    @Test
    void sameDiffEvaluationEqualsArrayEvaluation() {
        Random rng = new Random(12);
        for (Activation sigma : SIGMAS) {
            for (boolean linearOutput : new boolean[] {false, true}) {
                LipschitzMlp.Options o = new LipschitzMlp.Options(3, 3, 5, 2.5, sigma, linearOutput);
                SameDiff sd = SameDiff.create();
                LipschitzMlp net = LipschitzMlp.declare(sd, "g/", o, DataType.DOUBLE, 4);
                randomise(sd, o, rng, 2);
                double[][] u = Arrays2.gaussian(rng, 6, 3, 1);
                Arrays2.assertClose(net.evaluate(u), net.apply(sd, sd.constant(Nd4j.create(u))).eval().toDoubleMatrix(), 1e-12, o.toString());
                assertEquals(o.parameterCount(), net.parameters().stream().mapToLong(v -> v.getArr().length()).sum());
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferencesInDoublePrecision() {
        // small weights (max(1, ·) = 1, no gradient through the norms) and large ones (normalisation active)
        for (double scale : new double[] {0.05, 3}) {
            for (Activation sigma : SIGMAS) {
                LipschitzMlp.Options o = new LipschitzMlp.Options(3, 2, 4, 1.5, sigma, sigma == Activation.RELU);
                SameDiff sd = SameDiff.create();
                LipschitzMlp net = LipschitzMlp.declare(sd, "g/", o, DataType.DOUBLE, 8);
                randomise(sd, o, new Random(31), scale);
                SDVariable u = Init.variable(sd, "u", Init.gaussian(new Random(3), 12, 1), DataType.DOUBLE, 4, 3);
                List<SDVariable> vars = new ArrayList<>(net.parameters());
                vars.add(u);
                double worst = GradientCheck.check(sd, net.apply(sd, u), vars, 8, 41);
                LOG.info("Lipschitz {} scale {} gradient check: worst relative error {}", sigma, scale, worst);
            }
        }
    }

    @Test
    void rejectsBadOptions() {
        assertEquals("model.nonlinear.dimension must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new LipschitzMlp.Options(0, 2, 4, 1, Activation.TANH, false)).getMessage());
        assertEquals("model.nonlinear.layers must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new LipschitzMlp.Options(2, 0, 4, 1, Activation.TANH, false)).getMessage());
        assertEquals("model.nonlinear.width must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new LipschitzMlp.Options(2, 2, 0, 1, Activation.TANH, false)).getMessage());
        assertEquals("model.nonlinear.lipschitzBound must be a finite number > 0, got 0.0",
                assertThrows(InvalidDataException.class, () -> new LipschitzMlp.Options(2, 2, 4, 0, Activation.TANH, false)).getMessage());
        assertEquals("model.nonlinear.lipschitzBound must be a finite number > 0, got Infinity",
                assertThrows(InvalidDataException.class, () -> new LipschitzMlp.Options(2, 2, 4, Double.POSITIVE_INFINITY, Activation.TANH, false)).getMessage());
        assertEquals("model.nonlinear.lipschitzBound must be a finite number > 0, got NaN",
                assertThrows(InvalidDataException.class, () -> new LipschitzMlp.Options(2, 2, 4, Double.NaN, Activation.TANH, false)).getMessage());
        assertEquals("model.nonlinear.activation is missing; expected elu, relu or tanh",
                assertThrows(InvalidDataException.class, () -> new LipschitzMlp.Options(2, 2, 4, 1, null, false)).getMessage());
        assertEquals("model.nonlinear.activation crelu doubles the layer width; expected elu, relu or tanh",
                assertThrows(InvalidDataException.class, () -> new LipschitzMlp.Options(2, 2, 4, 1, Activation.CRELU, false)).getMessage());
    }
}
