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
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SpNodeTrainer}'s checkpoints on the fused engine: a run resumed from any checkpoint ends bit-identical to one
 * never stopped; a NaN in a batch, or a loss explosion, stops the run cleanly with the last good state checkpointed and the best model kept;
 * a checkpoint write failing halfway leaves the previous one, which resumes; retention keeps the newest and the best.
 */
class SpNodeCheckpointTest {

    /** Transient growth with a Lipschitz g and an autoencoder: every parameter block and Adam moment must come back. */
    private static final String SMALL = """
            model:
              kind: sp-node
              linear: { mu: -0.5 }
              nonlinear: { kind: lipschitz, layers: 1, width: 8, lipschitzBound: 1.0 }
              autoencoder: { latent: 2, depth: 1, width: 8 }
              integrator: etd1
            data: { system: transient-growth, trajectories: 40, steps: 5, dt: 0.2, seed: 3 }
            training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-3, batchSize: 16, steps: 40, evalEvery: 10,
                        checkpointEvery: 10, seed: 5, engine: fused }
            """;

    @TempDir
    Path dir;

    private SpNodeTrainer trainer(Path out, String... overrides) throws IOException {
        Path file = dir.resolve("sp.yaml");
        Files.writeString(file, SMALL);
        JsonNode tree = ConfigLoader.tree(file, List.of(overrides));
        TrainConfig config = ConfigLoader.bind(tree, file.toString());
        return new SpNodeTrainer(config, tree, TrainingData.prepare(config.data()), out);
    }

    @Test
    void runResumedFromAnyCheckpointEndsBitIdenticalToOneNeverStopped() throws IOException {
        Path whole = dir.resolve("whole");
        SpNodeTrainer.Result uninterrupted = trainer(whole, "training.keepCheckpoints=10").train();
        assertEquals(List.of(40, 30, 20, 10), Checkpoints.steps(whole.resolve("checkpoints")));
        for (int step : List.of(10, 30)) {
            Path stopped = dir.resolve("stopped-" + step);
            TestFiles.copyTree(Checkpoints.directory(whole.resolve("checkpoints"), step), Checkpoints.directory(stopped.resolve("checkpoints"), step));
            SpNodeTrainer.Result resumed = trainer(stopped, "training.keepCheckpoints=10").train(stopped);
            assertSameModel(whole, stopped);
            assertEquals(withoutTimes(uninterrupted.metrics()), withoutTimes(resumed.metrics()));
            assertTrue(Files.readString(stopped.resolve("train.log")).contains("resumed from " + stopped + " at step " + step));
        }
    }

    @Test
    void checkpointsHoldTheWholeStateAndKeepTheNewestAndTheBest() throws IOException {
        Path run = dir.resolve("kept");
        trainer(run, "training.keepCheckpoints=1").train();
        JsonNode state = new ObjectMapper().readTree(run.resolve("checkpoints/step-000000040/state.json").toFile());
        int best = state.path("best_step").asInt();
        List<Integer> expected = new ArrayList<>(List.of(40));
        if (best != 40) {
            expected.add(best);
        }
        assertEquals(expected, Checkpoints.steps(run.resolve("checkpoints")));
        SpNodeCheckpoint c = SpNodeCheckpoint.read(run.resolve("checkpoints/step-000000040"));
        assertEquals(c.parameters().length, c.firstMoment().length);
        assertEquals(c.parameters().length, c.secondMoment().length);
        assertTrue(c.secondMoment()[0] > 0, "Adam's second moment is kept, not restarted");
        assertEquals(1.0e-3, c.learningRate(), 1e-15, "the rate after the last step is the schedule's end");
        assertEquals(best, c.bestStep());
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-000000040/best/model.json")));
        assertEquals(64, state.path("split").path("train").path("sha256").asText().length());
    }

    @Test
    void resumeRefusesAnotherDataSplitOrLearningRate() throws IOException {
        Path run = dir.resolve("refused");
        trainer(run).train();
        InvalidDataException split = assertThrows(InvalidDataException.class, () -> trainer(run, "data.seed=4").train(run));
        assertTrue(split.getMessage().startsWith("--resume: " + run + " was trained on another data split"), split.getMessage());
        InvalidDataException rate = assertThrows(InvalidDataException.class, () -> trainer(run, "training.finalLearningRate=5.0e-3").train(run));
        assertTrue(rate.getMessage().startsWith("--resume: " + run + " would take learning rate 0.001 at step 41; this config gives 0.005"),
                rate.getMessage());
        Path deepDmd = Files.createDirectories(dir.resolve("deep/checkpoints/step-000000010"));
        Files.writeString(deepDmd.resolve("state.json"), "{\"format\": 1, \"step\": 10}");
        InvalidDataException kind = assertThrows(InvalidDataException.class, () -> trainer(dir.resolve("deep")).train(dir.resolve("deep")));
        assertTrue(kind.getMessage().contains("a Deep DMD checkpoint, not an sp-node one"), kind.getMessage());
    }

