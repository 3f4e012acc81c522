package koopman4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SP-NODE trainer's data.window (seed 001 §5.3, arXiv:2503.01775: one long trajectory cut into windows of 8
 * steps) and model.linear.muFrom (μ from the Fourier symbol of the Kuramoto–Sivashinsky linear operator).
 */
class SpNodeWindowTest {

    @TempDir
    Path dir;

    private static final String MODEL = """
            model:
              kind: sp-node
              linear: { mu: 0.0 }
              nonlinear: { kind: lipschitz, layers: 2, width: 8, lipschitzBound: 1.0 }
              autoencoder: { latent: 0, depth: 1, width: 8 }
              integrator: etd1
            """;

    private TrainConfig config(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, List.of());
    }

    private StructurePreservingNode train(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        JsonNode tree = ConfigLoader.tree(file, List.of());
        TrainConfig config = ConfigLoader.bind(tree, file.toString());
        return new SpNodeTrainer(config, tree, TrainingData.prepare(config.data()), dir.resolve(name)).train().model();
    }

    @Test
    void aWindowAsLongAsEveryTrajectoryTrainsAsTheWholeTrajectoriesDo() throws IOException {
        // 12 trajectories of 5 steps: windows of 5 steps with a stride past the end are the trajectories themselves, and a batch
        // of all of them sees the same sums (in another order) as whole-trajectory training
        String data = "data: { system: transient-growth, trajectories: 12, steps: 5, dt: 0.2, seed: 3%s }\n";
        String training = "training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-2, batchSize: 100, steps: 40, evalEvery: 20, seed: 5 }\n";
        StructurePreservingNode whole = train("whole", MODEL + data.formatted("") + training);
        StructurePreservingNode windows = train("windows", MODEL + data.formatted(", window: { steps: 5, stride: 5 }") + training);
        double[][] a = whole.linearOperator();
        double[][] b = windows.linearOperator();
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[i][j], b[i][j], 1e-9 * (1 + Math.abs(a[i][j])), "A_L[" + i + "][" + j + "]");
            }
        }
        double[][] x0 = {{0.3, -0.2}};
        assertEquals(whole.rollout(x0, 5)[0][4][0], windows.rollout(x0, 5)[0][4][0], 1e-9);
    }

    @Test
    void shorterWindowsTrainOnOtherBatchesThanWholeTrajectories() throws IOException {
        // the same data cut into windows of 2 steps: the batches and hence the model differ (the window path is taken)
        String training = "training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-2, batchSize: 16, steps: 20, evalEvery: 20, seed: 5 }\n";
        StructurePreservingNode whole = train("whole2", MODEL + "data: { system: transient-growth, trajectories: 12, steps: 6, dt: 0.2, seed: 3 }\n"
                + training);
        StructurePreservingNode windows = train("windows2", MODEL + "data: { system: transient-growth, trajectories: 12, steps: 6, dt: 0.2, "
                + "seed: 3, window: { steps: 2, stride: 1 } }\n" + training);
        assertNotEquals(whole.linearOperator()[0][0], windows.linearOperator()[0][0]);
    }

    @Test
    void rejectsAWindowLongerThanATrainingTrajectory() throws IOException {
        TrainConfig c = config("long", MODEL + "data: { system: transient-growth, trajectories: 6, steps: 4, dt: 0.2, seed: 3, window: { steps: 5 } }\n");
        TrainingData data = TrainingData.prepare(c.data());
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> new SpNodeTrainer(c, null, data, dir.resolve("x")));
        assertEquals("data.window.steps: a window of 5 steps needs 6 samples; training trajectory 1 has 5", e.getMessage());
    }

    @Test
    void rejectsANegativeWindowAZeroStrideAndWindowsWithTrainSamples() {
        String base = MODEL + "data: { system: transient-growth, trajectories: 6, steps: 4, dt: 0.2, %s }\n";
        assertEquals(dir.resolve("a.yaml") + ": data.window.steps must be ≥ 0 (0: whole trajectories), got -1",
                assertThrows(InvalidDataException.class, () -> config("a", base.formatted("window: { steps: -1 }"))).getMessage());
        assertEquals(dir.resolve("b.yaml") + ": data.window.stride must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> config("b", base.formatted("window: { steps: 2, stride: 0 }"))).getMessage());
        assertEquals(dir.resolve("c.yaml") + ": data: give data.window or data.trainSamples, not both",
                assertThrows(InvalidDataException.class, () -> config("c", base.formatted("window: { steps: 2 }, trainSamples: [0, 4]")))
                        .getMessage());
    }

    @Test
    void muFromKuramotoSivashinskyIsTheLargestGrowthRateOfItsFourierSymbol() throws IOException {
        TrainConfig c = config("ks", MODEL.replace("linear: { mu: 0.0 }", "linear: { muFrom: kuramoto-sivashinsky }")
                + "data: { system: transient-growth, trajectories: 6, steps: 4, dt: 0.2 }\n");
        // L = 22: q_k = 2πk/22; q² − q⁴ is largest at k = 2 (q = 0.571, where q² = 1/2 lies between q_2² = 0.326 and q_3² = 0.734)
        double q = 2 * Math.PI * 2 / 22;
        double expected = q * q - q * q * q * q;
        assertEquals(0.2198, expected, 5e-5);
        assertEquals(expected, SpNodeTrainer.options(c.model(), 64).linear().mu(), 1e-15);
        assertEquals(0.5, SpNodeTrainer.options(config("given", MODEL.replace("mu: 0.0", "mu: 0.5")
                + "data: { system: transient-growth, trajectories: 6, steps: 4, dt: 0.2 }\n").model(), 2).linear().mu());
    }

    @Test
    void rejectsAnUnknownMuFromAndMuFromBesideMu() {
        String data = "data: { system: transient-growth, trajectories: 6, steps: 4, dt: 0.2 }\n";
        assertEquals(dir.resolve("u.yaml") + ": model.linear.muFrom: unknown 'navier-stokes'; expected kuramoto-sivashinsky "
                        + "(or leave it out and give model.linear.mu)",
                assertThrows(InvalidDataException.class, () -> config("u", MODEL.replace("linear: { mu: 0.0 }", "linear: { muFrom: navier-stokes }")
                        + data)).getMessage());
        assertEquals(dir.resolve("v.yaml") + ": model.linear: give model.linear.mu or model.linear.muFrom, not both (mu 0.3, muFrom "
                        + "kuramoto-sivashinsky)",
                assertThrows(InvalidDataException.class, () -> config("v", MODEL.replace("linear: { mu: 0.0 }",
                        "linear: { mu: 0.3, muFrom: kuramoto-sivashinsky }") + data)).getMessage());
    }
}
