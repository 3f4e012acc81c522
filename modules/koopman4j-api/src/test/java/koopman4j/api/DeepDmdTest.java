package koopman4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.metrics.Evaluation;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import koopman4j.layers.DeepKoopman;
import koopman4j.systems.Glycolysis;
import koopman4j.systems.Simulator;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.TrainingProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DeepDmd}: fit in memory, predict, evaluate, certify, save and load, as a user's code would. */
class DeepDmdTest {

    @TempDir
    static Path dir;
    static TrajectorySet data;
    static TrajectorySet fresh;
    static DeepDmd.Options options;
    static DeepKoopman model;
    static final List<TrainingProgress> evaluations = new ArrayList<>();
    static final List<Integer> checkpoints = new ArrayList<>();
    static final List<int[]> steps = new ArrayList<>();

    @BeforeAll
    static void fitSmallModel() {
        data = new Simulator(new Glycolysis()).simulate(12, Simulator.uniformTimes(60, 0.01), 3).observe(new int[] {1, 2, 6});
        fresh = new Simulator(new Glycolysis()).simulate(4, Simulator.uniformTimes(60, 0.01), 4).observe(new int[] {1, 2, 6});
        options = DeepDmd.Options.defaults().with("model.dictionary.depth=2", "model.dictionary.width=16", "model.dictionary.outputs=6",
                "model.loss.rolloutWeight=1.0", "model.loss.latentWeight=0.1", "training.steps=40", "training.evalEvery=20",
                "training.checkpointEvery=20", "training.batchSize=64", "training.rollout.horizons=[1,5,20]");
        model = DeepDmd.fit(data, options, new TrainingListener() {
            @Override
            public void evaluated(TrainingProgress progress) {
                evaluations.add(progress);
            }

            @Override
            public void checkpointed(int step, KoopmanModel m) {
                checkpoints.add(step);
            }

            @Override
            public void stepped(int step, int total, double loss) {
                steps.add(new int[] {step, total});
            }
        });
    }

    @Test
    void fitsInMemoryAndTellsTheListenerOfEveryEvaluationAndCheckpoint() {
        assertEquals(List.of(20, 40), evaluations.stream().map(TrainingProgress::step).toList());
        assertEquals(List.of(20, 40), checkpoints);
        assertEquals(40, steps.size(), "stepped after every step");
        for (int k = 0; k < 40; k++) {
            assertArrayEquals(new int[] {k + 1, 40}, steps.get(k));
        }
        TrainingProgress last = evaluations.get(1);
        assertEquals(40, last.steps());
        assertTrue(Double.isFinite(last.loss()) && Double.isFinite(last.validationScore()) && last.stepsPerSecond() > 0, last.toString());
        assertEquals(0.0, last.etaSeconds());
        assertTrue(evaluations.get(0).best());
        assertEquals(List.of("S1", "S2", "S6"), model.stateNames());
        assertEquals(0.01, model.dt());
        assertEquals(3 + 6, model.liftedDimension());
    }

    @Test
    void predictsFromOneStateOnTheModelsTimeGrid() {
        double[] x0 = fresh.get(0).states()[0];
        Trajectory forecast = model.predict(x0, 50);
        assertEquals(51, forecast.length());
        assertArrayEquals(x0, forecast.states()[0]);
        assertEquals(0.5, forecast.times()[50], 1e-12);
        // the forecast is the model's rollout, K^k ψ(x₀) read back
        assertArrayEquals(model.rollout(new double[][] {x0}, 50)[0][49], forecast.states()[50]);
    }

    @Test
    void evaluatesOneStepRolloutAndReencodedErrors() {
        Evaluation e = model.evaluate(fresh, 1, 10, 100);
        assertEquals(4, e.trajectories());
        assertTrue(e.oneStepErrorPct() > 0 && e.oneStepErrorPct() < 100, e.toString());
        // the one implementation of the metrics, K^kψ(x₀) and re-encoded alike
        assertEquals(ErrorMetrics.oneStepErrorPct(model, fresh), e.oneStepErrorPct());
        assertEquals(ErrorMetrics.rolloutErrorPct(model, fresh, 10), e.rolloutErrorPct(10));
        assertEquals(ErrorMetrics.rolloutErrorPct(model.reencoded(), fresh, 100), e.reencodedRolloutErrorPct().get(100));
        assertEquals(List.of(1, 10, 100), List.copyOf(e.rolloutErrorPct().keySet()));
        assertEquals(List.of(1, 10, 100), List.copyOf(e.reencodedRolloutErrorPct().keySet()));
        JsonNode json = e.toJson();
        assertEquals(e.rolloutErrorPct(10), json.path("rollout_error_pct").path("10").asDouble());
        assertTrue(json.has("reencoded_rollout_error_pct"));
    }

    @Test
    void certifiesKByItsDistanceToTheUnitCircle() {
        StabilityCertificate c = model.stability();
        assertEquals(StabilityCertificate.Region.UNIT_CIRCLE, c.region());
        assertEquals(c, StabilityCertificate.discrete(model.koopmanMatrix()));
        assertTrue(c.spectralBound() > 0, c.toString());
        assertTrue(c.toJson().has("distance_to_unit_circle"));
        assertTrue(c.toString().startsWith("ρ(K) = "), c.toString());
    }

