package koopman4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import koopman4j.core.linalg.Precision;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.layers.integrators.ExpmvGraph;
import koopman4j.layers.integrators.Integrator;
import koopman4j.layers.integrators.Rollout;
import koopman4j.layers.integrators.TimeGrid;
import koopman4j.layers.spnode.HurwitzLinear;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.systems.TransientGrowth;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link SpNodeTrainer} end to end on the transient-growth systems of seed 001 §5.1: every integrator,
 * nonlinearity and the autoencoder in small runs (metrics, reload, stability, descent), and what the
 * exponential integrator learns from t = 0 and t = 2 alone against what IMEX learns.
 */
class SpNodeTrainerTest {

    @TempDir
    Path dir;

    /** A finished run with what it was trained from. */
    private record Run(SpNodeTrainer.Result result, TrainConfig config, TrainingData data, Path out) { }

    private Run train(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        JsonNode tree = ConfigLoader.tree(file, List.of());
        TrainConfig config = ConfigLoader.bind(tree, file.toString());
        TrainingData data = TrainingData.prepare(config.data());
        Path out = dir.resolve(name);
        return new Run(new SpNodeTrainer(config, tree, data, out).train(), config, data, out);
    }

    /** The untrained model the trainer starts from: its parameters declared with the training seed. */
    private static StructurePreservingNode seededStart(StructurePreservingNode.Options options, long seed, double dt) {
        return new StructurePreservingNode(options, StructurePreservingNode.declare(SameDiff.create(), options, DataType.DOUBLE, seed),
                List.of("x1", "x2"), dt, null);
    }

    /** Re λ_max of a real 2 × 2 matrix in closed form: tr/2 + Re √((a − d)²/4 + bc). */
    private static double abscissa2x2(double[][] a) {
        double half = (a[0][0] + a[1][1]) / 2;
        double disc = (a[0][0] - a[1][1]) * (a[0][0] - a[1][1]) / 4 + a[0][1] * a[1][0];
        return half + (disc > 0 ? Math.sqrt(disc) : 0);
    }

    private static void assertFinite(JsonNode node, String field) {
        double v = node.path(field).asDouble(Double.NaN);
        assertTrue(node.path(field).isNumber() && Double.isFinite(v), field + " = " + node.path(field) + " in " + node);
    }

    @Test
    void sameConfigAndSeedGiveABitIdenticalModel() throws IOException {
        String yaml = """
                model:
                  kind: sp-node
                  linear: { mu: -0.5 }
                  nonlinear: { kind: lipschitz, layers: 1, width: 8, lipschitzBound: 1.0 }
                  autoencoder: { latent: 2, depth: 1, width: 8 }
                  integrator: etd1
                data: { system: transient-growth, trajectories: 40, steps: 5, dt: 0.2, seed: 3 }
                training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-3, batchSize: 16, steps: 60, evalEvery: 20, seed: 5 }
                """;
        Run a = train("first", yaml);
        Run b = train("second", yaml); // the JIT has compiled the step by now: the bits must not depend on it
        assertEquals(Files.readString(a.out().resolve("model/model.json")), Files.readString(b.out().resolve("model/model.json")));
        com.fasterxml.jackson.databind.node.ObjectNode ma = a.result().metrics().deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode mb = b.result().metrics().deepCopy();
        ma.remove(List.of("seconds", "steps_per_second"));
        mb.remove(List.of("seconds", "steps_per_second"));
        assertEquals(ma, mb);
    }

