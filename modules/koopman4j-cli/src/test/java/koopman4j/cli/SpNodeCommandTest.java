package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.layers.spnode.StructurePreservingNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sp-node path of the command line (seed 001): train from a config, evaluate at the data's own
 * sample step, predict with any --dt, the same forecast in a fresh JVM; and every bad sp-node input
 * answered with exit code 2 and one line.
 */
class SpNodeCommandTest {

    /** ε = 1 transient growth, Lipschitz g, ETD1: a small but complete sp-node job (a few seconds). */
    private static final String CONFIG = """
            model: { kind: sp-node, linear: { mu: 0.0 }, nonlinear: { kind: lipschitz, layers: 1, width: 8 }, integrator: etd1 }
            data: { system: transient-growth, trajectories: 20, steps: 5, dt: 0.2 }
            training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-2, batchSize: 16, steps: 20, evalEvery: 10 }
            """;

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainSmallSpNode() throws IOException {
        Path config = dir.resolve("sp-node.yaml");
        Files.writeString(config, CONFIG);
        run = dir.resolve("run");
        CliRun r = CliRun.of("train", "--config", config.toString(), "--out", run.toString(), "--plots");
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void plotsAreTheForecastTrainingCurveSpectrumOfALAndItsTransientGrowth() throws IOException {
        for (String figure : List.of("forecast", "training-curve", "eigenvalues", "transient-growth")) {
            TrainPlotsChecks.assertPngAndSvg(run.resolve("plots"), figure);
        }
        assertFalse(Files.exists(run.resolve("plots/dictionary-responses.png")), "a Deep DMD figure");
    }

    private static Path model() {
        return run.resolve("model");
    }

    @Test
    void trainWritesAnSpNodeModelMetricsAndLog() throws IOException {
        JsonNode saved = new ObjectMapper().readTree(model().resolve("model.json").toFile());
        assertEquals("sp-node", saved.path("kind").asText());
        assertEquals(0.2, saved.path("dt").asDouble(), 1e-12); // the data's sample step
        assertEquals("transient-growth", saved.path("provenance").path("data").path("system").asText());
        assertTrue(Files.readString(run.resolve("train.log")).contains("step 20/20"));
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        for (String set : List.of("train", "validation", "test")) {
            double oneStep = metrics.path(set).path("one_step_error_pct").asDouble(Double.NaN);
            assertTrue(oneStep > 0 && oneStep < 100, set + " one-step " + oneStep);
            assertTrue(Double.isFinite(metrics.path(set).path("time_integrated_loss").asDouble(Double.NaN)), set);
        }
        assertTrue(metrics.path("stability").path("spectral_abscissa").asDouble(Double.NaN) <= 0, metrics.path("stability").toString());
    }

    @Test
    void evaluateForecastsWithTheDataSampleStep() throws IOException {
        Path data = dir.resolve("fine.csv"); // sampled at 0.1, half the step the model was trained and saved with
        assertEquals(0, CliRun.of("simulate", "transient-growth", "--trajectories", "3", "--steps", "12", "--dt", "0.1", "--seed", "7",
                "--out", data.toString()).exitCode());
        Path report = dir.resolve("eval.json");
        CliRun r = CliRun.of("evaluate", "--model", model().toString(), "--data", data.toString(), "--horizons", "1,10",
                "--out", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(0.1, json.path("dt").asDouble(), 1e-12);
        StructurePreservingNode saved = StructurePreservingNode.load(model());
        TrajectorySet set = TrajectoryFiles.read(data);
        double atDataStep = ErrorMetrics.oneStepErrorPct(saved.withStep(0.1), set);
        assertEquals(atDataStep, json.path("one_step_error_pct").asDouble(), 0.0);
        assertEquals(ErrorMetrics.rolloutErrorPct(saved.withStep(0.1), set, 10), json.path("rollout_error_pct").path("10").asDouble(), 0.0);
        assertNotEquals(ErrorMetrics.oneStepErrorPct(saved, set), atDataStep, "the saved step 0.2 would give another figure");
        assertTrue(json.path("stability").path("spectral_abscissa").asDouble(Double.NaN) <= json.path("stability").path("mu").asDouble());
    }

    @Test
    void predictUsesDtWhenGivenAndTheModelStepOtherwise() throws IOException {
        StructurePreservingNode saved = StructurePreservingNode.load(model());
        double[] x0 = {1.0, -0.5};
        for (Double dt : new Double[] {0.1, null}) {
            Path out = dir.resolve("predict-" + dt + ".csv");
            List<String> args = new ArrayList<>(List.of("predict", "--model", model().toString(), "--x0", "1.0,-0.5", "--steps", "20",
                    "--out", out.toString()));
            if (dt != null) {
                args.addAll(List.of("--dt", dt.toString()));
            }
            CliRun r = CliRun.of(args.toArray(new String[0]));
            assertEquals(0, r.exitCode(), r.err());
            TrajectorySet predicted = TrajectoryFiles.read(out);
            double h = dt == null ? 0.2 : dt;
            double[][][] expected = (dt == null ? saved : saved.withStep(dt)).rollout(new double[][] {x0}, 20);
            assertEquals(List.of("x1", "x2"), predicted.names());
            assertEquals(21, predicted.get(0).length());
            assertEquals(20 * h, predicted.get(0).times()[20], 1e-12);
            assertArrayEquals(x0, predicted.get(0).states()[0]);
            for (int k = 1; k <= 20; k++) {
                assertArrayEquals(expected[0][k - 1], predicted.get(0).states()[k], "step " + k + ", dt " + dt);
            }
        }
    }

    @Test
    void savedSpNodePredictsIdenticallyInAFreshJvm() throws Exception {
        String[] args = {"predict", "--model", model().toString(), "--x0", "1.5,0.25", "--steps", "30", "--dt", "0.05", "--out"};
        Path here = dir.resolve("here.csv");
        assertEquals(0, CliRun.of(with(args, here.toString())).exitCode());
        Path there = dir.resolve("there.csv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Koopman4j.class.getName()));
        command.addAll(List.of(with(args, there.toString())));
        Path log = dir.resolve("fresh-jvm.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(log));
        assertEquals(TrajectoryFiles.read(here), TrajectoryFiles.read(there));
    }

    // ---- bad input: exit code 2 and one line naming the field or file ----

    private static void assertBadInput(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "'" + f + "' not in: " + run.err());
        }
    }

    private static CliRun train(String... overrides) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--config", dir.resolve("sp-node.yaml").toString(),
                "--out", dir.resolve("bad-run").toString()));
        for (String o : overrides) {
            args.addAll(List.of("--set", o));
        }
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void rejectsNonFiniteMu() throws IOException {
        Path config = dir.resolve("mu.yaml");
        for (String mu : List.of("1e400", "-1e400")) { // overflow to ±∞: the record's own check
            Files.writeString(config, CONFIG.replace("mu: 0.0", "mu: " + mu));
            assertBadInput(CliRun.of("train", "--config", config.toString(), "--out", dir.resolve("mu-run").toString()),
                    "mu.yaml", "model.linear.mu must be finite, got " + (mu.startsWith("-") ? "-" : "") + "Infinity");
        }
        // YAML's .nan / .inf do not get past the YAML reader of Jackson 2.x
        Files.writeString(config, CONFIG.replace("mu: 0.0", "mu: .nan"));
        assertBadInput(CliRun.of("train", "--config", config.toString(), "--out", dir.resolve("mu-run").toString()),
                "mu.yaml", "not valid YAML", "'.nan'");
    }