    @Test
    void aNaNInABatchStopsCleanlyKeepingTheLastGoodStateWhichResumesToTheUninterruptedModel() throws IOException {
        Path whole = dir.resolve("whole");
        trainer(whole).train();
        Path run = dir.resolve("nan");
        SpNodeTrainer poisoned = trainer(run);
        poisoned.faults = new Faults() {
            @Override
            public void batch(int step, double[] batch) {
                if (step == 24) { // the batch of step 25
                    batch[3] = Double.NaN;
                }
            }
        };
        InvalidDataException e = assertThrows(InvalidDataException.class, poisoned::train);
        assertEquals("training diverged at step 25 (loss NaN); lower training.learningRate (the last good state is "
                + Path.of("checkpoints", "step-000000024") + ", which --resume continues; the best model so far is model/, from step 20)",
                e.getMessage());
        SpNodeCheckpoint good = SpNodeCheckpoint.read(run.resolve("checkpoints/step-000000024"));
        for (double v : good.parameters()) {
            assertTrue(Double.isFinite(v));
        }
        StructurePreservingNode kept = StructurePreservingNode.load(run.resolve("model"));
        for (double[] row : kept.linearOperator()) {
            for (double v : row) {
                assertTrue(Double.isFinite(v));
            }
        }
        assertFalse(Files.exists(run.resolve("metrics.json")), "a stopped run writes no metrics");
        trainer(run).train(run); // the NaN came from the data feed, not the state: resuming without it loses nothing
        assertSameModel(whole, run);
    }

    @Test
    void aLossExplosionStopsCleanlyKeepingTheLastGoodStateWhichResumesToTheUninterruptedModel() throws IOException {
        String explosion = "training.divergence.explosion=100";
        Path whole = dir.resolve("whole");
        trainer(whole, explosion).train();
        Path run = dir.resolve("exploded");
        SpNodeTrainer corrupted = trainer(run, explosion);
        corrupted.faults = new Faults() {
            @Override
            public void batch(int step, double[] batch) {
                if (step == 24) { // one value of step 25's batch in other units, finite
                    batch[3] *= 1.0e6;
                }
            }
        };
        InvalidDataException e = assertThrows(InvalidDataException.class, corrupted::train);
        assertTrue(e.getMessage().startsWith("training diverged at step 25 (loss "), e.getMessage());
        assertTrue(e.getMessage().contains(" is over 1e+02 times the lowest so far, ") && e.getMessage().contains("training.divergence.explosion"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(the last good state is " + Path.of("checkpoints", "step-000000024")
                + ", which --resume continues; the best model so far is model/, from step 20)"), e.getMessage());
        trainer(run, explosion).train(run);
        assertSameModel(whole, run);
    }

    @Test
    void aCheckpointWriteFailingHalfwayLeavesThePreviousOneWhichResumes() throws IOException {
        Path whole = dir.resolve("whole");
        trainer(whole).train();
        Path run = dir.resolve("full-disk");
        SpNodeTrainer failing = trainer(run);
        failing.faults = new Faults() {
            @Override
            public void checkpoint(Path staging) throws IOException {
                if (staging.getFileName().toString().contains("step-000000030")) {
                    throw new IOException("No space left on device (injected)");
                }
            }
        };
        IOException e = assertThrows(IOException.class, failing::train);
        assertEquals("No space left on device (injected)", e.getMessage());
        assertEquals(List.of(20, 10), Checkpoints.steps(run.resolve("checkpoints")));
        try (var left = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no half-written checkpoint");
        }
        assertEquals(20, SpNodeCheckpoint.read(run.resolve("checkpoints/step-000000020")).step());
        trainer(run).train(run);
        assertTrue(Files.readString(run.resolve("train.log")).contains("resumed from " + run + " at step 20"));
        assertSameModel(whole, run);
    }

    @Test
    void theSameDiffEngineResumesToo() throws IOException {
        String[] samediff = {"training.engine=samediff", "training.steps=20"};
        Path whole = dir.resolve("graph");
        trainer(whole, samediff).train();
        Path resumed = dir.resolve("graph-resumed");
        TestFiles.copyTree(whole.resolve("checkpoints/step-000000010"), resumed.resolve("checkpoints/step-000000010"));
        SpNodeTrainer.Result r = trainer(resumed, samediff).train(resumed);
        String log = Files.readString(resumed.resolve("train.log"));
        assertTrue(log.contains("resumed from " + resumed + " at step 10") && log.contains("step 20/20"), log);
        assertTrue(Double.isFinite(r.metrics().path("test").path("time_integrated_loss").asDouble(Double.NaN)), r.metrics().toString());
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> trainer(whole, "training.steps=20").train(whole));
        assertEquals("--resume: " + whole + " was trained with training.engine samediff; this run would use fused", e.getMessage());
    }

    private static void assertSameModel(Path a, Path b) throws IOException {
        assertArrayEquals(Files.readAllBytes(a.resolve("model/model.json")), Files.readAllBytes(b.resolve("model/model.json")));
    }

    private static JsonNode withoutTimes(ObjectNode metrics) {
        ObjectNode m = metrics.deepCopy();
        m.remove("seconds");
        return m;
    }
}