    @ParameterizedTest(name = "{0} / {1} / latent {2} / mu {3}")
    @CsvSource({
        "etd1, bilinear, 0, 0.0",
        "etd1, none, 2, -0.5",
        "imex, lipschitz, 0, -0.5",
        "imex, bilinear, 2, 0.0",
        "rk4, none, 0, 0.0",
        "rk4, lipschitz, 2, 0.25",
    })
    void smallRunWritesFiniteMetricsReloadsBitIdenticalKeepsHurwitzAndDescends(String integrator, String nonlinear, int latent, double mu)
            throws IOException {
        Run run = train(integrator + "-" + nonlinear + "-" + latent, """
                model:
                  kind: sp-node
                  linear: { mu: %s }
                  nonlinear: { kind: %s, rank: 1, layers: 1, width: 8, lipschitzBound: 1.0 }
                  autoencoder: { latent: %d, depth: 1, width: 8 }
                  integrator: %s
                data: { system: transient-growth, trajectories: 40, steps: 5, dt: 0.2, seed: 3 }
                training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-2, batchSize: 32, steps: 30, evalEvery: 10, seed: 5 }
                """.formatted(mu, nonlinear, latent, integrator));
        StructurePreservingNode model = run.result().model();

        // metrics.json: the returned metrics, every figure finite
        JsonNode metrics = new ObjectMapper().readTree(run.out().resolve("metrics.json").toFile());
        assertEquals(run.result().metrics(), metrics);
        for (String set : List.of("train", "validation", "test")) {
            JsonNode m = metrics.path(set);
            assertFinite(m, "one_step_error_pct");
            assertFinite(m, "time_integrated_loss");
            for (String h : List.of("1", "10", "100")) {
                assertFinite(m.path("rollout_error_pct"), h);
            }
        }
        assertFinite(metrics, "final_loss");
        assertFinite(metrics, "seconds");
        int best = metrics.path("best_step").asInt();
        assertTrue(best == 10 || best == 20 || best == 30, "best step " + best);
        assertFinite(metrics.path("stability"), "spectral_abscissa");
        assertFalse(metrics.path("stability").path("unstable").asBoolean(true), metrics.path("stability").toString());

        // the saved model reloads to the same forecasts, bit for bit
        StructurePreservingNode loaded = StructurePreservingNode.load(run.out().resolve("model"));
        assertEquals(model.options(), loaded.options());
        assertEquals(model.stateNames(), loaded.stateNames());
        assertEquals(0.2, loaded.dt());
        assertTrue(Arrays.deepEquals(model.linearOperator(), loaded.linearOperator()));
        double[][] x0 = run.data().test().trajectories().stream().map(t -> t.states()[0]).toArray(double[][]::new);
        assertTrue(Arrays.deepEquals(model.rollout(x0, 10), loaded.rollout(x0, 10)), "reloaded rollout differs");
        assertTrue(Arrays.deepEquals(model.withStep(0.05).rollout(x0, 7), loaded.withStep(0.05).rollout(x0, 7)));

        // Re λ(A_L) ≤ μ (eq. 3–5), checked in closed form
        double abscissa = abscissa2x2(model.linearOperator());
        assertTrue(abscissa <= mu + 1e-12, "max Re λ(A_L) = " + abscissa + " > μ = " + mu);
        assertEquals(abscissa, metrics.path("stability").path("spectral_abscissa").asDouble(), 1e-9 * (1 + Math.abs(abscissa)));

        // training lowered eq. 20 on the training trajectories from the seeded start
        StructurePreservingNode.Options options = SpNodeTrainer.options(run.config().model(), 2);
        StructurePreservingNode start = seededStart(options, run.config().training().seed(), model.dt());
        double before = SpNodeTrainer.timeIntegratedLoss(start, run.data().train(), false);
        double after = metrics.path("train").path("time_integrated_loss").asDouble();
        assertEquals(SpNodeTrainer.timeIntegratedLoss(model, run.data().train(), false), after, 1e-12 * after);
        assertTrue(after < 0.9 * before, "eq. 20 on the training set: " + before + " at the start, " + after + " after training");
    }

    /** e^{tA} of a real 2 × 2 matrix in closed form: e^{st}[c I + d (A − sI)], s = tr/2, from the sign of the discriminant. */
    private static double[][] exp2x2(double[][] a, double t) {
        double s = (a[0][0] + a[1][1]) / 2;
        double disc = (a[0][0] - a[1][1]) * (a[0][0] - a[1][1]) / 4 + a[0][1] * a[1][0];
        double q = Math.sqrt(Math.abs(disc));
        double c = disc > 0 ? Math.cosh(q * t) : disc < 0 ? Math.cos(q * t) : 1;
        double d = disc > 0 ? Math.sinh(q * t) / q : disc < 0 ? Math.sin(q * t) / q : t;
        double e = Math.exp(s * t);
        return new double[][] {
            {e * (c + d * (a[0][0] - s)), e * d * a[0][1]},
            {e * d * a[1][0], e * (c + d * (a[1][1] - s))}};
    }

