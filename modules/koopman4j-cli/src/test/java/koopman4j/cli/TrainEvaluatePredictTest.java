package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small end-to-end job: simulate, train with a rollout curriculum, evaluate, predict, resume. */
class TrainEvaluatePredictTest {

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainSmallModel() throws Exception {
        Path config = dir.resolve("small.yaml");
        Files.writeString(config, """
                model:
                  dictionary: { depth: 2, width: 16, outputs: 6 }
                  loss: { rolloutWeight: 1.0, latentWeight: 0.1 }
                data: { system: glycolysis, trajectories: 12, steps: 60, dt: 0.01, observe: [1, 2, 6] }
                training: { steps: 40, evalEvery: 20, checkpointEvery: 20, batchSize: 64, rollout: { horizons: [1, 5, 20] } }
                """);
        run = dir.resolve("run");
        CliRun r = CliRun.of("train", "--config", config.toString(), "--out", run.toString(), "--plots");
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void plotsAreTheForecastTrainingCurveEigenvaluesAndDictionaryResponses() throws Exception {
        for (String figure : List.of("forecast", "training-curve", "eigenvalues", "dictionary-responses")) {
            TrainPlotsChecks.assertPngAndSvg(run.resolve("plots"), figure);
        }
    }

    @Test
    void trainingWritesModelMetricsLogAndCheckpoint() throws Exception {
        assertTrue(Files.isRegularFile(run.resolve("model/model.json")));
        assertTrue(Files.isRegularFile(run.resolve("model/graph.fb")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-000000040/model/model.json")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-000000040/state.json")));
        String log = Files.readString(run.resolve("train.log"));
        assertTrue(log.contains("step 40/40"), log);
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        for (String set : List.of("train", "validation", "test")) {
            double oneStep = metrics.path(set).path("one_step_error_pct").asDouble(Double.NaN);
            assertTrue(oneStep > 0 && oneStep < 100, set + " one-step " + oneStep);
            assertTrue(metrics.path(set).path("rollout_error_pct").has("100"));
            assertTrue(metrics.path(set).path("reencoded_rollout_error_pct").has("10"));
        }
        JsonNode provenance = new ObjectMapper().readTree(run.resolve("model/model.json").toFile()).path("provenance");
        assertEquals("glycolysis", provenance.path("data").path("system").asText());
    }

    @Test
    void evaluateReportsTheSameMetricsAsTraining() throws Exception {
        Path data = dir.resolve("fresh.csv");
        assertEquals(0, CliRun.of("simulate", "glycolysis", "--trajectories", "3", "--steps", "30", "--dt", "0.01", "--seed", "99",
                "--observe", "1,2,6", "--out", data.toString()).exitCode());
        Path report = dir.resolve("eval.json");
        CliRun r = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--data", data.toString(),
                "--horizons", "1,10", "--out", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(3, json.path("trajectories").asInt());
        double radius = json.path("stability").path("spectral_radius").asDouble(Double.NaN);
        assertTrue(radius > 0, "stability certificate: " + json.path("stability"));
        assertTrue(json.path("rollout_error_pct").has("10"));
    }

    @Test
    void evaluateFromALaterSampleScoresTheTailsAndRejectsAStartPastTheData() throws Exception {
        Path data = dir.resolve("tails.csv");
        assertEquals(0, CliRun.of("simulate", "glycolysis", "--trajectories", "3", "--steps", "30", "--dt", "0.01", "--seed", "98",
                "--observe", "1,2,6", "--out", data.toString()).exitCode());
        Path report = dir.resolve("tails.json");
        CliRun r = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--data", data.toString(),
                "--horizons", "1,10", "--from-sample", "15", "--out", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, new ObjectMapper().readTree(report.toFile()).path("trajectories").asInt());
        CliRun late = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--data", data.toString(), "--from-sample", "30");
        assertEquals(2, late.exitCode());
        assertTrue(late.err().contains("tails.csv: --from-sample: trajectory 1 has 31 samples; starting at sample 30 needs at least 32"), late.err());
    }

    @Test
    void evaluateRejectsDataWithOtherStates() throws Exception {
        Path data = dir.resolve("seven.csv");
        assertEquals(0, CliRun.of("simulate", "glycolysis", "--trajectories", "2", "--steps", "5", "--dt", "0.01",
                "--out", data.toString()).exitCode());
        CliRun r = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--data", data.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("has 7 states"), r.err());
    }

    @Test
    void savedModelPredictsIdenticallyInAFreshJvm() throws Exception {
        Path here = dir.resolve("here.csv");
        String[] args = {"predict", "--model", run.resolve("model").toString(), "--x0", "1.0,0.5,1.5", "--steps", "50", "--out"};
        assertEquals(0, CliRun.of(concat(args, here.toString())).exitCode());
        Path there = dir.resolve("there.csv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Koopman4j.class.getName()));
        command.addAll(List.of(concat(args, there.toString())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("jvm.log")));
        TrajectorySet a = TrajectoryFiles.read(here);
        TrajectorySet b = TrajectoryFiles.read(there);
        assertEquals(a, b);
        assertEquals(51, a.get(0).length());
    }

    @Test
    void resumeContinuesFromTheLatestCheckpoint() throws Exception {
        Path copy = dir.resolve("resumed");
        copyTree(run, copy);
        CliRun r = CliRun.of("train", "--config", dir.resolve("small.yaml").toString(), "--resume", copy.toString(),
                "--set", "training.steps=60");
        assertEquals(0, r.exitCode(), r.err());
        String log = Files.readString(copy.resolve("train.log"));
        assertTrue(log.contains("resumed from") && log.contains("at step 40"), log);
        assertTrue(log.contains("step 60/60"), log);
    }

    @Test
    void resumeFromAnOlderCheckpointLayoutSaysWhy() throws Exception {
        Path old = dir.resolve("old-layout");
        Files.createDirectories(old.resolve("checkpoints/latest"));
        CliRun r = CliRun.of("train", "--config", dir.resolve("small.yaml").toString(), "--resume", old.toString());
        assertEquals(2, r.exitCode());
        assertEquals("koopman4j: --resume: " + old + " has no checkpoint to resume from (checkpoints/latest is an older format"
                + " without the optimiser's state; start a new run)", r.err());
    }

    private static String[] concat(String[] a, String last) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

}