    @Test
    void rejectsNonPositiveLipschitzBound() throws IOException {
        assertBadInput(train("model.nonlinear.lipschitzBound=0"), "model.nonlinear.lipschitzBound must be a finite number > 0, got 0.0");
        assertBadInput(train("model.nonlinear.lipschitzBound=-1.5"), "model.nonlinear.lipschitzBound must be a finite number > 0, got -1.5");
    }

    @Test
    void rejectsBilinearRankOutsideOneToTheDimension() throws IOException {
        assertBadInput(train("model.nonlinear.kind=bilinear", "model.nonlinear.rank=0"), "model.nonlinear.rank must be at least 1, got 0");
        assertBadInput(train("model.nonlinear.kind=bilinear", "model.nonlinear.rank=3"),
                "model.nonlinear.rank must be between 1 and the dimension 2, got 3");
    }

    @Test
    void rejectsNegativeAutoencoderLatent() throws IOException {
        assertBadInput(train("model.autoencoder.latent=-1"), "model.autoencoder.latent must be ≥ 0 (0: no autoencoder), got -1");
    }

    @Test
    void rejectsUnknownIntegrator() throws IOException {
        assertBadInput(train("model.integrator=euler"), "model.integrator: unknown integrator 'euler'; expected etd1, imex or rk4");
    }

