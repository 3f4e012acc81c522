package koopman4j.layers.spnode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
import koopman4j.layers.integrators.Integrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link StructurePreservingNode}'s per-state scale (seed 001 §5.2 trains on ŷ₂ = 10⁴·y₂) and its forecasts along
 * given times: the scaled model is the unscaled one seen through x̂ = s ⊙ x, in every output, and the scale
 * survives save and load.
 */
class StructurePreservingNodeTest {

    private static final double[] SCALE = {1, 1e4, 1};
    private static final List<String> NAMES = List.of("y1", "y2", "y3");
    /** Log-spaced like the Robertson grid: steps from 3·10⁻⁶ to 10⁶, the dense expmv path included. */
    private static final double[] TIMES = {4e-6, 7e-6, 1e-3, 0.5, 40, 4e3, 1e6, 2e6};

    @TempDir
    Path dir;

    /** An ETD1 model with a Lipschitz g, with or without an autoencoder, parameters moved off their seeded start. */
    private static StructurePreservingNode model(boolean autoencoder) {
        StructurePreservingNode.Options o = new StructurePreservingNode.Options(3, new HurwitzLinear.Options(3, -0.1), null,
                new LipschitzMlp.Options(3, 2, 8, 1.5, Activation.TANH, true),
                autoencoder ? new Autoencoder.Options(3, 3, List.of(6), Activation.TANH) : null, Integrator.ETD1);
        SameDiff sd = SameDiff.create();
        StructurePreservingNode.Parts parts = StructurePreservingNode.declare(sd, o, DataType.DOUBLE, 7);
        Random rng = new Random(3);
        for (SDVariable p : parts.parameters()) {
            p.getArr().addi(Nd4j.create(Init.gaussian(rng, (int) p.getArr().length(), 0.2)).reshape(p.getArr().shape()));
        }
        return new StructurePreservingNode(o, parts, NAMES, 0.1, null);
    }

    private static double[][] states() {
        return new double[][] {{0.9, 3e-5, 0.1}, {1.0, 1.6e-7, 1e-12}, {0.5, 2e-6, 0.5}};
    }

