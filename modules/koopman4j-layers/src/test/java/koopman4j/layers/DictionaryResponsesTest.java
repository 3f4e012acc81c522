package koopman4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Normalisation;
import koopman4j.core.model.DictionaryResponses;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@link DeepKoopman#dictionaryResponses} (seed 000, Fig. 3) against the dictionary's MLP evaluated by hand. */
class DictionaryResponsesTest {

    private static final double[] MEAN = {1.5, -0.4, 3.0};
    private static final double[] SCALE = {0.5, 2.0, 0.1};

    /** A 3-input dictionary, two ELU layers of 5, 4 learned functions, with random weights and biases (not the zero-bias init). */
    private static DeepKoopman model() {
        DeepDictionary.Options dict = new DeepDictionary.Options(3, 2, 5, 4, Activation.ELU, false, 0);
        SameDiff graph = DeepKoopmanGraph.inference(dict, DataType.DOUBLE);
        Random rng = new Random(7);
        for (int i = 0; i <= dict.depth(); i++) {
            for (String name : List.of("dict/w" + i, "dict/b" + i)) {
                long[] shape = graph.getVariable(name).getArr().shape();
                double[] values = new double[(int) graph.getVariable(name).getArr().length()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = rng.nextGaussian();
                }
                graph.getVariable(name).setArray(Nd4j.create(values, shape, DataType.DOUBLE));
            }
        }
        return new DeepKoopman(graph, new Normalisation(MEAN, SCALE), dict, DelayEmbedding.NONE, List.of("x", "y", "z"), 0.1, null);
    }

    /** N_θ(z), z = (x − mean)/scale, written out: h = elu(hW₀ + b₀), …, N = hW_d + b_d. */
    private static double[] byHand(DeepKoopman model, double[] x) {
        SameDiff g = model.graph();
        double[] h = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            h[i] = (x[i] - MEAN[i]) / SCALE[i];
        }
        for (int layer = 0; layer <= 2; layer++) {
            double[][] w = g.getVariable("dict/w" + layer).getArr().toDoubleMatrix();
            double[] b = g.getVariable("dict/b" + layer).getArr().toDoubleVector();
            double[] next = new double[b.length];
            for (int j = 0; j < b.length; j++) {
                double s = b[j];
                for (int i = 0; i < h.length; i++) {
                    s += h[i] * w[i][j];
                }
                next[j] = layer < 2 ? (s > 0 ? s : Math.expm1(s)) : s;
            }
            h = next;
        }
        return h;
    }

    @Test
    void responsesAreTheLearnedFunctionsAtTheSweptStates() {
        DeepKoopman model = model();
        DictionaryResponses r = model.dictionaryResponses(9);
        assertEquals(List.of("x", "y", "z"), r.inputNames());
        assertArrayEquals(MEAN, r.reference());
        assertEquals(4, r.functions());
        for (int i = 0; i < 3; i++) {
            assertEquals(-2 * SCALE[i], r.offsets()[i][0], 1e-15);
            assertEquals(0, r.offsets()[i][4], 1e-15);
            assertEquals(2 * SCALE[i], r.offsets()[i][8], 1e-15);
            for (int p = 0; p < 9; p++) {
                double[] x = MEAN.clone();
                x[i] += r.offsets()[i][p];
                assertArrayEquals(byHand(model, x), r.responses()[i][p], 1e-12, "input " + i + " point " + p);
            }
        }
    }

    @Test
    void sweepsAroundAGivenReference() {
        DeepKoopman model = model();
        double[] reference = {0, 1, 2};
        DictionaryResponses r = model.dictionaryResponses(reference, new double[] {1, 1, 1}, 3);
        double[] x = {0, 1, 3}; // z at reference + 1
        assertArrayEquals(byHand(model, x), r.responses()[2][2], 1e-12);
    }

    @Test
    void mostResponsiveOrdersFunctionsBySpread() {
        double[][][] responses = {{{0, 5, 1}, {0, -5, 2}, {0, 0, 3}}}; // spreads 0, 10, 2
        DictionaryResponses r = new DictionaryResponses(List.of("x"), new double[] {0}, new double[][] {{-1, 0, 1}}, responses);
        assertArrayEquals(new int[] {1, 2}, r.mostResponsive(0, 2));
        assertArrayEquals(new int[] {1, 2, 0}, r.mostResponsive(0, 10));
    }

    @Test
    void refusesAReferenceOfTheWrongSizeAndTooFewPoints() {
        DeepKoopman model = model();
        assertEquals("dictionary responses: the reference has 2 entries; the model expects 3 [x, y, z]", assertThrows(
                InvalidDataException.class, () -> model.dictionaryResponses(new double[] {0, 0}, new double[] {1, 1}, 5)).getMessage());
        assertEquals("dictionary responses: need at least 2 points per observable, got 1",
                assertThrows(InvalidDataException.class, () -> model.dictionaryResponses(1)).getMessage());
        assertEquals("dictionary responses: y: reference 0.0 ± 0.0; expected a finite reference and a finite half-width > 0",
                assertThrows(InvalidDataException.class,
                        () -> model.dictionaryResponses(new double[] {0, 0, 0}, new double[] {1, 0, 1}, 5)).getMessage());
    }
}