    @Test
    void rejectsTrainSamplesNotIncreasingOrBeyondTheTrajectory() throws IOException {
        assertBadInput(train("data.trainSamples=[0, 0]"), "data.trainSamples must be at least two increasing sample indices ≥ 0, got [0, 0]");
        assertBadInput(train("data.trainSamples=[3, 1]"), "data.trainSamples must be at least two increasing", "[3, 1]");
        assertBadInput(train("data.trainSamples=[2]"), "data.trainSamples must be at least two increasing", "[2]");
        assertBadInput(train("data.trainSamples=[0, 6]"), "data.trainSamples: sample 6 does not exist; the shortest training trajectory has 6 samples");
    }

    @Test
    void rejectsTrainingTrajectoriesOnDifferentTimeGrids() throws IOException {
        StringBuilder csv = new StringBuilder("traj,t,x1,x2\n");
        for (int j = 0; j < 10; j++) { // half sampled every 0.1, half every 0.2: no split puts one kind alone in training
            double h = j < 5 ? 0.1 : 0.2;
            for (int k = 0; k < 4; k++) {
                csv.append(j).append(',').append(k * h).append(',').append(1.0 + j + k).append(',').append(0.5 * k - j).append('\n');
            }
        }
        Path data = dir.resolve("two-grids.csv");
        Files.writeString(data, csv);
        CliRun r = CliRun.of("train", "--config", dir.resolve("sp-node.yaml").toString(), "--data", data.toString(),
                "--out", dir.resolve("grids-run").toString());
        assertBadInput(r, "sp-node training needs one time grid: training trajectory", "has sample 1 at t = 0.");
    }