    private static double distance(double[][] x, double[][] y) {
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                sum += (x[i][j] - y[i][j]) * (x[i][j] - y[i][j]);
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Seed 001 §5.1, ε = 0 (Fig. 3): trained on t = 0 and t = 2 only, the exponential integrator learns the
     * flow over the whole interval, e^{2A_L} ≈ e^{2A_bump}, and so A_L moves towards A_bump and forecasts the
     * held-out trajectories at Δt = 0.2 far better than IMEX trained on the same two samples, whose
     * (I − 2A_L)⁻¹ cannot stand for ten steps of 0.2.
     *
     * <p>Why the tolerances on A_L are loose: A = ½ log Φ with Φ = e^{2A_bump} = e^{−4}[[1, 20], [0, 1]] is
     * ill-conditioned — the relative condition number of Φ ↦ A is ≈ 130 (the smallest singular value of the
     * Fréchet derivative of e^{2A} at A_bump is 2.7·10⁻⁴) — so a 1 % error in Φ, a training loss of 10⁻⁵,
     * leaves A_L uncertain by units. Measured (seed 42, 100 Adam steps, learning rate 0.1 → 0.01):
     * A_L = [[−1.50, 4.62], [−0.07, −1.49]], ‖A_L − A_bump‖_F = 5.4 (10.1 at the start), ‖e^{2A_L} − Φ‖/‖Φ‖ = 1.7 %,
     * rollout error at Δt = 0.2 of 39 % (ETD1) and 62 % (IMEX). An independent float64 Adam on the same
     * loss reached ‖A_L − A_bump‖_F of 1.3–6.0 in 100 steps over four seeds, and BFGS reaches A_bump to 0.03
     * (loss 3·10⁻¹¹): the minimiser is A_bump, the optimiser's valley is long. Rollout error at Δt = 0.2:
     * ETD1 8–40 %, IMEX 63–70 % over those seeds.
     */
    /**
     * Issue 12's contract for the fast path: 100 Adam steps with the fused float64 step end at the parameters the
     * SameDiff graph reaches, to 1e-10 relative (the same batches; only the order of floating-point sums differs).
     */
    @ParameterizedTest(name = "{0} / {1} / latent {2}")
    @CsvSource({"etd1, lipschitz, 0", "etd1, lipschitz, 2", "imex, bilinear, 0"})
    void hundredStepsOfTheFusedEngineEndWhereTheSameDiffEngineEnds(String integrator, String nonlinear, int latent) throws IOException {
        String yaml = """
                model:
                  kind: sp-node
                  linear: { mu: 0.0 }
                  nonlinear: { kind: %s, rank: 1, layers: 2, width: 12, lipschitzBound: 2.0 }
                  autoencoder: { latent: %d, depth: 1, width: 6 }
                  integrator: %s
                data: { system: transient-growth, trajectories: 40, steps: 4, dt: 0.25, seed: 3 }
                training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-3, batchSize: 16, steps: 100, evalEvery: 100, seed: 5, engine: %s }
                """;
        StructurePreservingNode fused = train("fused-" + integrator + nonlinear + latent, yaml.formatted(nonlinear, latent, integrator, "fused"))
                .result().model();
        StructurePreservingNode reference = train("samediff-" + integrator + nonlinear + latent,
                yaml.formatted(nonlinear, latent, integrator, "samediff")).result().model();
        Map<String, INDArray> expected = StructurePreservingNode.values(modelParts(reference));
        Map<String, INDArray> actual = StructurePreservingNode.values(modelParts(fused));
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            double scale = expected.get(name).norm2Number().doubleValue();
            double error = actual.get(name).sub(expected.get(name)).norm2Number().doubleValue();
            assertTrue(error <= 1e-10 * scale, name + ": ‖fused − samediff‖ = " + error + " after 100 steps, ‖samediff‖ = " + scale);
        }
    }

