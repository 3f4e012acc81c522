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
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Normalisation;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.io.AtomicFiles;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.stability.Byers;
import koopman4j.core.stability.Spectrum;
import koopman4j.core.stability.StabilityResult;
import koopman4j.layers.Activation;
import koopman4j.layers.DeepDictionary;
import koopman4j.layers.DeepKoopman;
import koopman4j.layers.DeepKoopmanGraph;
import koopman4j.trainer.config.TrainConfig;
import koopman4j.trainer.fused.DeepKoopmanStep;
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
 * {@code evalEvery} steps, keeps the model with the lowest validation rollout error, checkpoints the
 * whole training state ({@link DeepKoopmanCheckpoint}; {@code --resume} continues bit for bit), rolls
 * back and lowers the learning rate when the loss diverges, and writes {@code model/}, {@code metrics.json}
 * and {@code train.log} under the output directory. Batches and dropout masks are drawn from
 * (training.seed, step) alone. All mutable training state lives in this class.
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
    /** Mixed into training.seed for the dropout masks' stream, so it differs from the batches'. */
    private static final long DROPOUT_STREAM = 0x5DEECE66DL;
    private final TrainingListener listener;
    /** Tests set faults to inject; a real run has none. */
    Faults faults = Faults.NONE;
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

    /** What a roll-back returns to and a checkpoint holds besides the data split: the state after {@code step}. */
    private record Good(int step, int stage, DeepKoopmanStep.State state, double lrScale, double minLoss, double lastLoss,
                        int bestStep, double bestScore, DeepKoopman best) { }

    private Result loop(Path resumeFrom) throws IOException {
        TrainConfig.Training t = config.training();
        List<int[]> stages = stages();
        String engine = DeepKoopmanSteps.fused(t.engine()) ? "fused" : "samediff";
        JsonNode split = data.fingerprint();
        int step = 0;
        DeepKoopmanStep.State state = null; // the state to start from: a checkpoint's, a roll-back's, or the last stage's
        double lrScale = 1.0;
        double minLoss = Double.POSITIVE_INFINITY;
        double lastLoss = Double.NaN;
        double bestScore = Double.POSITIVE_INFINITY;
        int bestStep = -1;
        DeepKoopman best = null;
        if (resumeFrom != null) {
            DeepKoopmanCheckpoint c = DeepKoopmanCheckpoint.latest(resumeFrom, this::progress);
            if (!split.equals(c.split())) {
                throw new InvalidDataException("--resume: " + resumeFrom + " was trained on another data split ("
                        + c.split() + "; this config gives " + split + "); resume with the run's own data and data.* settings");
            }
            if (!engine.equals(c.engine())) {
                throw new InvalidDataException("--resume: " + resumeFrom + " was trained with training.engine " + c.engine()
                        + "; this run would use " + engine);
            }
            step = c.step();
            state = c.state();
            lrScale = c.lrScale();
            minLoss = c.minLoss();
            lastLoss = c.lastLoss();
            bestStep = c.bestStep();
            bestScore = c.bestScore();
            best = c.best();
            progress("resumed from %s at step %d%s", resumeFrom, step,
                    c.state().updater() == null ? " (the SameDiff engine's optimiser moments restart)" : "");
        }
        int startStep = step;
        int retries = 0;
        long t0 = System.nanoTime();
        DeepKoopmanSteps steps = null;
        int stage = stageAt(stages, step);
        while (true) {
            int stageStart = stage == 0 ? 0 : stages.get(stage - 1)[0];
            int stageEnd = stages.get(stage)[0];
            int horizon = stages.get(stage)[1];
            boolean carry = t.rollout().keepOptimizerState();
            if (state != null && step == stageStart && !carry) {
                // a stage starts a fresh optimiser on the parameters so far
                state = new DeepKoopmanStep.State(state.parameters(), null, 0);
            }
            int iteration = state == null ? 0 : state.iteration();
            steps = DeepKoopmanSteps.create(t.engine(), dictionary, weights, new DeepKoopmanGraph.Batch(windows(horizon), horizon),
                    updater(step - iteration, lrScale), null, t.seed(), null);
            if (state != null) {
                steps.restore(state);
            }
            if (step == stageStart) {
                minLoss = Double.POSITIVE_INFINITY; // a longer horizon has a larger loss: the guard's reference starts again
            }
            Windows sampler = new Windows(train, normalisation, horizon, horizon > 1 ? t.rollout().fromStartFraction() : 0);
            progress("step %d: %d windows of %d step(s) per batch", step, windows(horizon), horizon);
            Good good = new Good(step, stage, steps.state(), lrScale, minLoss, lastLoss, bestStep, bestScore, best);
            String diverged = null;
            while (step < stageEnd && diverged == null) {
                float[] batch = batch(sampler, step);
                faults.batch(step, batch);
                steps.reseed(Checkpoints.stepSeed(t.seed() ^ DROPOUT_STREAM, step));
                OptionalDouble reported = steps.step(batch);
                step++;
                if (reported.isPresent()) {
                    double loss = reported.getAsDouble();
                    if (Double.isNaN(loss)) {
                        diverged = "non-finite loss or gradient";
                        break;
                    }
                    if (loss > t.divergence().explosion() * minLoss) {
                        diverged = String.format(Locale.ROOT, "loss %.3e is over %.0e times the stage's lowest, %.3e", loss,
                                t.divergence().explosion(), minLoss);
                        break;
                    }
                    minLoss = Math.min(minLoss, loss);
                }
                listener.stepped(step, t.steps(), reported.orElse(Double.NaN));
                boolean evaluate = step % t.evalEvery() == 0 || step == t.steps();
                boolean save = step % t.checkpointEvery() == 0;
                if (!evaluate && !save) {
                    continue;
                }
                DeepKoopmanStep.State now = steps.state();
                if (!allFinite(now.parameters())) {
                    diverged = "non-finite parameters";
                    break;
                }
                DeepKoopman model = snapshot(steps.parameters());
                if (evaluate) {
                    lastLoss = steps.loss(batch);
                    if (!Double.isFinite(lastLoss)) {
                        diverged = "non-finite loss " + lastLoss;
                        break;
                    }
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
                good = new Good(step, stage, now, lrScale, minLoss, lastLoss, bestStep, bestScore, best);
                if (save) {
                    checkpoint(good, model, horizon, engine, split);
                }
            }
            if (diverged != null) {
                if (retries == t.divergence().retries()) {
                    stop(good, diverged, step, retries, horizon, engine, split);
                }
                retries++;
                lrScale *= t.divergence().lrFactor();
                progress("step %d: %s; back to step %d with the learning rate scaled by %.3g (roll-back %d of %d)", step, diverged,
                        good.step(), lrScale, retries, t.divergence().retries());
                step = good.step();
                state = good.state();
                minLoss = good.minLoss();
                lastLoss = good.lastLoss();
                bestStep = good.bestStep();
                bestScore = good.bestScore();
                best = good.best();
                continue;
            }
            state = steps.state();
            if (stage == stages.size() - 1 || step >= t.steps()) {
                break;
            }
            stage++;
        }
        if (best == null) { // resumed at the last step of a run that never evaluated
            best = snapshot(steps.parameters());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode metrics = metrics(best, bestStep, step, step - startStep, seconds, lastLoss);
        finish(best, bestStep, metrics);
        return new Result(best, metrics);
    }

    /** Saves the selected model and its metrics into the run directory, if there is one. */
    private void finish(DeepKoopman best, int bestStep, ObjectNode metrics) throws IOException {
        if (out == null) {
            progress("best model at step %d", bestStep);
            return;
        }
        saveModel(best);
        AtomicFiles.writeString(out.resolve("metrics.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metrics) + "\n");
        progress("best model at step %d saved to %s", bestStep, out.resolve("model"));
    }

    /** Saves the selected model as model/; a model with non-finite weights is never saved. */
    private void saveModel(DeepKoopman model) throws IOException {
        if (!allFinite(flatten(parametersOf(model)))) {
            throw new IllegalStateException("the selected model has non-finite parameters; it is not saved");
        }
        model.save(out.resolve("model"));
    }

    /** Stops after the last roll-back: the last good state checkpointed, the best model so far saved, one line why. */
    private void stop(Good good, String why, int step, int retries, int horizon, String engine, JsonNode split) throws IOException {
        if (out == null) {
            throw new InvalidDataException(String.format(Locale.ROOT,
                    "training diverged at step %d (%s) after %d roll-back(s) with the learning rate scaled to %.3g of "
                            + "training.learningRate; lower training.learningRate", step, why, retries, good.lrScale()));
        }
        Path at = DeepKoopmanCheckpoint.directory(out.resolve("checkpoints"), good.step());
        if (!Files.exists(at)) {
            DeepKoopmanSteps steps = DeepKoopmanSteps.create(config.training().engine(), dictionary, weights,
                    new DeepKoopmanGraph.Batch(windows(horizon), horizon), updater(0, good.lrScale()), null, config.training().seed(), null);
            steps.restore(good.state());
            checkpoint(good, snapshot(steps.parameters()), horizon, engine, split);
        }
        if (good.best() != null) {
            saveModel(good.best());
        }
        throw new InvalidDataException(String.format(Locale.ROOT,
                "training diverged at step %d (%s) after %d roll-back(s) with the learning rate scaled to %.3g of training.learningRate; "
                        + "lower training.learningRate (the last good state is %s%s)", step, why, retries, good.lrScale(),
                out.relativize(at), good.best() != null ? ", the best model so far model/" : ""));
    }

    private void checkpoint(Good good, DeepKoopman model, int horizon, String engine, JsonNode split) throws IOException {
        if (out == null) { // in memory: the listener keeps what it likes
            listener.checkpointed(good.step(), model);
            return;
        }
        new DeepKoopmanCheckpoint(good.step(), good.stage(), horizon, engine, good.state(), good.lrScale(), good.minLoss(),
                good.lastLoss(), good.bestStep(), good.bestScore(), good.best(), split)
                .write(out.resolve("checkpoints"), model, config.training().keepCheckpoints(), faults);
        listener.checkpointed(good.step(), model);
    }

    /** The curriculum stage that trains step {@code step} + 1 (the last stage once all steps are done). */
    private static int stageAt(List<int[]> stages, int step) {
        for (int i = 0; i < stages.size(); i++) {
            if (step < stages.get(i)[0]) {
                return i;
            }
        }
        return stages.size() - 1;
    }

    private static float[] flatten(Map<String, INDArray> params) {
        return Nd4j.toFlattened('c', params.values()).castTo(DataType.FLOAT).data().asFloat();
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
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

    /** The optimiser, its schedule counting global steps from {@code offset} + its own update count. */
    private IUpdater updater(int offset, double scale) {
        TrainConfig.Training t = config.training();
        LearningRateDecay schedule = new LearningRateDecay(t.learningRate(), t.finalLearningRate(), t.steps(), offset, scale);
        return "adagrad".equals(t.optimizer()) ? new AdaGrad(schedule) : new Adam(schedule);
    }

    /**
     * Windows per batch: training.batchSize counts one-step pairs, so a batch of windows of H steps
     * holds ⌈batchSize / H⌉ windows and the work per step stays about the same along the curriculum.
     */
    private int windows(int horizon) {
        return (config.training().batchSize() + horizon - 1) / horizon;
    }

    /** The batch of step {@code step} + 1, drawn from (training.seed, step) alone: a resumed run draws the same. */
    private float[] batch(Windows sampler, int step) {
        int w = windows(sampler.horizon);
        float[] z = new float[w * (sampler.horizon + 1) * dictionary.inputs()];
        sampler.sample(new SplittableRandom(Checkpoints.stepSeed(config.training().seed(), step)), w, z);
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

    /** @param steps the steps trained in all, @param stepsHere those this process took (for steps_per_second) */
    private ObjectNode metrics(DeepKoopman model, int bestStep, int steps, int stepsHere, double seconds, double lastLoss) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("kind", DeepKoopman.KIND);
        m.set("train", model.evaluate(data.train(), REPORT_HORIZONS).toJson());
        m.set("validation", model.evaluate(data.validation(), REPORT_HORIZONS).toJson());
        m.set("test", model.evaluate(data.test(), REPORT_HORIZONS).toJson());
        m.put("best_step", bestStep);
        m.put("steps", steps);
        m.put("seconds", seconds);
        m.put("steps_per_second", stepsHere / seconds);
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
        void sample(SplittableRandom rng, int windows, float[] z) { // rng: the step's own stream
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
