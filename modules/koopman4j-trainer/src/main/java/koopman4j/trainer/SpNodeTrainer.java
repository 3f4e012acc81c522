package koopman4j.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.data.TrajectoryWindows;
import koopman4j.core.io.AtomicFiles;
import koopman4j.core.linalg.Precision;
import koopman4j.core.stability.Spectrum;
import koopman4j.layers.Activation;
import koopman4j.layers.SameDiffQuiet;
import koopman4j.layers.integrators.ExpmvGraph;
import koopman4j.layers.integrators.Integrator;
import koopman4j.layers.integrators.Rollout;
import koopman4j.layers.integrators.TimeGrid;
import koopman4j.layers.integrators.TimeIntegratedLoss;
import koopman4j.layers.spnode.Autoencoder;
import koopman4j.layers.spnode.BilinearNet;
import koopman4j.layers.spnode.HurwitzLinear;
import koopman4j.layers.spnode.LipschitzMlp;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.systems.KuramotoSivashinsky;
import koopman4j.trainer.config.TrainConfig;
import koopman4j.trainer.fused.SpNodeStep;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains a structure-preserving neural ODE (seed 001) on trajectories sampled at the times of
 * {@code data.trainSamples}: each step draws a batch of training trajectories, encodes their first
 * sample, integrates du/dt = A_L u + g(u) across the training grid with the configured integrator
 * (ETD1, IMEX or RK4; the grid may be non-uniform) and descends the time-integrated loss of eq. 20 with
 * Adam, in float64. With {@code data.window} (seed 001 §5.3) the batches are random windows of a fixed number of
 * steps cut from long trajectories instead, and model selection uses non-overlapping windows of the validation
 * trajectories.
 *
 * <p>Two engines compute a step's loss and gradient ({@code training.engine}): on the CPU backend the fused
 * {@link SpNodeStep} (ETD1 and IMEX: dense propagators per step size and BLAS calls, tested against the graph
 * to 1e-10), else the SameDiff graph of {@link #graph}, the model's definition. In the graph, ETD1 unrolls expmv
 * with a degree m and step count s chosen outside it from the current A_L ({@link Rollout#plans}); the graph is
 * built for the plan of 2·A_L and rebuilt only when the current A_L needs more than that (more Taylor terms or
 * steps than needed only add accuracy), so rebuilds are rare. Parameters, gradients and Adam's moments live in
 * flat buffers here ({@link Parameters}), shared by both engines and surviving graph rebuilds.
 * Every evaluation logs the spectral abscissa of A_L, which the parametrisation keeps ≤ μ, and keeps the
 * step with the lowest eq. 20 loss on the validation trajectories at the trained times.
 *
 * <p>Reliability as Deep DMD's: batches are drawn from (training.seed, step) alone; every {@code training.checkpointEvery}
 * steps the whole state is checkpointed ({@link SpNodeCheckpoint}) and {@link #train(Path)} resumes from it bit for bit;
 * a non-finite loss or gradient stops the run before Adam applies it, with the last good state checkpointed and the
 * best model so far saved.
 *
 * <p>With {@code data.scale} the networks train on scale ⊙ x (seed 001 §5.2: ŷ₂ = 10⁴·y₂), so the losses it logs
 * are in those units; the model it saves carries the scale and takes and returns original units, and
 * metrics.json is computed on the original data.
 */
public final class SpNodeTrainer {

    private static final Logger LOG = LogManager.getLogger(SpNodeTrainer.class);
    private static final int[] REPORT_HORIZONS = {1, 10, 100};
    static final String X = "x";
    static final String LOSS = "loss";
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final TrainConfig config;
    private final JsonNode provenance;
    /** The split as the networks see it (scaled by data.scale). */
    private final TrainingData data;
    /** The split in original units, for metrics.json. */
    private final TrainingData original;
    private final Path out;
    private final StructurePreservingNode.Options options;
    private final int[] samples;
    private final TimeGrid grid;
    /** training.lossTime log: eq. 20's trapezoid rule in log t, in training and in every eq. 20 figure. */
    private final boolean lossInLogTime;
    /** The validation trajectories at the trained sample indices only: model selection sees what training sees. */
    private final TrajectorySet validationAtTrainedTimes;
    /** data.window: the training windows batches are drawn from; null trains on whole trajectories. */
    private final TrajectoryWindows windows;
    private final TrainingListener listener;
    /** Tests set faults to inject; a real run has none. */
    Faults faults = Faults.NONE;
    private PrintWriter log;

    /** The result of a run: the selected model and the metrics written to metrics.json. */
    public record Result(StructurePreservingNode model, ObjectNode metrics) { }

    public SpNodeTrainer(TrainConfig config, JsonNode provenance, TrainingData data, Path out) {
        this(config, provenance, data, out, TrainingListener.NONE);
    }

    /**
     * @param out      the run directory (model/, metrics.json, train.log), or null to keep everything in memory
     * @param listener hears every evaluation
     */
    public SpNodeTrainer(TrainConfig config, JsonNode provenance, TrainingData data, Path out, TrainingListener listener) {
        this.listener = listener;
        this.config = config;
        this.provenance = provenance;
        this.original = data;
        this.data = data.scaled();
        this.out = out;
        this.options = options(config.model(), data.train().dimension());
        TrainConfig.Window window = config.data().window();
        this.lossInLogTime = TrainConfig.Training.LOG_TIME.equals(config.training().lossTime());
        if (window.steps() > 0) {
            if (lossInLogTime) {
                throw new InvalidDataException("training.lossTime log weighs one log-spaced grid of whole trajectories; data.window trains on"
                        + " windows of a uniform grid (use lossTime linear)");
            }
            this.windows = TrajectoryWindows.of(this.data.train(), window.steps(), window.stride(), "training");
            this.samples = java.util.stream.IntStream.rangeClosed(0, window.steps()).toArray();
            this.grid = TimeGrid.uniform(0, windowStep(data), window.steps());
            // non-overlapping validation windows: the same horizon as training, at a cost that grows only with the data
            this.validationAtTrainedTimes = TrajectoryWindows.of(this.data.validation(), window.steps(), window.steps(), "validation").asSet();
        } else {
            this.windows = null;
            this.samples = trainSamples(config.data().trainSamples(), data.train());
            TimeGrid shared = TimeGrid.of("data.trainSamples", sharedTimes(data.train(), samples));
            // eq. 20 in log t: the trained grid counted from the first trained sample, at its absolute time
            this.grid = lossInLogTime ? shared.inLogTime(data.train().get(0).times()[samples[0]]) : shared;
            this.validationAtTrainedTimes = atSamples(this.data.validation(), samples); // in the units the networks see, as the loss
        }
    }

    /** The one sample step windows need: training and validation trajectories on one uniform grid. */
    private static double windowStep(TrainingData data) {
        double dt = new TrajectorySet(data.train().names(), concat(data.train(), data.validation())).uniformStep();
        if (!(dt > 0)) {
            throw new InvalidDataException("data.window: training on windows needs training and validation trajectories sampled with one uniform step");
        }
        return dt;
    }

    private static List<Trajectory> concat(TrajectorySet a, TrajectorySet b) {
        List<Trajectory> all = new ArrayList<>(a.trajectories());
        all.addAll(b.trajectories());
        return all;
    }

    /** μ as configured: model.linear.mu, or the largest growth rate of a system's linear operator (model.linear.muFrom). */
    static double mu(TrainConfig.Linear linear) {
        if (TrainConfig.Linear.MU_FROM_KS.equals(linear.muFrom())) {
            // seed 001 §5.3: "a Fourier analysis" of u_t = −u_xx − u_xxxx, max q² − q⁴ over the domain's wavenumbers
            return KuramotoSivashinsky.maxLinearGrowthRate(KuramotoSivashinsky.DEFAULT_LENGTH, KuramotoSivashinsky.DEFAULT_POINTS);
        }
        return linear.mu();
    }

    static StructurePreservingNode.Options options(TrainConfig.Model m, int inputs) {
        TrainConfig.Autoencoder ae = m.autoencoder();
        int latent = ae.latent() > 0 ? ae.latent() : inputs;
        Autoencoder.Options autoencoder = ae.latent() == 0 ? null
                : new Autoencoder.Options(inputs, latent, java.util.Collections.nCopies(ae.depth(), ae.width()), Activation.parse(ae.activation()));
        TrainConfig.Nonlinear g = m.nonlinear();
        BilinearNet.Options bilinear = "bilinear".equals(g.kind()) ? new BilinearNet.Options(latent, g.rank(), true) : null;
        LipschitzMlp.Options lipschitz = "lipschitz".equals(g.kind())
                ? new LipschitzMlp.Options(latent, g.layers(), g.width(), g.lipschitzBound(), Activation.parse(g.activation()), true)
                : null;
        return new StructurePreservingNode.Options(inputs, new HurwitzLinear.Options(latent, mu(m.linear()), m.linear().initialRates()),
                bilinear, lipschitz,
                autoencoder, Integrator.parse(m.integrator()));
    }

    /** The sample indices trained on: data.trainSamples, or every sample of the shortest trajectory. */
    private static int[] trainSamples(List<Integer> configured, TrajectorySet train) {
        int shortest = train.trajectories().stream().mapToInt(Trajectory::length).min().orElseThrow();
        if (configured.isEmpty()) {
            return java.util.stream.IntStream.range(0, shortest).toArray();
        }
        int last = configured.get(configured.size() - 1);
        if (last >= shortest) {
            throw new InvalidDataException("data.trainSamples: sample " + last + " does not exist; the shortest training trajectory has "
                    + shortest + " samples");
        }
        return configured.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Each trajectory at the given sample indices only. Selecting the best step on every sample of the
     * validation trajectories would use times the training is meant not to see (seed 001 §5.1 trains on t₀
     * and t_end alone for ε = 0).
     */
    private static TrajectorySet atSamples(TrajectorySet set, int[] samples) {
        List<Trajectory> picked = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            Trajectory t = set.trajectories().get(i);
            if (samples[samples.length - 1] >= t.length()) {
                throw new InvalidDataException("data.trainSamples: sample " + samples[samples.length - 1]
                        + " does not exist in validation trajectory " + i + " (" + t.length() + " samples)");
            }
            double[] times = new double[samples.length];
            double[][] states = new double[samples.length][];
            for (int k = 0; k < samples.length; k++) {
                times[k] = t.times()[samples[k]];
                states[k] = t.states()[samples[k]];
            }
            picked.add(new Trajectory(times, states));
        }
        return new TrajectorySet(set.names(), picked);
    }

    /** The times of the trained samples, which every training trajectory must share (one unrolled graph). */
    private static double[] sharedTimes(TrajectorySet train, int[] samples) {
        Trajectory first = train.trajectories().get(0);
        double[] times = new double[samples.length];
        for (int k = 0; k < samples.length; k++) {
            times[k] = first.times()[samples[k]] - first.times()[samples[0]];
        }
        for (int i = 0; i < train.size(); i++) {
            Trajectory t = train.trajectories().get(i);
            for (int k = 0; k < samples.length; k++) {
                double tk = t.times()[samples[k]] - t.times()[samples[0]];
                if (Math.abs(tk - times[k]) > 1e-9 * Math.max(1, Math.abs(times[k]))) {
                    throw new InvalidDataException("sp-node training needs one time grid: training trajectory " + i + " has sample "
                            + samples[k] + " at t = " + tk + " after its start, training trajectory 0 at " + times[k]);
                }
            }
        }
        return times;
    }

    public Result train() throws IOException {
        return train(null);
    }

    /**
     * Trains, or with {@code resumeFrom} (a run directory) goes on from its newest checkpoint that reads back whole: the
     * parameters, Adam's moments, the step (so the batches and the learning rate), the losses and the best model so far,
     * so the run ends as it would have uninterrupted (bit for bit on the fused engine; the SameDiff engine rebuilds its
     * graph for the resumed A_L, whose expmv plan may differ from the one the uninterrupted run had built).
     */
    public Result train(Path resumeFrom) throws IOException {
        if (out == null && resumeFrom != null) {
            throw new IllegalArgumentException("a run without a directory has no checkpoints to resume from");
        }
        if (out != null) {
            Files.createDirectories(out);
        }
        // without a run directory there is no train.log: lines go to the logger alone (a null resource is never closed)
        try (PrintWriter logFile = out == null ? null : new PrintWriter(Files.newBufferedWriter(out.resolve("train.log"),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            this.log = logFile;
            progress("data: %s; %d train, %d validation, %d test trajectories; trained on %d samples per %s, t = %s",
                    data.description(), data.train().size(), data.validation().size(), data.test().size(), samples.length,
                    windows != null ? "window (" + windows.size() + " training windows)" : "trajectory", java.util.Arrays.toString(grid.times()));
            return loop(resumeFrom);
        }
    }

    /** One training graph for a fixed batch size and expmv plans. */
    record Graph(SameDiff sd, StructurePreservingNode.Parts parts, List<ExpmvGraph.Plan> plans) { }

    /** Where training stands after a step: what a checkpoint holds besides the parameters and moments. */
    private static final class Progress {
        int step;
        double lastLoss = Double.NaN;
        double minLoss = Double.POSITIVE_INFINITY; // the divergence guard's reference: the lowest batch loss so far
        double lastValidationLoss = Double.NaN;
        double bestScore = Double.POSITIVE_INFINITY;
        StructurePreservingNode best;
        int bestStep = -1;
    }

    private Result loop(Path resumeFrom) throws IOException {
        TrainConfig.Training t = config.training();
        int batch = Math.min(t.batchSize(), windows != null ? windows.size() : data.train().size());
        boolean fusedEngine = fused(t.engine(), options);
        TrainingMemory.checkSpNode(options, samples.length, batch, fusedEngine, TrainingMemory.available());
        SameDiff values = SameDiff.create(); // holds the parameters between graphs
        StructurePreservingNode.Parts current = StructurePreservingNode.declare(values, options, DataType.DOUBLE, t.seed());
        Parameters params = new Parameters(StructurePreservingNode.values(current));
        SpNodeStep fusedStep = fusedEngine ? new SpNodeStep(options, grid, batch, params.values(), params.gradients()) : null;
        String engine = fusedStep != null ? "fused" : "samediff";
        progress("engine: %s", fusedStep != null ? "fused (float64 BLAS, dense propagators per step size)" : "samediff");
        LearningRateDecay schedule = new LearningRateDecay(t.learningRate(), t.finalLearningRate(), t.steps(), 0);
        JsonNode split = original.fingerprint();
        Progress at = new Progress();
        if (resumeFrom != null) {
            resume(SpNodeCheckpoint.latest(resumeFrom, this::progress), resumeFrom, engine, split, schedule, params, at);
        }
        int startStep = at.step;
        Graph graph = null;
        int rebuilds = 0;
        long t0 = System.nanoTime();
        Graph silenced = null;
        for (int step = startStep + 1; step <= t.steps(); step++) {
            double[] xs = batch(batch, step - 1);
            faults.batch(step - 1, xs);
            INDArray x = Nd4j.create(xs, new long[] {(long) samples.length * batch, options.inputs()}, 'c');
            boolean evaluate = step % t.evalEvery() == 0 || step == t.steps();
            double loss = Double.NaN;
            if (fusedStep != null) {
                fusedStep.input().assign(x);
                loss = fusedStep.lossAndGradient();
            } else {
                double[][] a = params.linearOperator(options.linear());
                List<ExpmvGraph.Plan> needed = Rollout.plans(options.integrator(), a, grid, Precision.DOUBLE, batch);
                if (graph == null || !fits(needed, graph.plans())) {
                    List<ExpmvGraph.Plan> headroom = Rollout.plans(options.integrator(), scaled(a, 2), grid, Precision.DOUBLE, batch);
                    // plans are not ordered (2·A_L may get dense degree 8 with 5 squarings where A_L gets degree 18 with none, or the dense
                    // path where A_L gets Taylor): a graph built for 2·A_L still covers A_L, so rebuilding it unchanged each step is waste
                    if (graph == null || !headroom.equals(graph.plans())) {
                        graph = build(batch, headroom);
                        rebuilds++;
                        LOG.debug("step {}: training graph built for plans {}", step, graph.plans());
                    }
                }
                StructurePreservingNode.assign(graph.parts(), params.values(), "training state");
                Graph g = graph;
                // only a graph's first gradient call creates its gradient function, which prints to stdout; silencing
                // System.out (JVM-wide) on every step would swallow other threads' output
                Map<String, INDArray> grads = g == silenced ? g.sd().calculateGradients(Map.of(X, x), params.values().keySet())
                        : SameDiffQuiet.call(() -> g.sd().calculateGradients(Map.of(X, x), params.values().keySet()));
                silenced = g;
                params.setGradients(grads);
                if (evaluate) { // the loss at the parameters the gradient was taken at (the graph holds them, not the flat buffer)
                    loss = g.sd().output(Map.of(X, x), LOSS).get(LOSS).getDouble(0);
                }
            }
            // checked before Adam touches the parameters: they still hold the state after the step before, the last good one
            boolean lossKnown = fusedStep != null || evaluate;
            if (lossKnown && !Double.isFinite(loss) || !params.gradientsFinite()) {
                stop(step, lossKnown && !Double.isFinite(loss) ? "loss " + loss : "non-finite gradient", engine, split, schedule, params, at);
            }
            if (lossKnown) {
                if (loss > t.divergence().explosion() * at.minLoss) {
                    stop(step, String.format(Locale.ROOT, "loss %.3e is over %.0e times the lowest so far, %.3e; training.divergence.explosion",
                            loss, t.divergence().explosion(), at.minLoss), engine, split, schedule, params, at);
                }
                at.minLoss = Math.min(at.minLoss, loss);
            }
            params.adam(schedule.valueAt(step - 1, 0), step);
            at.step = step;
            listener.stepped(step, t.steps(), loss);
            if (evaluate) {
                at.lastLoss = loss;
                StructurePreservingNode.assign(current, params.values(), "training state");
                StructurePreservingNode model = new StructurePreservingNode(options, current, data.train().names(), evaluationStep(), provenance);
                double valLoss = timeIntegratedLoss(model, validationAtTrainedTimes);
                at.lastValidationLoss = valLoss;
                double testLoss = timeIntegratedLoss(model, data.test());
                double abscissa = Spectrum.abscissa(model.linearOperator());
                double stepsPerSecond = (step - startStep) / ((System.nanoTime() - t0) / 1e9);
                progress("step %d/%d  loss %.3e  validation eq.20 (trained times) %.3e  test eq.20 (all samples) %.3e  max Re λ(A_L) %.4f (μ %.2f)  %d graph(s)  %.1f steps/s%s",
                        step, t.steps(), loss, valLoss, testLoss, abscissa, options.linear().mu(), rebuilds,
                        stepsPerSecond, valLoss < at.bestScore ? "  *" : "");
                if (abscissa > options.linear().mu() + 1e-9 * Math.max(1, Math.abs(abscissa))) {
                    throw new IllegalStateException("A_L left the half-plane Re λ ≤ μ at step " + step + " (max Re λ " + abscissa + ")");
                }
                listener.evaluated(new TrainingProgress(step, t.steps(), loss, valLoss, stepsPerSecond, valLoss < at.bestScore, model));
                if (valLoss < at.bestScore) {
                    at.bestScore = valLoss;
                    at.best = model;
                    at.bestStep = step;
                }
            }
            if (step % t.checkpointEvery() == 0) {
                checkpoint(at, engine, split, schedule, params);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (at.best == null) { // every evaluation's validation loss was NaN or infinite (e.g. a bilinear g blowing up)
            throw new IllegalStateException("no evaluation had a finite validation loss (last " + at.lastValidationLoss
                    + "); lower training.learningRate or model.linear.mu");
        }
        StructurePreservingNode best = at.best.withScale(original.scale()); // the model kept takes and returns original units
        ObjectNode metrics = metrics(best, at.bestStep, seconds, at.lastLoss);
        finish(best, at.bestStep, metrics);
        return new Result(best, metrics);
    }

    /** Restores a checkpoint's state, refused unless it was written by a run of this data, engine and learning-rate schedule. */
    private void resume(SpNodeCheckpoint c, Path run, String engine, JsonNode split, LearningRateDecay schedule, Parameters params,
                        Progress at) {
        if (!split.equals(c.split())) {
            throw new InvalidDataException("--resume: " + run + " was trained on another data split (" + c.split()
                    + "; this config gives " + split + "); resume with the run's own data and data.* settings");
        }
        if (!engine.equals(c.engine())) {
            throw new InvalidDataException("--resume: " + run + " was trained with training.engine " + c.engine() + "; this run would use "
                    + engine);
        }
        if (c.parameters().length != params.size()) {
            throw new InvalidDataException("--resume: " + run + " holds " + c.parameters().length + " parameters; this config's model has "
                    + params.size() + " (resume with the run's own model.* settings)");
        }
        double rate = schedule.valueAt(c.step(), 0);
        if (rate != c.learningRate()) {
            throw new InvalidDataException("--resume: " + run + " would take learning rate " + c.learningRate() + " at step " + (c.step() + 1)
                    + "; this config gives " + rate + " (resume with the run's own training.learningRate, finalLearningRate and steps)");
        }
        params.restore(c.parameters(), c.firstMoment(), c.secondMoment());
        at.step = c.step();
        at.lastLoss = c.lastLoss();
        at.minLoss = c.minLoss();
        at.lastValidationLoss = c.lastValidationLoss();
        at.bestScore = c.bestScore();
        at.best = c.best();
        at.bestStep = c.bestStep();
        progress("resumed from %s at step %d", run, at.step);
    }

    /** Writes the state after step {@code at.step} as a checkpoint, if the run has a directory. */
    private void checkpoint(Progress at, String engine, JsonNode split, LearningRateDecay schedule, Parameters params) throws IOException {
        if (out == null) {
            return;
        }
        new SpNodeCheckpoint(at.step, engine, params.flatValues(), params.firstMoment(), params.secondMoment(),
                schedule.valueAt(at.step, 0), at.lastLoss, at.minLoss, at.lastValidationLoss, at.bestStep, at.bestScore, at.best, split)
                .write(out.resolve("checkpoints"), config.training().keepCheckpoints(), faults);
    }

    /**
     * Stops a run whose step {@code step} went non-finite: the state after the step before (still in {@code params}) is
     * checkpointed, the best model so far saved as model/, and one line says where they are.
     */
    private void stop(int step, String why, String engine, JsonNode split, LearningRateDecay schedule, Parameters params, Progress at)
            throws IOException {
        String message = String.format(Locale.ROOT, "training diverged at step %d (%s); lower training.learningRate", step, why);
        if (out == null) {
            throw new InvalidDataException(message);
        }
        Path good = Checkpoints.directory(out.resolve("checkpoints"), at.step);
        if (!Files.exists(good)) {
            checkpoint(at, engine, split, schedule, params);
        }
        if (at.best != null) {
            at.best.withScale(original.scale()).save(out.resolve("model"));
        }
        throw new InvalidDataException(message + " (the last good state is " + out.relativize(good) + ", which --resume continues"
                + (at.best != null ? "; the best model so far is model/, from step " + at.bestStep : "") + ")");
    }

    /** Saves the selected model and its metrics into the run directory, if there is one. */
    private void finish(StructurePreservingNode best, int bestStep, ObjectNode metrics) throws IOException {
        if (out == null) {
            progress("best model at step %d", bestStep);
            return;
        }
        best.save(out.resolve("model"));
        AtomicFiles.writeString(out.resolve("metrics.json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metrics) + "\n");
        progress("best model at step %d saved to %s", bestStep, out.resolve("model"));
    }

    /**
     * Whether training.engine runs the fused float64 step ({@link SpNodeStep}): auto picks it on the CPU backend for
     * every model it computes (ETD1 or IMEX, no CReLU autoencoder), fused insists (and says why it cannot), samediff never.
     */
    static boolean fused(String engine, StructurePreservingNode.Options options) {
        return switch (engine) {
            case "auto" -> Nd4j.getEnvironment().isCPU() && SpNodeStep.supports(options);
            case "samediff" -> false;
            case "fused" -> {
                if (!Nd4j.getEnvironment().isCPU()) {
                    throw new InvalidDataException("training.engine: fused runs on the CPU backend only; use auto or samediff with CUDA");
                }
                yield true; // SpNodeStep refuses a model it does not compute, with the reason
            }
            default -> throw new InvalidDataException("training.engine: unknown engine '" + engine + "'");
        };
    }

    /**
     * The parameters and their gradients as one flat float64 buffer each, with a view per SameDiff name (both engines
     * and Adam share them), and Adam's moments over the flat buffer.
     */
    static final class Parameters {
        private final INDArray flat;
        private final INDArray flatGradient;
        private final INDArray firstMoment;
        private final INDArray secondMoment;
        private final Map<String, INDArray> values = new LinkedHashMap<>();
        private final Map<String, INDArray> gradients = new LinkedHashMap<>();

        Parameters(Map<String, INDArray> initial) {
            long total = initial.values().stream().mapToLong(INDArray::length).sum();
            flat = Nd4j.create(DataType.DOUBLE, 1, total);
            flatGradient = Nd4j.create(DataType.DOUBLE, 1, total);
            firstMoment = Nd4j.create(DataType.DOUBLE, 1, total);
            secondMoment = Nd4j.create(DataType.DOUBLE, 1, total);
            long offset = 0;
            for (Map.Entry<String, INDArray> e : initial.entrySet()) {
                long[] shape = e.getValue().shape();
                long[] strides = Nd4j.getStrides(shape, 'c');
                values.put(e.getKey(), Nd4j.create(flat.data(), shape, strides, offset, 'c', DataType.DOUBLE));
                gradients.put(e.getKey(), Nd4j.create(flatGradient.data(), shape, strides, offset, 'c', DataType.DOUBLE));
                values.get(e.getKey()).assign(e.getValue().castTo(DataType.DOUBLE));
                offset += e.getValue().length();
            }
        }

        Map<String, INDArray> values() {
            return values;
        }

        long size() {
            return flat.length();
        }

        double[] flatValues() {
            return flat.toDoubleVector();
        }

        double[] firstMoment() {
            return firstMoment.toDoubleVector();
        }

        double[] secondMoment() {
            return secondMoment.toDoubleVector();
        }

        /** Puts back a checkpoint's parameters and Adam moments (in place: the views and the fused step see them). */
        void restore(double[] parameters, double[] first, double[] second) {
            flat.assign(Nd4j.createFromArray(parameters).reshape(1, parameters.length));
            firstMoment.assign(Nd4j.createFromArray(first).reshape(1, first.length));
            secondMoment.assign(Nd4j.createFromArray(second).reshape(1, second.length));
        }

        boolean gradientsFinite() {
            return Double.isFinite(flatGradient.sumNumber().doubleValue()) && Double.isFinite(flatGradient.amaxNumber().doubleValue());
        }

        Map<String, INDArray> gradients() {
            return gradients;
        }

        /** A_L at the current values of linear/lS, lG (and lU). */
        double[][] linearOperator(HurwitzLinear.Options linear) {
            return HurwitzLinear.matrix(linear, values.get("linear/" + HurwitzLinear.L_S).toDoubleVector(),
                    values.get("linear/" + HurwitzLinear.L_G).toDoubleVector(),
                    linear.dimension() > 1 ? values.get("linear/" + HurwitzLinear.L_U).toDoubleVector() : new double[0]);
        }

        /** Gradients by name from SameDiff; a parameter the loss does not reach (e.g. a bias no rollout uses) gets 0. */
        void setGradients(Map<String, INDArray> grads) {
            for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
                INDArray g = grads.get(e.getKey());
                if (g == null) {
                    e.getValue().assign(0);
                } else {
                    e.getValue().assign(g.reshape(e.getValue().shape()));
                }
            }
        }

        /** Adam (Kingma &amp; Ba) with bias correction over the flat buffer, at learning rate lr for update number {@code step}. */
        void adam(double lr, int step) {
            double correction1 = 1 - Math.pow(BETA1, step);
            double correction2 = 1 - Math.pow(BETA2, step);
            firstMoment.muli(BETA1).addi(flatGradient.mul(1 - BETA1));
            secondMoment.muli(BETA2).addi(flatGradient.mul(flatGradient).muli(1 - BETA2));
            INDArray update = firstMoment.div(correction1).divi(Transforms.sqrt(secondMoment.div(correction2), false).addi(EPSILON));
            flat.subi(update.muli(lr));
        }
    }

    private Graph build(int batch, List<ExpmvGraph.Plan> plans) {
        return graph(options, grid, batch, plans);
    }

    /**
     * The training graph (the model's definition and the fused step's reference): placeholder {@value #X} [(K+1)·B, m], block k
     * the states at t_k, and the eq. 20 loss {@value #LOSS}; {@code plans} from {@link Rollout#plans} (ETD1).
     */
    static Graph graph(StructurePreservingNode.Options options, TimeGrid grid, int batch, List<ExpmvGraph.Plan> plans) {
        SameDiff sd = SameDiff.create();
        StructurePreservingNode.Parts parts = StructurePreservingNode.declare(sd, options, DataType.DOUBLE, 0);
        int n = options.inputs();
        SDVariable x = sd.placeHolder(X, DataType.DOUBLE, (long) (grid.steps() + 1) * batch, n);
        SDVariable x0 = x.get(SDIndex.interval(0, batch), SDIndex.all());
        SDVariable u0 = parts.autoencoder() == null ? x0 : parts.autoencoder().encode(sd, x0);
        int latent = options.linear().dimension();
        SDVariable a = parts.linear().matrix(sd);
        a.setShape(latent, latent); // SameDiff does not infer it through the triangle scatter; IMEX needs it
        List<SDVariable> states = Rollout.states(sd, options.integrator(), a,
                parts.nonlinear() == null ? (s, u) -> u.mul(0.0) : parts.nonlinear()::apply, u0, grid, plans);
        SDVariable predicted = Rollout.stacked(sd, states);
        if (parts.autoencoder() != null) {
            predicted = parts.autoencoder().decode(sd, predicted);
        }
        TimeIntegratedLoss.build(sd, predicted, x, grid, batch, n).rename(LOSS);
        sd.setLossVariables(LOSS);
        return new Graph(sd, parts, plans);
    }

    /** Whether a graph built for {@code built} covers the plans the current A_L needs. */
    static boolean fits(List<ExpmvGraph.Plan> needed, List<ExpmvGraph.Plan> built) {
        if (needed.size() != built.size()) {
            return false;
        }
        for (int k = 0; k < needed.size(); k++) {
            ExpmvGraph.Plan p = needed.get(k);
            ExpmvGraph.Plan q = built.get(k);
            if (p.path() != q.path() || p.order() != q.order() || p.m() > q.m() || p.s() > q.s()
                    || p.degree() > q.degree() || p.squarings() > q.squarings()) {
                return false;
            }
        }
        return true;
    }

    static double[][] scaled(double[][] a, double factor) {
        double[][] s = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i].clone();
            for (int j = 0; j < s[i].length; j++) {
                s[i][j] *= factor;
            }
        }
        return s;
    }

    /**
     * The batch of step {@code step} + 1, drawn from (training.seed, step) alone (a resumed run draws the same): x [(K+1)·B, n]
     * row-major, block k holding the k-th trained sample of B distinct random training trajectories (or windows).
     */
    private double[] batch(int batch, int step) {
        SplittableRandom rng = new SplittableRandom(Checkpoints.stepSeed(config.training().seed(), step));
        if (windows != null) {
            return draw(rng, batch, windows.size(), windows::state);
        }
        List<Trajectory> all = data.train().trajectories();
        return draw(rng, batch, all.size(), (i, k) -> all.get(i).states()[samples[k]]);
    }

    /** B distinct sources of {@code sources} by a partial Fisher–Yates shuffle; row k·B + b is sample k of source b. */
    private double[] draw(SplittableRandom rng, int batch, int sources, java.util.function.BiFunction<Integer, Integer, double[]> sample) {
        int n = options.inputs();
        int[] order = java.util.stream.IntStream.range(0, sources).toArray();
        double[] x = new double[samples.length * batch * n];
        for (int b = 0; b < batch; b++) {
            int j = b + rng.nextInt(sources - b);
            int swap = order[b];
            order[b] = order[j];
            order[j] = swap;
            for (int k = 0; k < samples.length; k++) {
                System.arraycopy(sample.apply(order[b], k), 0, x, (k * batch + b) * n, n);
            }
        }
        return x;
    }

    /** The forecast step: the data's uniform sample step, or the training grid's first step when samples are not uniform. */
    private double evaluationStep() {
        double dt = data.train().uniformStep();
        return Double.isNaN(dt) ? grid.step(0) : dt;
    }

    /** Eq. 20 as this run weighs it (training.lossTime) on every sample of each trajectory, averaged over trajectories. */
    private double timeIntegratedLoss(StructurePreservingNode model, TrajectorySet set) {
        return timeIntegratedLoss(model, set, lossInLogTime);
    }

    /**
     * Eq. 20 on every sample of each trajectory (its own grid), averaged over trajectories; with {@code logTime} the
     * trapezoid rule in log t ({@link TimeGrid#inLogTime}). Consecutive trajectories on one grid are forecast as one batch.
     */
    static double timeIntegratedLoss(StructurePreservingNode model, TrajectorySet set, boolean logTime) {
        double sum = 0;
        int start = 0;
        while (start < set.size()) {
            double[] times = set.get(start).times();
            int end = start + 1;
            while (end < set.size() && java.util.Arrays.equals(set.get(end).times(), times)) {
                end++;
            }
            double[] relative = new double[times.length];
            for (int k = 0; k < times.length; k++) {
                relative[k] = times[k] - times[0];
            }
            TimeGrid grid = TimeGrid.of("trajectory " + start, relative);
            grid = logTime ? grid.inLogTime(times[0]) : grid;
            double[][] initial = new double[end - start][];
            double[][][] observed = new double[times.length][end - start][];
            for (int j = start; j < end; j++) {
                initial[j - start] = set.get(j).states()[0];
                for (int k = 0; k < times.length; k++) {
                    observed[k][j - start] = set.get(j).states()[k];
                }
            }
            double[][][] forecast = model.forecast(initial, times); // [trajectory][time][state]
            double[][][] predicted = new double[times.length][end - start][];
            for (int j = 0; j < end - start; j++) {
                for (int k = 0; k < times.length; k++) {
                    predicted[k][j] = forecast[j][k];
                }
            }
            sum += TimeIntegratedLoss.evaluate(predicted, observed, grid) * (end - start); // evaluate averages over the batch
            start = end;
        }
        return sum / set.size();
    }

    private ObjectNode metrics(StructurePreservingNode model, int bestStep, double seconds, double lastLoss) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.createObjectNode();
        m.put("kind", StructurePreservingNode.KIND);
        Map<String, TrajectorySet> sets = new java.util.LinkedHashMap<>(); // train, validation, test in that order in every run
        sets.put("train", original.train());
        sets.put("validation", original.validation());
        sets.put("test", original.test());
        for (Map.Entry<String, TrajectorySet> set : sets.entrySet()) {
            ObjectNode node = Double.isNaN(set.getValue().uniformStep()) ? json.createObjectNode()
                    : model.evaluate(set.getValue(), REPORT_HORIZONS).toJson();
            node.setAll(model.evaluateAlong(set.getValue()).toJson(set.getValue().names())); // along each trajectory's own times
            node.put("time_integrated_loss", timeIntegratedLoss(model, set.getValue()));
            m.set(set.getKey(), node);
        }
        m.put("best_step", bestStep);
        m.put("steps", config.training().steps());
        m.put("seconds", seconds);
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
}