    /** A model's parameters, read back through its saved form (the model keeps them private). */
    private StructurePreservingNode.Parts modelParts(StructurePreservingNode model) throws IOException {
        Path saved = Files.createTempDirectory(dir, "model");
        model.save(saved);
        JsonNode parameters = new ObjectMapper().readTree(saved.resolve("model.json").toFile()).path("parameters");
        StructurePreservingNode.Parts parts = StructurePreservingNode.declare(SameDiff.create(), model.options(), DataType.DOUBLE, 0);
        Map<String, INDArray> values = new java.util.LinkedHashMap<>();
        parameters.properties().forEach(e -> {
            double[] v = new double[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = e.getValue().get(i).asDouble();
            }
            values.put(e.getKey(), org.nd4j.linalg.factory.Nd4j.createFromArray(v));
        });
        StructurePreservingNode.assign(parts, values, "test");
        return parts;
    }

    @Test
    void etd1TrainedOnTheEndpointsLearnsTheFlowOfABumpAndDeploysBetterThanImex() throws IOException {
        String config = """
                model: { kind: sp-node, linear: { mu: 0.0 }, nonlinear: { kind: none }, integrator: %s }
                data: { system: transient-growth-linear, trajectories: 40, steps: 10, dt: 0.2, trainSamples: [0, 10], seed: 1 }
                training: { learningRate: 0.1, finalLearningRate: 0.01, batchSize: 64, steps: 100, evalEvery: 50, seed: 42 }
                """;
        double[][] aBump = TransientGrowth.A_BUMP;
        double[][] phi = exp2x2(aBump, 2);
        assertEquals(Math.exp(-4) * 20, phi[0][1], 1e-15); // the closed form itself: e^{−4}[[1, 20], [0, 1]]

        Run etd = train("etd1-endpoints", config.formatted("etd1"));
        double[][] a = etd.result().model().linearOperator();
        StructurePreservingNode.Options options = SpNodeTrainer.options(etd.config().model(), 2);
        double[][] start = seededStart(options, 42, 0.2).linearOperator();
        double flowError = distance(exp2x2(a, 2), phi) / distance(phi, new double[2][2]);
        double etdError = ErrorMetrics.rolloutErrorPct(etd.result().model(), etd.data().test(), 10);
        System.err.printf("ETD1 endpoints: A_L = %s, |A_L - A_bump|_F = %.3f (start %.3f), flow error %.4f, rollout@10 %.2f%%%n",
                Arrays.deepToString(a), distance(a, aBump), distance(start, aBump), flowError, etdError);
        assertTrue(flowError < 0.05, "e^{2A_L} vs e^{2A_bump}: relative error " + flowError);
        assertTrue(distance(a, aBump) < 0.75 * distance(start, aBump), "A_L " + Arrays.deepToString(a) + " did not move towards A_bump");
        assertTrue(abscissa2x2(a) <= 0, "Hurwitz with μ = 0");

        Run imex = train("imex-endpoints", config.formatted("imex"));
        double imexError = ErrorMetrics.rolloutErrorPct(imex.result().model(), imex.data().test(), 10);
        double[][] imexA = imex.result().model().linearOperator();
        System.err.printf("IMEX endpoints: A_L = %s, rollout@10 %.2f%%%n", Arrays.deepToString(imexA), imexError);
        assertEquals(0.2, etd.result().model().dt());
        assertEquals(0.2, imex.result().model().dt());
        assertTrue(etdError < 0.8 * imexError, "rollout error at Δt = 0.2: ETD1 " + etdError + " %, IMEX " + imexError + " %");
    }

