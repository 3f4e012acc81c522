package koopman4j.validation.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.stability.Spectrum;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.layers.integrators.TimeGrid;
import koopman4j.systems.KuramotoSivashinsky;
import koopman4j.benchmarks.BenchResult;
import koopman4j.trainer.SpNodeStepBenchmark;
import koopman4j.trainer.SpNodeTrainer;
import koopman4j.trainer.TrainingData;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The Kuramoto–Sivashinsky experiment of seed 001 §5.3 (structure-preserving NODEs, arXiv:2503.01775, Figs. 6–7):
 * SP-NODE models of u_t = −u u_x − u_xx − u_xxxx (L = 22, 64 grid values) with an autoencoder to a latent space of
 * 20 or 7 and without one, trained on windows of one long trajectory, then judged on a separate long test trajectory
 * as chaos allows: the time of pointwise agreement, the joint PDF of (u_x, u_xx) of a long rollout against the
 * truth's (Hellinger distance), the energy spectrum, boundedness, and each model's training step time.
 *
 * <p>Every config must train an sp-node model on the same {@code data} section (one split for all models). Writes
 * {@code OUT/<config name>/} (the trainer's run), {@code OUT/data/{train,validation,test}.npy}, {@code OUT/results.csv},
 * {@code OUT/report.md}, {@code OUT/ks-spacetime.png} (Fig. 6), {@code OUT/ks-joint-pdf.png} (Fig. 7).
 */
public final class KuramotoSivashinskyStudy {

    public static final String NAME = KuramotoSivashinsky.NAME;
    /** The shipped configs (relative to the repository root): latent 20, latent 7, the full state without autoencoder. */
    public static final List<Path> CONFIGS = List.of(Path.of("examples/configs/ks-ae20.yaml"), Path.of("examples/configs/ks-ae7.yaml"),
            Path.of("examples/configs/ks-full.yaml"));
    private static final Logger LOG = LogManager.getLogger(KuramotoSivashinskyStudy.class);

    private KuramotoSivashinskyStudy() {
    }

    /**
     * How the models are judged. {@code threshold}: the relative L2 error that ends pointwise agreement;
     * {@code horizon}: the steps each agreement forecast runs; {@code starts}: test states it starts from (evenly
     * spaced along the test trajectory); {@code figureSteps}: the span of the space–time plots (Fig. 6: 200);
     * {@code bins}: histogram bins per axis of the joint PDF; {@code timingSteps}: timed training steps per model.
     */
    public record Options(double threshold, int horizon, int starts, int figureSteps, int bins, int timingSteps) {
        public static final Options DEFAULT = new Options(0.2, 150, 50, 200, 60, 10);

        public Options {
            require(threshold > 0 && Double.isFinite(threshold), "--threshold must be a finite number > 0, got " + threshold);
            require(horizon >= 1 && starts >= 1 && figureSteps >= 1 && bins >= 2 && timingSteps >= 1,
                    "horizon, starts, figureSteps, timingSteps must be ≥ 1 and bins ≥ 2");
        }
    }

    /** One model of the study: its config, run directory and what it scored; {@code fullState}: no autoencoder. */
    public record Outcome(String name, Path config, int latent, boolean fullState, double meanAgreement, double medianAgreement, int censored, int starts,
                          double hellinger, double spectrumDecades, double maxAbsLong, int longSteps, double abscissa, double mu,
                          double trainSeconds, int trainSteps, int bestStep, double stepMs, double validationLoss, JsonNode stability,
                          Path dir) {
        /** Whether the long rollout stayed finite. */
        public boolean bounded() {
            return Double.isFinite(maxAbsLong);
        }
    }

    /** What the figures and report need beyond the outcomes. */
    record Figures(double dt, double length, double[][] truthWindow, List<double[][]> modelWindows, ChaosStatistics.JointPdf truthPdf,
                   List<ChaosStatistics.JointPdf> modelPdfs, double[] truthSpectrum, List<double[]> modelSpectra,
                   double truthHalfHellinger) {
    }

    /** Everything a finished study produced. */
    public record Summary(List<Outcome> outcomes, double truthHalfHellinger, Path out, double seconds) {
        public Outcome outcome(String name) {
            return outcomes.stream().filter(o -> o.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no model " + name));
        }
    }

    /** One model to train: config file, merged tree and bound config. */
    record Run(String name, Path source, JsonNode tree, TrainConfig config) {
    }

    public static Summary run(List<Path> configs, List<String> overrides, Options options, Path out) throws IOException {
        return run(configs, overrides, options, out, StudyListener.NONE);
    }

    /** The same, telling {@code listener} of each model's training. */
    public static Summary run(List<Path> configs, List<String> overrides, Options options, Path out, StudyListener listener)
            throws IOException {
        long t0 = System.nanoTime();
        List<Run> runs = plan(configs, overrides);
        Files.createDirectories(out);
        TrainingData data = TrainingData.prepare(runs.get(0).config().data());
        Path split = out.resolve("data");
        Files.createDirectories(split);
        TrajectoryFiles.write(data.train(), split.resolve("train.npy"));
        TrajectoryFiles.write(data.validation(), split.resolve("validation.npy"));
        TrajectoryFiles.write(data.test(), split.resolve("test.npy"));
        double dt = data.test().uniformStep();
        if (!(dt > 0)) {
            throw new InvalidDataException("kuramoto-sivashinsky study: the test trajectories need a uniform sample step");
        }
        Trajectory test = data.test().get(0);
        double[][] truth = test.states();
        if (truth[0].length != KuramotoSivashinsky.DEFAULT_POINTS) {
            throw new InvalidDataException("kuramoto-sivashinsky study: the data have " + truth[0].length + " values per sample, expected "
                    + KuramotoSivashinsky.DEFAULT_POINTS);
        }
        double length = KuramotoSivashinsky.DEFAULT_LENGTH;
        int horizon = Math.min(options.horizon(), truth.length - 1);
        int[] starts = starts(truth.length, horizon, options.starts());
        int figureSteps = Math.min(options.figureSteps(), truth.length - 1);
        double[][] edges = ChaosStatistics.edges(truth, length, options.bins(), 0.15);
        ChaosStatistics.JointPdf truthPdf = ChaosStatistics.jointPdf(truth, length, edges);
        int half = truth.length / 2;
        double truthHalf = ChaosStatistics.hellinger(
                ChaosStatistics.jointPdf(java.util.Arrays.copyOfRange(truth, 0, half), length, edges),
                ChaosStatistics.jointPdf(java.util.Arrays.copyOfRange(truth, half, truth.length), length, edges));
        double[] truthSpectrum = ChaosStatistics.energySpectrum(truth);

        List<Outcome> outcomes = new ArrayList<>();
        List<double[][]> windows = new ArrayList<>();
        List<ChaosStatistics.JointPdf> pdfs = new ArrayList<>();
        List<double[]> spectra = new ArrayList<>();
        List<double[]> errors = new ArrayList<>();
        List<StructurePreservingNode> models = new ArrayList<>();
        for (Run r : runs) {
            Path dir = out.resolve(r.name());
            LOG.info("{}: training {} steps into {}", r.name(), r.config().training().steps(), dir);
            SpNodeTrainer.Result result = new SpNodeTrainer(r.config(), r.tree(), data, dir,
                    listener.training(models.size() + 1, runs.size(), r.name())).train();
            StructurePreservingNode model = result.model().withStep(dt);
            models.add(model);
            // pointwise agreement from each start
            double[][] x0 = new double[starts.length][];
            for (int i = 0; i < starts.length; i++) {
                x0[i] = truth[starts[i]];
            }
            double[][][] forecasts = model.rollout(x0, horizon);
            double[] agreement = new double[starts.length];
            double[] meanError = new double[horizon];
            int censored = 0;
            for (int i = 0; i < starts.length; i++) {
                double[][] expected = java.util.Arrays.copyOfRange(truth, starts[i] + 1, starts[i] + 1 + horizon);
                double t = ChaosStatistics.agreementTime(forecasts[i], expected, dt, options.threshold());
                if (Double.isInfinite(t)) {
                    censored++;
                    t = horizon * dt;
                }
                agreement[i] = t;
                for (int k = 0; k < horizon; k++) {
                    meanError[k] += ChaosStatistics.relativeError(forecasts[i][k], expected[k]) / starts.length;
                }
            }
            errors.add(meanError);
            // the long rollout from the test trajectory's first state, as long as the test trajectory
            double[][] longRun = model.rollout(new double[][] {truth[0]}, truth.length - 1)[0];
            double maxAbs = 0;
            for (double[] u : longRun) {
                for (double v : u) {
                    maxAbs = Double.isFinite(v) && Double.isFinite(maxAbs) ? Math.max(maxAbs, Math.abs(v)) : Double.NaN;
                }
            }
            windows.add(java.util.Arrays.copyOf(longRun, figureSteps));
            ChaosStatistics.JointPdf pdf = Double.isFinite(maxAbs) ? ChaosStatistics.jointPdf(longRun, length, edges) : null;
            pdfs.add(pdf);
            double[] spectrum = Double.isFinite(maxAbs) ? ChaosStatistics.energySpectrum(longRun) : null;
            spectra.add(spectrum);
            JsonNode metrics = result.metrics();
            double mu = metrics.path("stability").path("mu").asDouble(Double.NaN);
            outcomes.add(new Outcome(r.name(), r.source(), model.options().linear().dimension(),
                    model.options().autoencoder() == null, mean(agreement), median(agreement), censored,
                    starts.length, pdf == null ? 1.0 : ChaosStatistics.hellinger(truthPdf, pdf),
                    spectrum == null ? Double.NaN : ChaosStatistics.spectrumLogDistance(truthSpectrum, spectrum, SPECTRUM_MODES),
                    maxAbs, longRun.length, Spectrum.abscissa(model.linearOperator()), mu, metrics.path("seconds").asDouble(Double.NaN),
                    r.config().training().steps(), metrics.path("best_step").asInt(-1), Double.NaN,
                    metrics.path("validation").path("time_integrated_loss").asDouble(Double.NaN), metrics.path("stability"), dir));
            Outcome o = outcomes.get(outcomes.size() - 1);
            LOG.info(String.format(Locale.ROOT, "%s: pointwise agreement %.1f (mean over %d starts, %d censored), joint-PDF Hellinger %.3f",
                    o.name(), o.meanAgreement(), o.starts(), o.censored(), o.hellinger()));
        }
        // training step times side by side, after all training, in one sitting
        for (int i = 0; i < runs.size(); i++) {
            TrainConfig c = runs.get(i).config();
            int steps = c.data().window().steps() > 0 ? c.data().window().steps() : data.train().get(0).length() - 1;
            BenchResult b = SpNodeStepBenchmark.fused(models.get(i).options(), TimeGrid.uniform(0, dt, steps), c.training().batchSize(), 2,
                    options.timingSteps());
            Outcome o = outcomes.get(i);
            outcomes.set(i, new Outcome(o.name(), o.config(), o.latent(), o.fullState(), o.meanAgreement(), o.medianAgreement(), o.censored(), o.starts(),
                    o.hellinger(), o.spectrumDecades(), o.maxAbsLong(), o.longSteps(), o.abscissa(), o.mu(), o.trainSeconds(), o.trainSteps(),
                    o.bestStep(), b.medianMs(), o.validationLoss(), o.stability(), o.dir()));
            LOG.info(String.format(Locale.ROOT, "%s: training step %.1f ms (median of %d, batch %d)", o.name(), b.medianMs(),
                    options.timingSteps(), c.training().batchSize()));
        }
        Figures figures = new Figures(dt, length, java.util.Arrays.copyOfRange(truth, 1, 1 + figureSteps), windows, truthPdf, pdfs,
                truthSpectrum, spectra, truthHalf);
        double seconds = (System.nanoTime() - t0) / 1e9;
        KuramotoSivashinskyReport.write(outcomes, figures, errors, options, data.description(), starts, horizon, seconds, out);
        return new Summary(List.copyOf(outcomes), truthHalf, out, seconds);
    }

    /** Modes k = 1 … 10 of the energy spectrum are compared (q up to 2.9: past the unstable band q &lt; 1, where E_k has fallen by decades). */
    static final int SPECTRUM_MODES = 10;

    /** Reads, overrides and binds every config; refuses bad input before anything is simulated or trained. */
    static List<Run> plan(List<Path> configs, List<String> overrides) {
        if (configs.isEmpty()) {
            throw new InvalidDataException("kuramoto-sivashinsky study: give at least one config");
        }
        List<Run> runs = new ArrayList<>();
        JsonNode firstData = null;
        for (Path config : configs) {
            JsonNode tree = ConfigLoader.tree(config, overrides);
            TrainConfig cfg = ConfigLoader.bind(tree, config.toString());
            if (!TrainConfig.Model.SP_NODE.equals(cfg.model().kind())) {
                throw new InvalidDataException(config + ": model.kind must be sp-node, got '" + cfg.model().kind() + "'");
            }
            if (cfg.data().system() != null && !cfg.data().system().isBlank() && !NAME.equals(cfg.data().system())) {
                throw new InvalidDataException(config + ": data.system is '" + cfg.data().system() + "', expected " + NAME);
            }
            if (firstData == null) {
                firstData = tree.get("data");
            } else if (!firstData.equals(tree.get("data"))) {
                throw new InvalidDataException(config + ": its data section differs from " + configs.get(0)
                        + "'s; the study trains every model on the same data");
            }
            String name = config.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            if (runs.stream().anyMatch(r -> r.name().equals(name))) {
                throw new InvalidDataException(config + ": a second config named " + name + "; the run directories would collide");
            }
            runs.add(new Run(name, config, tree, cfg));
        }
        return List.copyOf(runs);
    }

    /** Up to {@code count} evenly spaced starts s with s + horizon inside a trajectory of {@code length} samples. */
    static int[] starts(int length, int horizon, int count) {
        int last = length - 1 - horizon;
        int n = Math.max(1, Math.min(count, last + 1));
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = n == 1 ? 0 : (int) Math.round((double) i * last / (n - 1));
        }
        return s;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidDataException(message);
        }
    }
}
