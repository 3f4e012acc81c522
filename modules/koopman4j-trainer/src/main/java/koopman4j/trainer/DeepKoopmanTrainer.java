package koopman4j.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Normalisation;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.stability.Byers;
import koopman4j.core.stability.Spectrum;
import koopman4j.core.stability.StabilityResult;
import koopman4j.layers.Activation;
import koopman4j.layers.DeepDictionary;
import koopman4j.layers.DeepKoopman;
import koopman4j.layers.DeepKoopmanGraph;
import koopman4j.trainer.config.TrainConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Trains a Deep DMD model (seed 000, eq. 8, plus the multi-step terms of {@link DeepKoopmanGraph}):
 * samples one-step pairs and rollout windows from the training trajectories, takes optimiser steps
 * through {@link DeepKoopmanSteps} (the fused CPU step, or {@code SameDiff.fit}), evaluates on the validation trajectories every
 * {@code evalEvery} steps, keeps the model with the lowest validation rollout error, checkpoints,
 * and writes {@code model/}, {@code metrics.json} and {@code train.log} under the output directory.
 * All mutable training state lives in this class.
 */
public final class DeepKoopmanTrainer {

    private static final Logger LOG = LogManager.getLogger(DeepKoopmanTrainer.class);
    /** Horizons reported in metrics.json. */
    static final int[] REPORT_HORIZONS = {1, 10, 100, 500};

    private final TrainConfig config;
    private final JsonNode provenance;
    private final TrainingData data;
    private final DelayEmbedding embedding;
    /** The training trajectories as the model's states (delay-embedded when model.delays asks for it). */
    private final TrajectorySet train;
    private final Path out;
    private final DeepDictionary.Options dictionary;
    private final DeepKoopmanGraph.LossWeights weights;
    private final Normalisation normalisation;
    private final double dt;
    private final SplittableRandom rng;
    private final TrainingListener listener;
    private PrintWriter log;

    /** The result of a run: the selected model and the metrics written to metrics.json. */
    public record Result(DeepKoopman model, ObjectNode metrics) { }

    public DeepKoopmanTrainer(TrainConfig config, JsonNode provenance, TrainingData data, Path out) {
        this(config, provenance, data, out, TrainingListener.NONE);
    }

    /**
     * @param out      the run directory (model/, metrics.json, train.log, checkpoints/), or null to keep everything in memory
     * @param listener hears every evaluation and checkpoint
     */
    public DeepKoopmanTrainer(TrainConfig config, JsonNode provenance, TrainingData data, Path out, TrainingListener listener) {
        this.listener = listener;
        if (!config.data().trainSamples().isEmpty()) {
            throw new InvalidDataException("data.trainSamples is for sp-node models; Deep DMD trains on every consecutive pair");
        }
        this.config = config;
        this.provenance = provenance;
        this.data = data;
        this.out = out;
        TrainConfig.Delays delays = config.model().delays();
        this.embedding = new DelayEmbedding(delays.count(), delays.lag());
        this.train = embedding.embed(data.train());
        TrainConfig.Dictionary d = config.model().dictionary();
        this.dictionary = new DeepDictionary.Options(train.dimension(), d.depth(), d.width(), d.outputs(),
                Activation.parse(d.activation()), d.residual(), d.dropout());
        TrainConfig.Loss l = config.model().loss();
        this.weights = new DeepKoopmanGraph.LossWeights(l.lambdaK(), l.lambdaTheta(), l.stateWeight(), l.rolloutWeight(), l.latentWeight());
        this.normalisation = Normalisation.fit(train);
        this.dt = data.train().uniformStep();
        for (TrajectorySet set : List.of(data.train(), data.validation(), data.test())) {
            if (Double.isNaN(set.uniformStep()) || set.uniformStep() != dt) {
                throw new InvalidDataException("data: Deep DMD needs one uniform time step; the trajectories' steps differ");
            }
        }
        this.rng = new SplittableRandom(config.training().seed());
        if (config.training().rollout().keepOptimizerState() && !DeepKoopmanSteps.fused(config.training().engine())) {
            throw new InvalidDataException("training.rollout.keepOptimizerState needs the fused engine (training.engine: fused, or auto on the CPU backend)");
        }
    }

