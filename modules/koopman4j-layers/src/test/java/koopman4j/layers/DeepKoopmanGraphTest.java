package koopman4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DeepKoopmanGraphTest {

    private static final int N = 3;
    private static final int WINDOWS = 4;
    private static final int HORIZON = 5;

    private static DeepDictionary.Options dict(Activation activation, boolean residual) {
        return new DeepDictionary.Options(N, 2, 6, 4, activation, residual, 0);
    }

    private static INDArray windows(int horizon, long seed) {
        return Nd4j.create(randomRows(new Random(seed), WINDOWS * (horizon + 1), N));
    }

    private static double[][] randomRows(Random rng, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] r : a) {
            for (int j = 0; j < cols; j++) {
                r[j] = rng.nextGaussian();
            }
        }
        return a;
    }

    /** K away from the identity so the rollout terms have real gradients. */
    private static void perturbK(SameDiff sd, long seed) {
        INDArray k = sd.getVariable(DeepKoopmanGraph.K).getArr();
        double[][] noise = randomRows(new Random(seed), (int) k.rows(), (int) k.columns());
        k.addi(Nd4j.create(noise).muli(0.1));
    }

    private static double loss(SameDiff sd, INDArray z) {
        return sd.output(Map.of(DeepKoopmanGraph.Z, z), DeepKoopmanGraph.LOSS).get(DeepKoopmanGraph.LOSS).getDouble(0);
    }

    @Test
    void koopmanLossGradientMatchesCentralDifferencesInDoublePrecision() {
        for (Activation activation : List.of(Activation.ELU, Activation.TANH, Activation.CRELU)) {
            Nd4j.getRandom().setSeed(3);
            SameDiff sd = DeepKoopmanGraph.training(dict(activation, activation == Activation.TANH),
                    new DeepKoopmanGraph.LossWeights(1e-2, 1e-3, 0.5, 0.7, 0.3),
                    new DeepKoopmanGraph.Batch(WINDOWS, HORIZON), DataType.DOUBLE);
            perturbK(sd, 5);
            INDArray z = windows(HORIZON, 7);
            Map<String, INDArray> grads = SameDiffQuiet.call(() -> sd.calculateGradients(Map.of(DeepKoopmanGraph.Z, z),
                    parameterNames(sd)));
            Random pick = new Random(11);
            for (String name : parameterNames(sd)) {
                INDArray param = sd.getVariable(name).getArr();
                INDArray grad = grads.get(name);
                for (int trial = 0; trial < 6; trial++) {
                    long i = pick.nextInt((int) param.length());
                    double original = param.getDouble(i);
                    double h = 1e-6;
                    param.putScalar(i, original + h);
                    double up = loss(sd, z);
                    param.putScalar(i, original - h);
                    double down = loss(sd, z);
                    param.putScalar(i, original);
                    double numeric = (up - down) / (2 * h);
                    double analytic = grad.getDouble(i);
                    assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)),
                            activation + " " + name + "[" + i + "]");
                }
            }
        }
    }

    private static List<String> parameterNames(SameDiff sd) {
        return sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE).map(SDVariable::name).toList();
    }

    @Test
    void rolloutByDoublingEqualsRepeatedMultiplication() {
        SameDiff sd = SameDiff.create();
        Random rng = new Random(1);
        double[][] k = randomRows(rng, 5, 5);
        double[][] psi0 = randomRows(rng, 3, 5);
        SDVariable kv = sd.constant(Nd4j.create(k));
        SDVariable p = sd.constant(Nd4j.create(psi0));
        for (int horizon : new int[] {1, 2, 3, 7, 8, 13}) {
            INDArray stack = DeepKoopmanGraph.rolloutByDoubling(sd, p, kv, horizon).eval();
            assertTrue(stack.rows() >= (long) (horizon + 1) * 3);
            double[][] current = psi0;
            for (int step = 0; step <= horizon; step++) {
                for (int w = 0; w < 3; w++) {
                    for (int j = 0; j < 5; j++) {
                        assertEquals(current[w][j], stack.getDouble(step * 3L + w, j), 1e-9 * Math.max(1, Math.abs(current[w][j])),
                                "h=" + horizon + " k=" + step);
                    }
                }
                current = timesTranspose(current, k);
            }
        }
    }

    private static double[][] timesTranspose(double[][] rows, double[][] k) {
        double[][] out = new double[rows.length][k.length];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < k.length; i++) {
                for (int j = 0; j < k.length; j++) {
                    out[r][i] += k[i][j] * rows[r][j];
                }
            }
        }
        return out;
    }

    @Test
    void oneStepLossEqualsEquationEightPlusWeightedStateTermComputedByHand() {
        Nd4j.getRandom().setSeed(2);
        double stateWeight = 2.5;
        SameDiff sd = DeepKoopmanGraph.training(dict(Activation.ELU, false), new DeepKoopmanGraph.LossWeights(0, 0, stateWeight, 0, 0),
                new DeepKoopmanGraph.Batch(WINDOWS, 1), DataType.DOUBLE);
        perturbK(sd, 9);
        INDArray z = windows(1, 4);
        SameDiff inference = DeepKoopmanGraph.inference(dict(Activation.ELU, false), DataType.DOUBLE);
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                inference.getVariable(v.name()).getArr().assign(v.getArr());
            }
        }
        double[][] psi = inference.output(Map.of(DeepKoopmanGraph.X, z), DeepKoopmanGraph.PSI).get(DeepKoopmanGraph.PSI).toDoubleMatrix();
        double[][] k = sd.getVariable(DeepKoopmanGraph.K).getArr().toDoubleMatrix();
        double expected = 0;
        for (int w = 0; w < WINDOWS; w++) {
            double[] predicted = timesTranspose(new double[][] {psi[w]}, k)[0];
            for (int j = 0; j < predicted.length; j++) {
                double d = psi[WINDOWS + w][j] - predicted[j];
                expected += (j < N ? 1 + stateWeight : 1) * d * d; // eq. 8, plus the state part weighted once more
            }
            // ψ keeps the state: its first n entries are x itself
            for (int j = 0; j < N; j++) {
                assertEquals(z.getDouble(w, j), psi[w][j], 0);
            }
        }
        assertEquals(expected / WINDOWS, loss(sd, z), 1e-12);
    }

    @Test
    void rejectsBadShapesAndWeights() {
        assertEquals("model.dictionary.depth must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new DeepDictionary.Options(3, 0, 8, 4, Activation.ELU, false, 0)).getMessage());
        assertEquals("model.dictionary.dropout must be in [0, 1), got 1.0",
                assertThrows(InvalidDataException.class, () -> new DeepDictionary.Options(3, 2, 8, 4, Activation.ELU, false, 1)).getMessage());
        assertEquals("model.loss.lambdaK must be a finite number ≥ 0, got -1.0",
                assertThrows(InvalidDataException.class, () -> new DeepKoopmanGraph.LossWeights(-1, 0, 0, 0, 0)).getMessage());
        assertEquals("model.loss.stateWeight must be a finite number ≥ 0, got NaN",
                assertThrows(InvalidDataException.class, () -> new DeepKoopmanGraph.LossWeights(0, 0, Double.NaN, 0, 0)).getMessage());
        assertEquals("unknown activation 'sigmoid'; expected elu, relu, tanh or crelu",
                assertThrows(InvalidDataException.class, () -> Activation.parse("sigmoid")).getMessage());
        assertEquals("rollout horizon must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new DeepKoopmanGraph.Batch(4, 0)).getMessage());
    }
}
