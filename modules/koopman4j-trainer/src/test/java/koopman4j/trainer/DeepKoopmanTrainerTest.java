package koopman4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.DeepKoopman;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link DeepKoopmanTrainer}'s reliability on the CPU fused engine: the same seed gives the same model bit
 * for bit, a run resumed from a checkpoint ends identical to one never stopped (also past a damaged
 * checkpoint), checkpoints are kept to the newest few, and the divergence guard rolls back or stops.
 */
class DeepKoopmanTrainerTest {

    /** Glycolysis, a two-stage rollout curriculum, dropout (its masks must resume too), checkpoints every 10 steps. */
    private static final String SMALL = """
            model:
              dictionary: { depth: 2, width: 12, outputs: 5, dropout: 0.1 }
              loss: { rolloutWeight: 1.0, latentWeight: 0.1 }
            data: { system: glycolysis, trajectories: 8, steps: 30, dt: 0.01, observe: [1, 2, 6] }
            training: { steps: 40, evalEvery: 10, checkpointEvery: 10, batchSize: 32, learningRate: 3.0e-3,
                        finalLearningRate: 1.0e-3, engine: fused, rollout: { horizons: [1, 4] } }
            """;

    @TempDir
    Path dir;

    private DeepKoopmanTrainer.Result train(String name, Path out, Path resume, String... overrides) throws IOException {
        return trainer(name, out, overrides).train(resume);
    }