    @Test
    void evaluateScoresUnevenlySampledDataAlongEachTrajectorysOwnTimes() throws IOException {
        Path data = dir.resolve("uneven.csv");
        assertEquals(0, CliRun.of("simulate", "transient-growth", "--trajectories", "3", "--times", "0,0.01,0.1,0.5,2", "--seed", "7",
                "--out", data.toString()).exitCode());
        Path report = dir.resolve("uneven.json");
        CliRun r = CliRun.of("evaluate", "--model", model().toString(), "--data", data.toString(), "--out", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        StructurePreservingNode saved = StructurePreservingNode.load(model());
        ErrorMetrics.TrajectoryReport expected = ErrorMetrics.alongTrajectories(saved, TrajectoryFiles.read(data));
        assertEquals(expected.errorPct(), json.path("trajectory_error_pct").asDouble(), 0.0);
        assertEquals(expected.componentErrorPct()[1], json.path("component_error_pct").path("x2").asDouble(), 0.0);
        assertEquals(expected.maxPointwisePct()[0], json.path("max_pointwise_error_pct").path("x1").asDouble(), 0.0);
        assertEquals(3, json.path("trajectories").asInt());
        assertFalse(json.has("one_step_error_pct"), "no single step on uneven samples");
        assertTrue(json.path("stability").has("spectral_abscissa"));
    }

    @Test
    void predictAlongGivenTimesIsTheModelsForecast() throws IOException {
        Path out = dir.resolve("times.csv");
        CliRun r = CliRun.of("predict", "--model", model().toString(), "--x0", "1.0,-0.5", "--times", "0.5,0.51,0.6,1,3", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        TrajectorySet predicted = TrajectoryFiles.read(out);
        double[] times = {0.5, 0.51, 0.6, 1, 3};
        double[][] expected = StructurePreservingNode.load(model()).forecast(new double[][] {{1.0, -0.5}}, times)[0];
        assertArrayEquals(times, predicted.get(0).times());
        assertArrayEquals(new double[] {1.0, -0.5}, predicted.get(0).states()[0]);
        for (int k = 1; k < times.length; k++) {
            assertArrayEquals(expected[k], predicted.get(0).states()[k], "t = " + times[k]);
        }
        assertBadInput(CliRun.of("predict", "--model", model().toString(), "--x0", "1,2", "--times", "0,1,1", "--out", out.toString()),
                "--times must be finite and increasing: 1.0 then 1.0");
        assertBadInput(CliRun.of("predict", "--model", model().toString(), "--x0", "1,2", "--times", "0,1", "--steps", "3",
                "--out", out.toString()), "--times gives the forecast times itself; drop --steps and --dt");
        assertBadInput(CliRun.of("predict", "--model", model().toString(), "--x0", "1,2", "--out", out.toString()),
                "give --steps (and optionally --dt), or --times for an sp-node model");
    }

    @Test
    void predictRejectsAnInitialStateOfTheWrongSize() {
        assertBadInput(CliRun.of("predict", "--model", model().toString(), "--x0", "1,2,3", "--steps", "5",
                "--out", dir.resolve("p.csv").toString()), "--x0 has 3 entries but the model has 2 states [x1, x2]");
        assertBadInput(CliRun.of("predict", "--model", model().toString(), "--x0", "1,2", "--steps", "5", "--dt", "-0.1",
                "--out", dir.resolve("p.csv").toString()), "dt must be a finite number > 0, got -0.1");
    }

    @Test
    void rejectsCorruptSpNodeModel() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path data = dir.resolve("eval-data.csv");
        Files.writeString(data, "traj,t,x1,x2\n0,0,1,2\n0,0.2,1,2\n");
        ObjectNode good = (ObjectNode) json.readTree(model().resolve("model.json").toFile());

        Path truncated = Files.createDirectories(dir.resolve("truncated"));
        String text = json.writeValueAsString(good);
        Files.writeString(truncated.resolve("model.json"), text.substring(0, text.length() / 2));
        assertBadInput(CliRun.of("evaluate", "--model", truncated.toString(), "--data", data.toString()), "model.json", "corrupt");

        Path missing = Files.createDirectories(dir.resolve("missing-parameter"));
        ObjectNode noLs = good.deepCopy();
        ((ObjectNode) noLs.get("parameters")).remove("linear/lS");
        json.writeValue(missing.resolve("model.json").toFile(), noLs);
        assertBadInput(CliRun.of("evaluate", "--model", missing.toString(), "--data", data.toString()),
                "model.json", "parameter 'linear/lS' is missing or has the wrong size");

        Path badText = Files.createDirectories(dir.resolve("text-parameter"));
        ObjectNode textEntry = good.deepCopy();
        ((ArrayNode) textEntry.get("parameters").get("linear/lG")).set(0, "abc");
        json.writeValue(badText.resolve("model.json").toFile(), textEntry);
        assertBadInput(CliRun.of("evaluate", "--model", badText.toString(), "--data", data.toString()),
                "model.json", "parameter 'linear/lG' has a non-numeric entry");

        Path badOptions = Files.createDirectories(dir.resolve("bad-options"));
        ObjectNode textMu = good.deepCopy();
        ((ObjectNode) textMu.get("options").get("linear")).put("mu", "high");
        json.writeValue(badOptions.resolve("model.json").toFile(), textMu);
        assertBadInput(CliRun.of("evaluate", "--model", badOptions.toString(), "--data", data.toString()), "model.json", "corrupt sp-node model");

        Path noDt = Files.createDirectories(dir.resolve("no-dt"));
        ObjectNode withoutDt = good.deepCopy();
        withoutDt.remove("dt");
        json.writeValue(noDt.resolve("model.json").toFile(), withoutDt);
        assertBadInput(CliRun.of("evaluate", "--model", noDt.toString(), "--data", data.toString()), "model.json", "dt must be a finite number > 0");
    }

    @Test
    void resumeOfAnSpNodeRunWithoutACheckpointSaysSo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-checkpoints"));
        assertBadInput(CliRun.of("train", "--config", dir.resolve("sp-node.yaml").toString(), "--resume", empty.toString()),
                "--resume: " + empty + " has no checkpoint to resume from");
    }

    private static String[] with(String[] a, String last) {
        String[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }
}
