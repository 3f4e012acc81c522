package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.layers.DeepKoopman;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deep DMD on three measured glycolysis species with delay coordinates (model.delays), end to end. */
class DelayEmbeddingJobTest {

    @TempDir
    static Path dir;
    static Path config;
    static Path run;

    @BeforeAll
    static void trainDelayModel() throws Exception {
        config = dir.resolve("delays.yaml");
        Files.writeString(config, """
                model:
                  dictionary: { depth: 2, width: 16, outputs: 6 }
                  loss: { stateWeight: 1.0, rolloutWeight: 0.1, latentWeight: 0.1 }
                  delays: { count: 2, lag: 3 }
                data: { system: glycolysis, trajectories: 12, steps: 60, dt: 0.01, observe: [1, 2, 3] }
                training: { steps: 30, evalEvery: 15, checkpointEvery: 15, batchSize: 64, rollout: { horizons: [1, 10] } }
                """);
        run = dir.resolve("run");
        CliRun r = CliRun.of("train", "--config", config.toString(), "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void theSavedModelKeepsItsEmbeddingAndForecastsTheMeasuredStates() throws Exception {
        JsonNode model = new ObjectMapper().readTree(run.resolve("model/model.json").toFile());
        assertEquals(2, model.path("delayEmbedding").path("delays").asInt());
        assertEquals(3, model.path("delayEmbedding").path("lag").asInt());
        assertEquals(9, model.path("dictionary").path("inputs").asInt());
        assertEquals(List.of("S1", "S2", "S3"), List.of(new ObjectMapper().treeToValue(model.get("stateNames"), String[].class)));
        assertTrue(Files.readString(run.resolve("train.log")).contains("delay embedding: 2 delays of 3 sample(s), 9 states"));
    }

    /** evaluate's one-step error against the same figure computed here from hand-built delay vectors. */
    @Test
    void evaluateScoresTheCurrentStatesOfHandBuiltDelayVectors() throws Exception {
        Path data = dir.resolve("fresh.csv");
        assertEquals(0, CliRun.of("simulate", "glycolysis", "--trajectories", "3", "--steps", "40", "--dt", "0.01", "--seed", "5",
                "--observe", "1,2,3", "--out", data.toString()).exitCode());
        Path report = dir.resolve("eval.json");
        CliRun r = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--data", data.toString(),
                "--horizons", "1,10", "--out", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        double reported = new ObjectMapper().readTree(report.toFile()).path("one_step_error_pct").asDouble(Double.NaN);

        DeepKoopman model = DeepKoopman.load(run.resolve("model"));
        double err = 0;
        double ref = 0;
        for (Trajectory t : TrajectoryFiles.read(data).trajectories()) {
            double[][] y = t.states();
            List<double[]> sources = new ArrayList<>();
            for (int k = 6; k + 1 < y.length; k++) {
                sources.add(new double[] {y[k][0], y[k][1], y[k][2], y[k - 3][0], y[k - 3][1], y[k - 3][2],
                    y[k - 6][0], y[k - 6][1], y[k - 6][2]});
            }
            double[][] predicted = model.step(sources.toArray(new double[0][]));
            for (int p = 0; p < predicted.length; p++) {
                assertEquals(3, predicted[p].length);
                for (int i = 0; i < 3; i++) {
                    double d = predicted[p][i] - y[p + 7][i];
                    err += d * d;
                    ref += y[p + 7][i] * y[p + 7][i];
                }
            }
        }
        assertEquals(100 * Math.sqrt(err / ref), reported, 1e-6); // float32 graph, other batch shapes
    }

    @Test
    void predictStartsFromADelayVectorAndWritesTheMeasuredStates() throws Exception {
        Path out = dir.resolve("pred.csv");
        CliRun r = CliRun.of("predict", "--model", run.resolve("model").toString(), "--x0", "1.0,0.5,0.1,1.1,0.6,0.1,1.2,0.7,0.1",
                "--steps", "20", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        TrajectorySet p = TrajectoryFiles.read(out);
        assertEquals(List.of("S1", "S2", "S3"), p.names());
        assertEquals(21, p.get(0).length());
        assertArrayEquals(new double[] {1.0, 0.5, 0.1}, p.get(0).states()[0]);
    }

    @Test
    void predictWithOnlyTheMeasuredStatesNamesTheDelayVector() {
        CliRun r = CliRun.of("predict", "--model", run.resolve("model").toString(), "--x0", "1.0,0.5,0.1", "--steps", "5",
                "--out", dir.resolve("never.csv").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--x0 has 3 entries but the model has 9 states [S1, S2, S3, S1(t-3)"), r.err());
    }

    @Test
    void badDelaysAreRefusedWithTheirPath() {
        CliRun r = CliRun.of("train", "--config", config.toString(), "--out", dir.resolve("bad").toString(),
                "--set", "model.delays.count=-1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("model.delays.count must be ≥ 0, got -1"), r.err());
    }

    @Test
    void trajectoriesShorterThanTheHistoryAreRefused() {
        CliRun r = CliRun.of("train", "--config", config.toString(), "--out", dir.resolve("short").toString(),
                "--set", "model.delays.lag=40");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("has 61 samples; a delay embedding of 2 delays of 40 sample(s) needs at least 82"), r.err());
    }
}