    private DeepKoopmanTrainer trainer(String name, Path out, String... overrides) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, SMALL);
        JsonNode tree = ConfigLoader.tree(file, List.of(overrides));
        TrainConfig config = ConfigLoader.bind(tree, file.toString());
        return new DeepKoopmanTrainer(config, tree, TrainingData.prepare(config.data()), out);
    }

    @Test
    void sameConfigAndSeedGiveABitIdenticalModel() throws IOException {
        DeepKoopmanTrainer.Result a = train("a", dir.resolve("a"), null);
        DeepKoopmanTrainer.Result b = train("b", dir.resolve("b"), null);
        assertSameModel(dir.resolve("a"), dir.resolve("b"));
        assertEquals(withoutTimes(a.metrics()), withoutTimes(b.metrics()));
        DeepKoopmanTrainer.Result other = train("c", dir.resolve("c"), null, "training.seed=7");
        assertFalse(withoutTimes(a.metrics()).equals(withoutTimes(other.metrics())), "another seed draws other batches");
    }

    @Test
    void runResumedFromItsMiddleEndsBitIdenticalToOneNeverStopped() throws IOException {
        Path whole = dir.resolve("whole");
        DeepKoopmanTrainer.Result uninterrupted = train("whole", whole, null, "training.keepCheckpoints=10");
        // a run stopped after step 20 (the stage boundary is at 20, so this resumes into the second stage) …
        Path stopped = dir.resolve("stopped");
        TestFiles.copyTree(whole.resolve("checkpoints/step-000000020"), stopped.resolve("checkpoints/step-000000020"));
        DeepKoopmanTrainer.Result resumed = train("stopped", stopped, stopped);
        assertSameModel(whole, stopped);
        assertEquals(withoutTimes(uninterrupted.metrics()), withoutTimes(resumed.metrics()));
        // … and one stopped mid-stage, at 30
        Path mid = dir.resolve("mid");
        TestFiles.copyTree(whole.resolve("checkpoints/step-000000030"), mid.resolve("checkpoints/step-000000030"));
        train("mid", mid, mid);
        assertSameModel(whole, mid);
        assertTrue(Files.readString(mid.resolve("train.log")).contains("resumed from " + mid + " at step 30"));
    }

    @Test
    void resumePassesOverADamagedNewestCheckpointAndAHalfWrittenOne() throws IOException {
        Path whole = dir.resolve("whole");
        train("whole", whole, null, "training.keepCheckpoints=10");
        Path run = dir.resolve("damaged");
        TestFiles.copyTree(whole.resolve("checkpoints/step-000000010"), run.resolve("checkpoints/step-000000010"));
        TestFiles.copyTree(whole.resolve("checkpoints/step-000000020"), run.resolve("checkpoints/step-000000020"));
        Path parameters = run.resolve("checkpoints/step-000000020/parameters.bin");
        byte[] bytes = Files.readAllBytes(parameters);
        bytes[7] ^= 0x10;
        Files.write(parameters, bytes);
        // what a kill while writing step 30 leaves: its staging directory, half filled
        Path staging = run.resolve("checkpoints/.step-000000030.tmp");
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("parameters.bin"), "half");
        train("damaged", run, run);
        String log = Files.readString(run.resolve("train.log"));
        assertTrue(log.contains("step-000000020 cannot be read (") && log.contains("CRC-32 does not match"), log);
        assertTrue(log.contains("at step 10"), log);
        assertSameModel(whole, run);
        assertFalse(Files.exists(staging), "the half-written checkpoint is cleared when step 30 is written again");
    }

    @Test
    void checkpointsKeepTheNewestAndTheBestAndHoldTheWholeState() throws IOException {
        Path run = dir.resolve("kept");
        train("kept", run, null);
        List<Integer> steps = DeepKoopmanCheckpoint.steps(run.resolve("checkpoints"));
        JsonNode state = new ObjectMapper().readTree(run.resolve("checkpoints/step-000000040/state.json").toFile());
        int best = state.path("best_step").asInt();
        List<Integer> expected = new ArrayList<>(List.of(40, 30));
        if (!expected.contains(best)) {
            expected.add(best);
        }
        assertEquals(expected, steps);
        assertEquals(1, state.path("stage").asInt());
        assertEquals(4, state.path("horizon").asInt());
        assertEquals(20, state.path("iteration").asInt(), "the second stage's fresh optimiser has taken 20 updates");
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-000000040/updater.bin")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-000000040/best/graph.fb")));
        // 8 trajectories: 2 held out for test, 1 of the other 6 for validation
        assertEquals(5, state.path("split").path("train").path("trajectories").asInt(), state.path("split").toString());
        assertEquals(64, state.path("split").path("test").path("sha256").asText().length());
    }

    @Test
    void resumeRefusesAnotherDataSplit() throws IOException {
        Path run = dir.resolve("split");
        train("split", run, null);
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> train("split", run, run, "data.seed=5"));
        assertTrue(e.getMessage().startsWith("--resume: " + run + " was trained on another data split"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void resumeWithoutACheckpointSaysSo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> train("empty", empty, empty));
        assertEquals("--resume: " + empty + " has no checkpoint to resume from", e.getMessage());
    }

    @Test
    void divergenceRollsBackAndLowersTheLearningRate() throws IOException {
        Path run = dir.resolve("rolled");
        train("rolled", run, null, "training.learningRate=30", "training.finalLearningRate=30",
                "training.divergence.lrFactor=1.0e-4", "training.divergence.retries=2");
        String log = Files.readString(run.resolve("train.log"));
        assertTrue(log.contains("back to step 0 with the learning rate scaled by 0.000100 (roll-back 1 of 2)"), log);
        assertTrue(log.contains("step 40/40"), log);
        assertAllFinite(DeepKoopman.load(run.resolve("model")));
        JsonNode state = new ObjectMapper().readTree(run.resolve("checkpoints/step-000000040/state.json").toFile());
        assertEquals(1.0e-4, Double.parseDouble(state.path("lr_scale").asText()), 1e-18);
    }

    @Test
    void divergenceBeyondTheRetriesStopsWithOneLineAndKeepsTheLastGoodModel() throws IOException {
        Path run = dir.resolve("diverged");
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> train("diverged", run, null,
                "training.learningRate=1.0e4", "training.finalLearningRate=1.0e4", "training.divergence.retries=1",
                "training.evalEvery=5"));
        assertTrue(e.getMessage().startsWith("training diverged at step "), e.getMessage());
        assertTrue(e.getMessage().contains("after 1 roll-back(s)") && e.getMessage().contains("lower training.learningRate"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        // the good state it names is a checkpoint that loads; the model saved, if any, is finite
        List<Integer> steps = DeepKoopmanCheckpoint.steps(run.resolve("checkpoints"));
        assertFalse(steps.isEmpty());
        DeepKoopmanCheckpoint last = DeepKoopmanCheckpoint.read(DeepKoopmanCheckpoint.directory(run.resolve("checkpoints"), steps.get(0)));
        for (float v : last.state().parameters()) {
            assertTrue(Float.isFinite(v));
        }
        if (Files.exists(run.resolve("model"))) {
            assertAllFinite(DeepKoopman.load(run.resolve("model")));
        }
    }

    @Test
    void aNaNInABatchRollsBackToTheLastGoodStateAndTrainsOnToAFiniteModel() throws IOException {
        Path run = dir.resolve("nan");
        DeepKoopmanTrainer poisoned = trainer("nan", run);
        boolean[] injected = {false};
        poisoned.faults = new Faults() {
            @Override
            public void batch(int step, float[] batch) {
                if (step == 24 && !injected[0]) { // the batch of step 25, once: the replay after the roll-back is clean
                    injected[0] = true;
                    batch[5] = Float.NaN;
                }
            }
        };
        poisoned.train(null);
        assertTrue(injected[0]);
        String log = Files.readString(run.resolve("train.log"));
        assertTrue(log.contains("back to step 20 with the learning rate scaled by 0.500 (roll-back 1 of "), log);
        assertTrue(log.contains("step 40/40"), log);
        assertAllFinite(DeepKoopman.load(run.resolve("model")));
        JsonNode state = new ObjectMapper().readTree(run.resolve("checkpoints/step-000000040/state.json").toFile());
        assertEquals(0.5, Double.parseDouble(state.path("lr_scale").asText()), 0.0);
    }

    @Test
    void aCheckpointWriteFailingHalfwayLeavesThePreviousOneWhichResumes() throws IOException {
        Path whole = dir.resolve("whole");
        train("whole", whole, null);
        Path run = dir.resolve("full-disk");
        DeepKoopmanTrainer failing = trainer("whole", run);
        failing.faults = new Faults() {
            @Override
            public void checkpoint(Path staging) throws IOException {
                if (staging.getFileName().toString().contains("step-000000030")) {
                    throw new IOException("No space left on device (injected)");
                }
            }
        };
        IOException e = assertThrows(IOException.class, () -> failing.train(null));
        assertEquals("No space left on device (injected)", e.getMessage());
        List<Integer> left = DeepKoopmanCheckpoint.steps(run.resolve("checkpoints"));
        assertEquals(20, left.get(0), left.toString());
        try (var entries = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of(), entries.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no half-written checkpoint");
        }
        assertEquals(20, DeepKoopmanCheckpoint.read(DeepKoopmanCheckpoint.directory(run.resolve("checkpoints"), 20)).step());
        train("whole", run, run);
        assertTrue(Files.readString(run.resolve("train.log")).contains("resumed from " + run + " at step 20"));
        assertSameModel(whole, run);
    }

    @Test
    void theSameDiffEngineCheckpointsAndResumesWithFreshMoments() throws IOException {
        Path run = dir.resolve("graph");
        train("graph", run, null, "training.engine=samediff", "training.steps=20", "model.dictionary.dropout=0.0");
        Path at10 = run.resolve("checkpoints/step-000000010");
        assertTrue(Files.isRegularFile(at10.resolve("parameters.bin")));
        assertFalse(Files.exists(at10.resolve("updater.bin")), "SameDiff's moments are not saved");
        DeepKoopmanCheckpoint c = DeepKoopmanCheckpoint.read(at10);
        assertEquals("samediff", c.engine());
        assertEquals(10, c.state().iteration());
        assertTrue(Double.isFinite(c.lastLoss()));
        Path resumed = dir.resolve("graph-resumed");
        TestFiles.copyTree(at10, resumed.resolve("checkpoints/step-000000010"));
        train("graph", resumed, resumed, "training.engine=samediff", "training.steps=20", "model.dictionary.dropout=0.0");
        String log = Files.readString(resumed.resolve("train.log"));
        assertTrue(log.contains("at step 10 (the SameDiff engine's optimiser moments restart)") && log.contains("step 20/20"), log);
        assertAllFinite(DeepKoopman.load(resumed.resolve("model")));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> train("graph", run, run, "training.steps=20",
                "model.dictionary.dropout=0.0"));
        assertEquals("--resume: " + run + " was trained with training.engine samediff; this run would use fused", e.getMessage());
    }

    private static void assertSameModel(Path a, Path b) throws IOException {
        Map<String, INDArray> pa = DeepKoopmanTrainer.parametersOf(DeepKoopman.load(a.resolve("model")).graph());
        Map<String, INDArray> pb = DeepKoopmanTrainer.parametersOf(DeepKoopman.load(b.resolve("model")).graph());
        assertEquals(pa.keySet(), pb.keySet());
        for (String name : pa.keySet()) {
            assertArrayEquals(pa.get(name).data().asFloat(), pb.get(name).data().asFloat(), name + " differs");
        }
        assertArrayEquals(Files.readAllBytes(a.resolve("model/graph.fb")), Files.readAllBytes(b.resolve("model/graph.fb")));
        assertEquals(Files.readString(a.resolve("model/model.json")), Files.readString(b.resolve("model/model.json")));
    }

    private static void assertAllFinite(DeepKoopman model) {
        for (INDArray p : DeepKoopmanTrainer.parametersOf(model.graph()).values()) {
            for (float v : p.data().asFloat()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /** metrics.json without the wall-clock fields. */
    private static JsonNode withoutTimes(ObjectNode metrics) {
        ObjectNode m = metrics.deepCopy();
        m.remove(List.of("seconds", "steps_per_second"));
        return m;
    }
}