    /**
     * Expm's dense plans are not ordered in (degree, squarings): at h = 0.6 the start A_L needs degree 18 with
     * no squaring while 2·A_L, the headroom the graph is built for, gets degree 8 with 5 squarings, so
     * {@link SpNodeTrainer#fits} says no although the graph covers A_L. The trainer must not rebuild the same
     * graph every step then (it did: one graph per step).
     */
    @Test
    void graphBuiltWithHeadroomIsKeptWhenItsPlanIsNotOrderedAgainstTheNeededOne() throws IOException {
        String yaml = """
                model: { kind: sp-node, linear: { mu: 0.0 }, nonlinear: { kind: none }, integrator: etd1 }
                data: { system: transient-growth-linear, trajectories: 12, steps: 1, dt: 0.6, seed: 1 }
                training: { learningRate: 1.0e-6, finalLearningRate: 1.0e-6, batchSize: 4, steps: 6, evalEvery: 6, seed: 42, engine: samediff }
                """;
        StructurePreservingNode.Options options = new StructurePreservingNode.Options(2, new HurwitzLinear.Options(2, 0.0),
                null, null, null, Integrator.ETD1);
        double[][] a = seededStart(options, 42, 0.6).linearOperator();
        double[][] twice = {{2 * a[0][0], 2 * a[0][1]}, {2 * a[1][0], 2 * a[1][1]}};
        TimeGrid grid = TimeGrid.of("test", 0, 0.6);
        List<ExpmvGraph.Plan> needed = Rollout.plans(options.integrator(), a, grid, Precision.DOUBLE, 4);
        List<ExpmvGraph.Plan> headroom = Rollout.plans(options.integrator(), twice, grid, Precision.DOUBLE, 4);
        assertFalse(SpNodeTrainer.fits(needed, headroom), "the situation under test: " + needed + " vs " + headroom);

        Run run = train("headroom", yaml);
        String log = Files.readString(run.out().resolve("train.log"));
        assertTrue(log.contains("step 6/6") && log.contains("  1 graph(s)"), log);
    }

    @Test
    void fitsAcceptsSmallerPlansAndRejectsLargerOnesAndOtherPaths() {
        List<ExpmvGraph.Plan> built = List.of(ExpmvGraph.Plan.taylor(4, 30, 3), ExpmvGraph.Plan.taylor(4, 20, 1));
        assertTrue(SpNodeTrainer.fits(built, built));
        assertTrue(SpNodeTrainer.fits(List.of(ExpmvGraph.Plan.taylor(4, 18, 2), ExpmvGraph.Plan.taylor(4, 20, 1)), built));
        assertFalse(SpNodeTrainer.fits(List.of(ExpmvGraph.Plan.taylor(4, 31, 3), ExpmvGraph.Plan.taylor(4, 20, 1)), built), "larger m");
        assertFalse(SpNodeTrainer.fits(List.of(ExpmvGraph.Plan.taylor(4, 30, 3), ExpmvGraph.Plan.taylor(4, 10, 2)), built), "larger s");
        assertFalse(SpNodeTrainer.fits(List.of(ExpmvGraph.Plan.taylor(4, 30, 3)), built), "fewer steps");
        assertFalse(SpNodeTrainer.fits(List.of(ExpmvGraph.Plan.taylor(6, 10, 1), ExpmvGraph.Plan.taylor(6, 10, 1)), built), "other order");

        List<ExpmvGraph.Plan> dense = List.of(new ExpmvGraph.Plan(4, ExpmvGraph.Path.DENSE, 0, 0, 18, 4));
        assertTrue(SpNodeTrainer.fits(List.of(new ExpmvGraph.Plan(4, ExpmvGraph.Path.DENSE, 0, 0, 12, 4)), dense));
        assertTrue(SpNodeTrainer.fits(List.of(new ExpmvGraph.Plan(4, ExpmvGraph.Path.DENSE, 0, 0, 18, 0)), dense));
        assertFalse(SpNodeTrainer.fits(List.of(new ExpmvGraph.Plan(4, ExpmvGraph.Path.DENSE, 0, 0, 18, 5)), dense), "more squarings");
        assertFalse(SpNodeTrainer.fits(List.of(ExpmvGraph.Plan.taylor(4, 1, 1)), dense), "Taylor into a dense graph");
        assertFalse(SpNodeTrainer.fits(dense, List.of(ExpmvGraph.Plan.taylor(4, 55, 40))), "dense into a Taylor graph");
        assertTrue(SpNodeTrainer.fits(List.of(), List.of()), "IMEX and RK4 have no plans");
    }