    private static double[][] scaled(double[][] x) {
        double[][] s = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            s[r] = x[r].clone();
            for (int i = 0; i < 3; i++) {
                s[r][i] *= SCALE[i];
            }
        }
        return s;
    }

    @Test
    void scaledModelForecastsInOriginalUnitsWhatTheUnscaledOneForecastsForScaledStates() {
        for (boolean ae : List.of(false, true)) {
            StructurePreservingNode unscaled = model(ae);
            StructurePreservingNode scaledModel = unscaled.withScale(SCALE);
            assertArrayEquals(SCALE, scaledModel.scale());
            assertArrayEquals(new double[] {1, 1, 1}, unscaled.scale());
            double[][] x = states();
            double[][][] expected = unscaled.forecast(scaled(x), TIMES);
            double[][][] actual = scaledModel.forecast(x, TIMES);
            for (int r = 0; r < x.length; r++) {
                for (int k = 0; k < TIMES.length; k++) {
                    for (int i = 0; i < 3; i++) {
                        assertTrue(Double.isFinite(actual[r][k][i]), "finite at t = " + TIMES[k]);
                        assertEquals(expected[r][k][i] / SCALE[i], actual[r][k][i], 1e-12 * Math.abs(expected[r][k][i] / SCALE[i]),
                                "autoencoder " + ae + ", row " + r + ", t = " + TIMES[k] + ", y" + (i + 1));
                    }
                }
            }
            double[][][] rollout = scaledModel.rollout(x, 3);
            double[][][] rolloutExpected = unscaled.rollout(scaled(x), 3);
            double[][] step = scaledModel.step(x);
            double[][] stepExpected = unscaled.step(scaled(x));
            for (int r = 0; r < x.length; r++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(stepExpected[r][i] / SCALE[i], step[r][i], 1e-12 * Math.abs(step[r][i]));
                    assertEquals(rolloutExpected[r][2][i] / SCALE[i], rollout[r][2][i], 1e-12 * Math.abs(rollout[r][2][i]));
                }
            }
            if (!ae) { // without an autoencoder the latent state is s ⊙ x itself
                assertArrayEquals(scaled(x)[0], scaledModel.encode(x)[0]);
                assertArrayEquals(x[1], scaledModel.decode(scaledModel.encode(x))[1], 1e-18);
            }
        }
    }

    @Test
    void forecastStartsAtTheModelsOwnInitialValueAndOnAUniformGridIsTheRollout() {
        StructurePreservingNode m = model(true).withScale(SCALE).withStep(0.25);
        double[][] x = states();
        double[][][] along = m.forecast(x, new double[] {2, 2.25, 2.5, 2.75});
        double[][][] rollout = m.rollout(x, 3);
        double[][] reconstructed = m.decode(m.encode(x));
        for (int r = 0; r < x.length; r++) {
            assertArrayEquals(reconstructed[r], along[r][0], 0.0);
            for (int k = 1; k <= 3; k++) {
                assertArrayEquals(rollout[r][k - 1], along[r][k], 1e-15, "row " + r + " step " + k);
            }
        }
    }

    @Test
    void scaleIsSavedWithTheModelAndHonouredAfterLoading() throws IOException {
        StructurePreservingNode m = model(true).withScale(SCALE);
        m.save(dir);
        var root = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
        assertEquals(2, root.path("version").asInt());
        assertEquals(1e4, root.path("scale").get(1).asDouble());
        StructurePreservingNode loaded = StructurePreservingNode.load(dir);
        assertArrayEquals(SCALE, loaded.scale());
        assertTrue(Arrays.deepEquals(m.forecast(states(), TIMES), loaded.forecast(states(), TIMES)), "reloaded forecast differs");
    }

    @Test
    void versionOneFileWithoutAScaleLoadsUnscaled() throws IOException {
        StructurePreservingNode m = model(false);
        m.save(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
        root.put("version", 1);
        root.remove("scale");
        json.writeValue(dir.resolve("model.json").toFile(), root);
        StructurePreservingNode loaded = StructurePreservingNode.load(dir);
        assertArrayEquals(new double[] {1, 1, 1}, loaded.scale());
        assertTrue(Arrays.deepEquals(m.forecast(states(), TIMES), loaded.forecast(states(), TIMES)));
    }

    @Test
    void rejectsAScaleOfZeroOrOfTheWrongLength() {
        StructurePreservingNode m = model(false);
        assertEquals("sp-node: scale[1] must be a finite number > 0, got 0.0",
                assertThrows(InvalidDataException.class, () -> m.withScale(new double[] {1, 0, 1})).getMessage());
        assertEquals("sp-node: scale[2] must be a finite number > 0, got -1.0",
                assertThrows(InvalidDataException.class, () -> m.withScale(new double[] {1, 1, -1})).getMessage());
        assertEquals("sp-node: scale has 2 factors for a model of 3 states",
                assertThrows(InvalidDataException.class, () -> m.withScale(new double[] {1, 1})).getMessage());
    }

    @Test
    void rejectsACorruptSavedScaleAndUnknownVersions() throws IOException {
        model(false).withScale(SCALE).save(dir);
        Path file = dir.resolve("model.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        root.putArray("scale").add(1).add(0).add(1);
        json.writeValue(file.toFile(), root);
        assertEquals(file + ": scale[1] must be a finite number > 0, got 0.0",
                assertThrows(InvalidDataException.class, () -> StructurePreservingNode.load(dir)).getMessage());
        root.putArray("scale").add(1).add("ten").add(1);
        json.writeValue(file.toFile(), root);
        assertEquals(file + ": scale[1] is not a number", assertThrows(InvalidDataException.class, () -> StructurePreservingNode.load(dir)).getMessage());
        root.remove("scale");
        json.writeValue(file.toFile(), root);
        assertEquals(file + ": corrupt sp-node model (no scale)",
                assertThrows(InvalidDataException.class, () -> StructurePreservingNode.load(dir)).getMessage());
        root.put("version", 3);
        json.writeValue(file.toFile(), root);
        assertEquals(file + ": sp-node model version 3, this koopman4j reads 1 to 2",
                assertThrows(InvalidDataException.class, () -> StructurePreservingNode.load(dir)).getMessage());
    }

    @Test
    void forecastRejectsTimesThatDoNotIncrease() {
        StructurePreservingNode m = model(false);
        assertEquals("sp-node forecast: times must be finite and increasing, got 1.0 then 1.0",
                assertThrows(InvalidDataException.class, () -> m.forecast(states(), new double[] {0, 1, 1})).getMessage());
    }
}
