package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Deep DMD or SP-NODE run killed with SIGKILL in a child JVM and resumed with {@code --resume} ends with the
 * same model, bit for bit, and the same held-out errors as a run never stopped.
 */
class KilledTrainingTest {

    @TempDir
    Path dir;

    @Test
    void deepDmdRunKilledMidwayAndResumedEndsIdenticalToOneNeverStopped() throws Exception {
        Path config = dir.resolve("killed.yaml");
        Files.writeString(config, """
                model:
                  dictionary: { depth: 2, width: 16, outputs: 6 }
                  loss: { rolloutWeight: 1.0, latentWeight: 0.1 }
                data: { system: glycolysis, trajectories: 10, steps: 40, dt: 0.01, observe: [1, 2, 6] }
                training: { steps: 1200, evalEvery: 300, checkpointEvery: 100, batchSize: 64, learningRate: 2.0e-3,
                            finalLearningRate: 5.0e-4, engine: fused, rollout: { horizons: [1, 5] } }
                """);
        Path[] runs = killResumeAndRunWhole(config);
        assertArrayEquals(Files.readAllBytes(runs[0].resolve("model/graph.fb")), Files.readAllBytes(runs[1].resolve("model/graph.fb")));
        assertSameFile(runs, "model/model.json");
        assertEquals(withoutTimes(runs[0]), withoutTimes(runs[1]));
    }

    @Test
    void spNodeRunKilledMidwayAndResumedEndsIdenticalToOneNeverStopped() throws Exception {
        Path config = dir.resolve("killed-sp.yaml");
        Files.writeString(config, """
                model:
                  kind: sp-node
                  linear: { mu: -0.5 }
                  nonlinear: { kind: lipschitz, layers: 1, width: 8, lipschitzBound: 1.0 }
                  autoencoder: { latent: 2, depth: 1, width: 8 }
                  integrator: etd1
                data: { system: transient-growth, trajectories: 40, steps: 5, dt: 0.2, seed: 3 }
                training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-3, batchSize: 16, steps: 800, evalEvery: 200,
                            checkpointEvery: 50, seed: 5, engine: fused }
                """);
        Path[] runs = killResumeAndRunWhole(config);
        assertSameFile(runs, "model/model.json");
        assertEquals(withoutTimes(runs[0]), withoutTimes(runs[1]));
    }

    /**
     * Trains {@code config} in a child JVM killed with SIGKILL once its first checkpoint is on disk, resumes it here, and
     * trains it here uninterrupted; returns {uninterrupted, killed and resumed}.
     */
    private Path[] killResumeAndRunWhole(Path config) throws Exception {
        Path whole = dir.resolve("whole");
        CliRun r = CliRun.of("train", "--config", config.toString(), "--out", whole.toString());
        assertEquals(0, r.exitCode(), r.err());

        Path killed = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Koopman4j.class.getName(), "train", "--config", config.toString(),
                "--out", killed.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            while (child.isAlive() && !hasCheckpoint(killed)) {
                Thread.sleep(10);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(killed.resolve("metrics.json")), "the child finished before the kill: "
                + Files.readString(dir.resolve("child.log")));

        CliRun resumed = CliRun.of("train", "--config", config.toString(), "--resume", killed.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        String log = Files.readString(killed.resolve("train.log"));
        assertTrue(log.contains("resumed from " + killed + " at step "), log);
        return new Path[] {whole, killed};
    }

    /** The file of both runs, equal once each run's own directory is named alike. */
    private static void assertSameFile(Path[] runs, String file) throws Exception {
        assertEquals(Files.readString(runs[0].resolve(file)).replace(runs[0].toString(), "RUN"),
                Files.readString(runs[1].resolve(file)).replace(runs[1].toString(), "RUN"));
    }

    private static boolean hasCheckpoint(Path run) throws Exception {
        Path checkpoints = run.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (var entries = Files.list(checkpoints)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
        }
    }

    private static ObjectNode withoutTimes(Path run) throws Exception {
        ObjectNode m = (ObjectNode) new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        m.remove(List.of("seconds", "steps_per_second"));
        return m;
    }
}