    @Test
    void trainingWithDataScaleIsTrainingOnScaledDataAndEverythingSavedIsInOriginalUnits() throws IOException {
        String yaml = """
                model:
                  kind: sp-node
                  nonlinear: { kind: lipschitz, layers: 2, width: 8, lipschitzBound: 1.0 }
                  autoencoder: { latent: 2, depth: 1, width: 8 }
                  integrator: etd1
                data: { %s, trajectories: 30, steps: 5, dt: 0.2, seed: 3 %s }
                training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-2, batchSize: 16, steps: 12, evalEvery: 12, seed: 5 }
                """;
        double[] scale = {1, 1e3};
        Run scaled = train("scaled", yaml.formatted("system: transient-growth", ", scale: [1, 1.0e3]"));
        // the same trajectories, scaled by hand into a file, trained without data.scale
        TrainingData data = scaled.data();
        Path file = dir.resolve("prescaled.npy");
        List<koopman4j.core.data.Trajectory> all = new java.util.ArrayList<>();
        koopman4j.systems.Simulator sim = new koopman4j.systems.Simulator(new TransientGrowth(1.0));
        koopman4j.core.data.TrajectorySet simulated = sim.simulate(30, koopman4j.systems.Simulator.uniformTimes(5, 0.2), 3);
        koopman4j.core.data.TrajectoryFiles.write(simulated.scaled(scale), file);
        Run byHand = train("by-hand", yaml.formatted("path: " + file, ""));
        assertArrayEquals(new double[] {1, 1}, byHand.result().model().scale());
        assertArrayEquals(scale, scaled.result().model().scale());

        // one model, seen in two unit systems: forecasts agree after dividing by the scale
        double[][] x0 = data.test().trajectories().stream().map(t -> t.states()[0]).toArray(double[][]::new);
        double[][] x0scaled = data.scaled().test().trajectories().stream().map(t -> t.states()[0]).toArray(double[][]::new);
        double[][][] original = scaled.result().model().rollout(x0, 5);
        double[][][] inScaledUnits = byHand.result().model().rollout(x0scaled, 5);
        for (int r = 0; r < x0.length; r++) {
            for (int k = 0; k < 5; k++) {
                for (int i = 0; i < 2; i++) {
                    assertEquals(inScaledUnits[r][k][i] / scale[i], original[r][k][i], 1e-12 * Math.abs(original[r][k][i]) + 1e-300);
                }
            }
        }

        // metrics.json and the saved model are in original units
        JsonNode metrics = scaled.result().metrics();
        StructurePreservingNode loaded = StructurePreservingNode.load(scaled.out().resolve("model"));
        assertArrayEquals(scale, loaded.scale());
        assertEquals(ErrorMetrics.rolloutErrorPct(loaded.withStep(0.2), data.test(), 5), metrics.path("test").path("rollout_error_pct")
                .path("10").asDouble(), 1e-9);
        assertEquals(ErrorMetrics.alongTrajectories(loaded, data.test()).componentErrorPct()[1],
                metrics.path("test").path("component_error_pct").path("x2").asDouble(), 1e-9);
        assertEquals(SpNodeTrainer.timeIntegratedLoss(loaded, data.test(), false), metrics.path("test").path("time_integrated_loss").asDouble(),
                1e-12);
        assertTrue(Arrays.deepEquals(loaded.rollout(x0, 5), original), "the reloaded scaled model forecasts the same");

        // model selection scored the validation trajectories in the units the networks trained in (one evaluation: step 12)
        String logged = Files.readAllLines(scaled.out().resolve("train.log")).stream().filter(l -> l.startsWith("step 12/12")).findFirst()
                .orElseThrow().replaceFirst(".*validation eq.20 \\(trained times\\) (\\S+) .*", "$1");
        double validation = SpNodeTrainer.timeIntegratedLoss(loaded.withScale(null), data.scaled().validation(), false);
        assertEquals(validation, Double.parseDouble(logged), 1e-3 * validation);
        assertEquals(validation, SpNodeTrainer.timeIntegratedLoss(byHand.result().model(), data.scaled().validation(), false), 1e-9 * validation);
    }

    @Test
    void simulatesRobertsonOnLogSpacedTimesWithTheGivenPerturbation() throws IOException {
        Path f = dir.resolve("rob.yaml");
        Files.writeString(f, "model: { kind: sp-node }\ndata: { system: robertson, trajectories: 6, perturbation: 1.0e-4, scale: [1, 1.0e4, 1],"
                + " logTimes: { from: 4.0e-6, to: 4.0e6, count: 5 } }\n");
        TrainingData data = TrainingData.prepare(ConfigLoader.load(f, List.of()).data());
        assertEquals(6, data.train().size() + data.validation().size() + data.test().size());
        assertArrayEquals(new double[] {4e-6, 4e-3, 4, 4e3, 4e6}, data.test().get(0).times(), 1e-12 * 4e6);
        assertTrue(data.description().contains("robertson (perturbation 1.0E-4): 6 trajectories x 5 times log-spaced in [4.0E-6, 4000000.0]"),
                data.description());
        for (koopman4j.core.data.Trajectory t : data.train().trajectories()) {
            assertTrue(t.states()[0][2] < 1e-4 && t.states()[0][0] > 1 - 2e-4, Arrays.toString(t.states()[0]));
        }
        assertEquals(data.train().get(0).states()[1][1] * 1e4, data.scaled().train().get(0).states()[1][1], 1e-20);
    }