    @Test
    void savedModelLoadsAsAKoopmanModelForecastingBitIdentically() throws Exception {
        Path saved = dir.resolve("saved");
        model.save(saved);
        KoopmanModel loaded = Models.load(saved);
        assertEquals("deep-dmd", loaded.kind());
        assertInstanceOf(DeepKoopman.class, loaded);
        double[] x0 = fresh.get(1).states()[0];
        assertEquals(model.predict(x0, 80), loaded.predict(x0, 80));
        assertEquals(model.evaluate(fresh, 1, 10), loaded.evaluate(fresh, 1, 10));
        assertEquals(model.stability(), loaded.stability());
        // provenance: the options, with no system or file named for data fitted in memory
        JsonNode provenance = new ObjectMapper().readTree(saved.resolve("model.json").toFile()).path("provenance");
        assertEquals(40, provenance.path("training").path("steps").asInt());
        assertTrue(provenance.path("data").path("system").isNull());
    }

    @Test
    void theSameOptionsOnTheSameDataTrainTheSameModelAsTrainJob() throws Exception {
        Path file = dir.resolve("data.csv");
        TrajectoryFiles.write(data, file);
        Path config = dir.resolve("options.yaml");
        Files.writeString(config, options.toYaml());
        TrainJob.run(config, file, dir.resolve("job"), List.of(), null);
        KoopmanModel fromJob = Models.load(dir.resolve("job/model"));
        double[] x0 = fresh.get(2).states()[0];
        assertEquals(model.predict(x0, 60), fromJob.predict(x0, 60));
    }

    @Test
    void optionsRoundTripThroughYamlAndRejectBadSettingsInOneLine() throws Exception {
        Path config = dir.resolve("round-trip.yaml");
        Files.writeString(config, options.toYaml());
        assertEquals(options, DeepDmd.Options.fromYaml(config));
        assertEquals(40, options.config().training().steps());
        assertEquals(20000, DeepDmd.Options.defaults().config().training().steps());

        assertEquals("options: training.steps must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> options.with("training.steps=0")).getMessage());
        assertEquals("options: unknown key 'training.stepz' (known here: optimizer, learningRate, finalLearningRate, batchSize, steps, "
                        + "evalEvery, checkpointEvery, seed, selectHorizon, rollout, lossTime, engine, keepCheckpoints, divergence)",
                assertThrows(InvalidDataException.class, () -> options.with("training.stepz=3")).getMessage());
        assertEquals("options 'steps': expected key.path=value",
                assertThrows(InvalidDataException.class, () -> options.with("steps")).getMessage());
        assertEquals("options: training.batchSize: wrong type, expected int",
                assertThrows(InvalidDataException.class, () -> options.with("training.batchSize=[1]")).getMessage());
        assertEquals("options: model.kind is 'sp-node'; DeepDmd trains deep-dmd models",
                assertThrows(InvalidDataException.class, () -> DeepDmd.Options.fromYaml(spNodeYaml())).getMessage());
        Path absent = dir.resolve("absent.yaml");
        assertEquals(absent + ": no such config file",
                assertThrows(InvalidDataException.class, () -> DeepDmd.Options.fromYaml(absent)).getMessage());
    }

    private static Path spNodeYaml() throws Exception {
        Path f = dir.resolve("sp-node.yaml");
        Files.writeString(f, "model: { kind: sp-node }\n");
        return f;
    }

    @Test
    void rejectsBadDataAndStatesInOneLine() {
        TrajectorySet two = new TrajectorySet(data.names(), data.trajectories().subList(0, 2));
        assertEquals("data: 2 trajectories; need at least 3 for train, validation and test",
                assertThrows(InvalidDataException.class, () -> DeepDmd.fit(two, options)).getMessage());
        TrajectorySet uneven = new TrajectorySet(List.of("a"), List.of(
                new Trajectory(new double[] {0, 0.1, 0.3}, new double[][] {{1}, {2}, {3}}),
                new Trajectory(new double[] {0, 0.1, 0.2}, new double[][] {{1}, {2}, {3}}),
                new Trajectory(new double[] {0, 0.1, 0.2}, new double[][] {{1}, {2}, {3}}),
                new Trajectory(new double[] {0, 0.1, 0.2}, new double[][] {{1}, {2}, {3}})));
        assertEquals("data: Deep DMD needs one uniform time step; the trajectories' steps differ",
                assertThrows(InvalidDataException.class, () -> DeepDmd.fit(uneven, DeepDmd.Options.defaults())).getMessage());
        assertEquals("data.trainSamples is for sp-node models; Deep DMD trains on every consecutive pair",
                assertThrows(InvalidDataException.class, () -> DeepDmd.fit(data, options.with("data.trainSamples=[0,5]"))).getMessage());

        assertEquals("predict: x0 has 2 entries but the model's state has 3 [S1, S2, S6]",
                assertThrows(InvalidDataException.class, () -> model.predict(new double[] {1, 2}, 5)).getMessage());
        assertEquals("predict: steps must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> model.predict(new double[] {1, 2, 3}, 0)).getMessage());
        assertEquals("predict: x0[1] (S2) is NaN",
                assertThrows(InvalidDataException.class, () -> model.predict(new double[] {1, Double.NaN, 3}, 5)).getMessage());
        TrajectorySet twoStates = data.observe(new int[] {1, 2});
        assertEquals("data has 2 states [S1, S2] but the model expects 3 [S1, S2, S6]",
                assertThrows(InvalidDataException.class, () -> model.evaluate(twoStates, 10)).getMessage());
        assertEquals("evaluate: rollout horizon must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> model.evaluate(fresh, 10, 0)).getMessage());
        assertEquals("evaluate: give at least one rollout horizon",
                assertThrows(InvalidDataException.class, () -> model.evaluate(fresh)).getMessage());
        assertFalse(evaluations.isEmpty());
    }
}