    public Result train(Path resumeFrom) throws IOException {
        if (out == null && resumeFrom != null) {
            throw new IllegalArgumentException("a run without a directory has no checkpoints to resume from");
        }
        if (out != null) {
            Files.createDirectories(out.resolve("checkpoints"));
        }
        TrainConfig.Training t = config.training();
        Nd4j.getRandom().setSeed(t.seed());
        // without a run directory there is no train.log: lines go to the logger alone (a null resource is never closed)
        try (PrintWriter logFile = out == null ? null : new PrintWriter(Files.newBufferedWriter(out.resolve("train.log"),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            this.log = logFile;
            progress("data: %s; %d train, %d validation, %d test trajectories", data.description(), data.train().size(),
                    data.validation().size(), data.test().size());
            if (embedding.delays() > 0) {
                progress("delay embedding: %d delays of %d sample(s), %d states per model state", embedding.delays(),
                        embedding.lag(), train.dimension());
            }
            return loop(resumeFrom);
        }
    }

    private Result loop(Path resumeFrom) throws IOException {
        TrainConfig.Training t = config.training();
        List<int[]> stages = stages();
        Map<String, INDArray> params = null;
        int startStep = 0;
        if (resumeFrom != null) {
            DeepKoopman resumed = DeepKoopman.load(lastCheckpoint(resumeFrom));
            params = parametersOf(resumed);
            startStep = readCheckpointStep(resumeFrom);
            progress("resumed from %s at step %d", resumeFrom, startStep);
        }
        double bestScore = Double.POSITIVE_INFINITY;
        int bestStep = -1;
        DeepKoopman best = null;
        long t0 = System.nanoTime();
        int step = startStep;
        double lastLoss = Double.NaN;
        DeepKoopmanSteps steps = null;
        for (int[] stage : stages) {
            int stageEnd = stage[0];
            int horizon = stage[1];
            if (step >= stageEnd) {
                continue;
            }
            boolean carry = t.rollout().keepOptimizerState() && steps != null;
            // a carried optimiser keeps counting updates from the first stage run here, so its schedule starts there
            steps = DeepKoopmanSteps.create(t.engine(), dictionary, weights, new DeepKoopmanGraph.Batch(windows(horizon), horizon),
                    updater(carry ? startStep : step), params, t.seed(), carry ? steps : null);
            Windows sampler = new Windows(train, normalisation, horizon, horizon > 1 ? t.rollout().fromStartFraction() : 0);
            progress("step %d: %d windows of %d step(s) per batch", step, windows(horizon), horizon);
            while (step < stageEnd) {
                float[] batch = batch(sampler);
                steps.step(batch);
                step++;
                if (step % t.evalEvery() == 0 || step == t.steps()) {
                    lastLoss = steps.loss(batch);
                    if (!Double.isFinite(lastLoss)) {
                        throw new IllegalStateException("training diverged at step " + step + " (loss " + lastLoss
                                + "); lower training.learningRate");
                    }
                    DeepKoopman model = snapshot(steps.parameters());
                    double valRollout = ErrorMetrics.rolloutErrorPct(model, data.validation(), t.selectHorizon());
                    double valOneStep = ErrorMetrics.oneStepErrorPct(model, data.validation());
                    double score = Double.isFinite(valRollout) ? valRollout + valOneStep : Double.POSITIVE_INFINITY;
                    // the test set is scored once, on the selected model (metrics.json): scoring it here cost as
                    // much as the validation set and, with the 500 training steps between, half the run's time
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    double radius = Spectrum.radius(model.koopmanMatrix());
                    StabilityResult gamma = Byers.discrete(model.koopmanMatrix(), Byers.DEFAULT_TOL, false);
                    progress("step %d/%d  loss %.3e  val one-step %.3f%% rollout@%d %.2f%%  ρ(K) %.4f γ(K) ≤ %.2e  %.1f steps/s%s",
                            step, t.steps(), lastLoss, valOneStep, t.selectHorizon(), valRollout, radius, gamma.upper(),
                            (step - startStep) / elapsed, score < bestScore ? "  *" : "");
                    listener.evaluated(new TrainingProgress(step, t.steps(), lastLoss, score, (step - startStep) / elapsed,
                            score < bestScore, model));
                    if (score < bestScore) {
                        bestScore = score;
                        bestStep = step;
                        best = model;
                    }
                }
                if (step % t.checkpointEvery() == 0) {
                    checkpoint(snapshot(steps.parameters()), step);
                }
            }
            params = steps.parameters();
        }
        if (best == null) {
            best = DeepKoopman.load(out.resolve("checkpoints/latest"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode metrics = metrics(best, bestStep, step - startStep, seconds, lastLoss);
        finish(best, bestStep, metrics);
        return new Result(best, metrics);
    }

    /** Saves the selected model and its metrics into the run directory, if there is one. */
    private void finish(DeepKoopman best, int bestStep, ObjectNode metrics) throws IOException {
        if (out == null) {
            progress("best model at step %d", bestStep);
            return;
        }
        best.save(out.resolve("model"));
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("metrics.json").toFile(), metrics);
        progress("best model at step %d saved to %s", bestStep, out.resolve("model"));
    }

    /**
     * Curriculum stages as {end step, horizon}: equal shares of the steps, the last to the end; one
     * stage of one-step windows (eq. 8 alone) when the loss has no rollout terms.
     */
    private List<int[]> stages() {
        TrainConfig.Training t = config.training();
        List<Integer> horizons = t.rollout().horizons();
        if (weights.usesRollout() && horizons.isEmpty()) {
            throw new InvalidDataException("model.loss has rollout terms but training.rollout.horizons is empty");
        }
        if (!weights.usesRollout() || horizons.isEmpty()) {
            return List.<int[]>of(new int[] {t.steps(), 1});
        }
        int longest = horizons.stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (train.trajectories().stream().noneMatch(tr -> tr.length() > longest)) {
            throw new InvalidDataException("training.rollout.horizons: no training trajectory has " + (longest + 1) + " samples");
        }
        List<int[]> stages = new ArrayList<>();
        for (int i = 0; i < horizons.size(); i++) {
            int end = i == horizons.size() - 1 ? t.steps() : (int) ((long) t.steps() * (i + 1) / horizons.size());
            stages.add(new int[] {end, horizons.get(i)});
        }
        return stages;
    }

    private IUpdater updater(int step) {
        TrainConfig.Training t = config.training();
        LearningRateDecay schedule = new LearningRateDecay(t.learningRate(), t.finalLearningRate(), t.steps(), step);
        return "adagrad".equals(t.optimizer()) ? new AdaGrad(schedule) : new Adam(schedule);
    }

    /**
     * Windows per batch: training.batchSize counts one-step pairs, so a batch of windows of H steps
     * holds ⌈batchSize / H⌉ windows and the work per step stays about the same along the curriculum.
     */
    private int windows(int horizon) {
        return (config.training().batchSize() + horizon - 1) / horizon;
    }

    private float[] batch(Windows sampler) {
        int w = windows(sampler.horizon);
        float[] z = new float[w * (sampler.horizon + 1) * dictionary.inputs()];
        sampler.sample(rng, w, z);
        return z;
    }

    /** Trained parameters as a standalone model (inference graph, no dropout). */
    private DeepKoopman snapshot(Map<String, INDArray> params) {
        SameDiff inference = DeepKoopmanGraph.inference(dictionary, DataType.FLOAT);
        setParameters(inference, params);
        return new DeepKoopman(inference, normalisation, dictionary, embedding, data.train().names(), dt, provenance);
    }

    static Map<String, INDArray> parametersOf(SameDiff sd) {
        Map<String, INDArray> p = new java.util.LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                p.put(v.name(), v.getArr().dup());
            }
        }
        return p;
    }

    private static Map<String, INDArray> parametersOf(DeepKoopman model) {
        return parametersOf(model.graph());
    }

    static void setParameters(SameDiff sd, Map<String, INDArray> params) {
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            SDVariable v = sd.getVariable(e.getKey());
            if (v == null) {
                throw new InvalidDataException("checkpoint has parameter '" + e.getKey() + "' that this model does not");
            }
            v.getArr().assign(e.getValue());
        }
    }

    private void checkpoint(DeepKoopman model, int step) throws IOException {
        if (out == null) {
            listener.checkpointed(step, model);
            return;
        }
        Path dir = out.resolve("checkpoints");
        Path staging = dir.resolve("latest.tmp");
        if (Files.exists(staging)) {
            deleteTree(staging); // half written when a run was killed
        }
        model.save(staging);
        Files.writeString(staging.resolve("step"), Integer.toString(step));
        // the old checkpoint goes only once the new one is in place: a kill at any moment leaves latest or previous whole
        Path latest = dir.resolve("latest");
        Path previous = dir.resolve("previous");
        if (Files.exists(previous)) {
            deleteTree(previous);
        }
        if (Files.exists(latest)) {
            Files.move(latest, previous, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, latest, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (Files.exists(previous)) {
            deleteTree(previous);
        }
        listener.checkpointed(step, model);
    }

    /** The run's newest whole checkpoint: checkpoints/latest, or checkpoints/previous when a kill came between the two moves. */
    private static Path lastCheckpoint(Path run) {
        Path latest = run.resolve("checkpoints/latest");
        Path previous = run.resolve("checkpoints/previous");
        return Files.exists(latest) || !Files.exists(previous) ? latest : previous;
    }

    private static int readCheckpointStep(Path run) {
        Path file = lastCheckpoint(run).resolve("step");
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            throw new InvalidDataException(file + ": missing or corrupt checkpoint step", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private ObjectNode metrics(DeepKoopman model, int bestStep, int steps, double seconds, double lastLoss) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("kind", DeepKoopman.KIND);
        m.set("train", model.evaluate(data.train(), REPORT_HORIZONS).toJson());
        m.set("validation", model.evaluate(data.validation(), REPORT_HORIZONS).toJson());
        m.set("test", model.evaluate(data.test(), REPORT_HORIZONS).toJson());
        m.put("best_step", bestStep);
        m.put("steps", steps);
        m.put("seconds", seconds);
        m.put("steps_per_second", steps / seconds);
        m.put("final_loss", lastLoss);
        m.set("stability", model.stability().toJson());
        return m;
    }

    private void progress(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        LOG.info(line);
        if (log != null) {
            log.println(line);
        }
    }

    /** Windows x_s … x_{s+H} of training trajectories: a share start at t = 0, the rest anywhere. */
    private static final class Windows {
        private final List<float[][]> trajectories = new ArrayList<>();
        private final int horizon;
        private final double fromStart;

        Windows(TrajectorySet train, Normalisation norm, int horizon, double fromStart) {
            this.horizon = horizon;
            this.fromStart = fromStart;
            for (Trajectory t : train.trajectories()) {
                if (t.length() > horizon) {
                    trajectories.add(toFloat(norm.apply(t.states())));
                }
            }
        }

        /** z [(H+1)·windows, n], block k holding every window's x_k (the layout of {@link DeepKoopmanGraph#Z}). */
        void sample(SplittableRandom rng, int windows, float[] z) {
            int n = trajectories.get(0)[0].length;
            for (int w = 0; w < windows; w++) {
                float[][] x = trajectories.get(rng.nextInt(trajectories.size()));
                int start = rng.nextDouble() < fromStart ? 0 : rng.nextInt(x.length - horizon);
                for (int k = 0; k <= horizon; k++) {
                    System.arraycopy(x[start + k], 0, z, (k * windows + w) * n, n);
                }
            }
        }
    }

    private static float[][] toFloat(double[][] a) {
        float[][] f = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            f[i] = new float[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                f[i][j] = (float) a[i][j];
            }
        }
        return f;
    }
}