    @Test
    void rejectsDataSettingsThatDoNotFitTheData() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "model: { kind: sp-node }\ndata: { system: robertson, trajectories: 4, scale: [1, 1.0e4],"
                + " logTimes: { from: 1.0, to: 10.0, count: 3 } }\n");
        assertEquals("data.scale has 2 factors but the data has 3 states [y1, y2, y3]", org.junit.jupiter.api.Assertions.assertThrows(
                koopman4j.core.data.InvalidDataException.class, () -> TrainingData.prepare(ConfigLoader.load(f, List.of()).data())).getMessage());
        assertEquals("data.perturbation: robertson: -0.5 would make y2 and y3 negative; it must be in [0, 0.5]",
                org.junit.jupiter.api.Assertions.assertThrows(koopman4j.core.data.InvalidDataException.class, () -> TrainingData.prepare(
                        ConfigLoader.load(f, List.of("data.scale=[]", "data.perturbation=-0.5")).data())).getMessage());
        Path csv = dir.resolve("some.csv");
        assertEquals("data.perturbation applies to a simulated data.system, not to the file " + csv,
                org.junit.jupiter.api.Assertions.assertThrows(koopman4j.core.data.InvalidDataException.class, () -> TrainingData.prepare(
                        ConfigLoader.load(f, List.of("data.system=null", "data.path=" + csv, "data.perturbation=0.1")).data())).getMessage());
    }

    @Test
    void trainsScaledRobertsonOnLogSpacedTimesWithTheLossInLogTime() throws IOException {
        Run run = train("robertson", """
                model:
                  kind: sp-node
                  nonlinear: { kind: lipschitz, layers: 2, width: 8, lipschitzBound: 1.0 }
                  autoencoder: { latent: 3, depth: 1, width: 8 }
                data: { system: robertson, trajectories: 12, perturbation: 1.0e-4, scale: [1, 1.0e4, 1],
                        logTimes: { from: 4.0e-6, to: 4.0e6, count: 8 }, seed: 2 }
                training: { learningRate: 1.0e-2, finalLearningRate: 1.0e-3, batchSize: 8, steps: 4, evalEvery: 2, seed: 5, lossTime: log }
                """);
        JsonNode metrics = run.result().metrics();
        StructurePreservingNode loaded = StructurePreservingNode.load(run.out().resolve("model"));
        assertArrayEquals(new double[] {1, 1e4, 1}, loaded.scale());
        // eq. 20 in metrics.json: in log t and in original units
        double logLoss = SpNodeTrainer.timeIntegratedLoss(loaded, run.data().test(), true);
        assertEquals(logLoss, metrics.path("test").path("time_integrated_loss").asDouble(), 1e-12 * logLoss);
        assertTrue(Math.abs(SpNodeTrainer.timeIntegratedLoss(loaded, run.data().test(), false) - logLoss) > 1e-3 * logLoss);
        for (String component : List.of("y1", "y2", "y3")) {
            assertFinite(metrics.path("test").path("component_error_pct"), component);
            assertFinite(metrics.path("test").path("max_pointwise_error_pct"), component);
        }
        assertEquals(ErrorMetrics.alongTrajectories(loaded, run.data().test()).errorPct(),
                metrics.path("test").path("trajectory_error_pct").asDouble(), 1e-12);
        assertFalse(metrics.path("test").has("one_step_error_pct"), "no one-step error on a log-spaced grid");
        assertFalse(metrics.path("stability").path("unstable").asBoolean(true));
        assertTrue(metrics.path("stability").path("distance_to_line_re_mu").path("lower").asDouble() > 0, metrics.toString());
    }
}
