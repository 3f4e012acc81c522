package koopman4j.validation.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.systems.BuiltInSystems;
import koopman4j.systems.Robertson;
import koopman4j.systems.Simulator;
import koopman4j.trainer.SpNodeTrainer;
import koopman4j.trainer.TrainingData;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The stiff Robertson experiment of seed 001 §5.2 (Fig. 5): the structure-preserving NODE with a Lipschitz g, trained
 * through ETD1 on trajectories sampled at log-spaced times (steps from 3·10⁻⁶ to 1.7·10⁶) with and without the
 * autoencoder, and with IMEX as the baseline of §5.1, from one config, one data set and one split.
 *
 * <p>Each trained model is deployed from the first sample of every held-out test trajectory along its 50 times and
 * scored per component in original units ({@link ErrorMetrics#alongTrajectories}: relative L2 over the trajectory,
 * the largest pointwise relative error |x̂ − x|/|x| and the largest error relative to the component's peak); from
 * the unperturbed trajectory (Fig. 5's initial state (1, 0, 0), in no training trajectory); on a log grid four times
 * finer (steps it never saw); and with every one of {@value #SWEEP_SIZES} constant steps from the grid's smallest to
 * its largest for {@value #SWEEP_STEPS} steps, which must neither give NaN nor blow up.
 *
 * <p>Writes {@code OUT/<run>/} (model/, metrics.json, train.log), {@code OUT/data/{train,validation,test}.csv},
 * {@code OUT/results.csv} (the {@code compare} columns), {@code OUT/components.csv}, {@code OUT/errors-by-time.csv},
 * {@code OUT/steps.csv}, {@code OUT/report.md} and the figures {@code robertson-fig5.png},
 * {@code robertson-relative-error.png}, {@code robertson-steps.png}.
 */
public final class RobertsonStudy {

    public static final String NAME = "robertson";
    /** The shipped config (relative to the repository root). */
    public static final Path CONFIG = Path.of("examples/configs/robertson-etd1.yaml");
    /** How many constant step sizes the deployment sweep tries, log-spaced from the grid's smallest step to its largest. */
    static final int SWEEP_SIZES = 25;
    /** How many steps of each size the sweep takes. */
    static final int SWEEP_STEPS = 100;
    /** A forecast "blows up" when a component exceeds this multiple of its largest size in the data. */
    static final double BLOW_UP = 10;
    /** The target of the issue: every component within 5% at every time. */
    static final double TARGET_PCT = 5;
    /** How much finer the unseen-step grid is than the data's. */
    static final int REFINE = 4;
    private static final Logger LOG = LogManager.getLogger(RobertsonStudy.class);

    private RobertsonStudy() {
    }

    /** A model of the study: its name, integrator and whether it has the autoencoder. */
    public enum Variant {
        ETD1_AE("etd1-ae", "etd1", true),
        ETD1("etd1", "etd1", false),
        IMEX_AE("imex-ae", "imex", true);

        private final String id;
        private final String integrator;
        private final boolean autoencoder;

        Variant(String id, String integrator, boolean autoencoder) {
            this.id = id;
            this.integrator = integrator;
            this.autoencoder = autoencoder;
        }

        public String id() {
            return id;
        }

        public String integrator() {
            return integrator;
        }

        public boolean autoencoder() {
            return autoencoder;
        }

        /** "ETD1 + autoencoder" etc. */
        public String label() {
            return StudyReport.label(integrator) + (autoencoder ? " + autoencoder" : ", no autoencoder");
        }

        /** The variant of an id such as "etd1-ae". */
        public static Variant of(String id) {
            for (Variant v : values()) {
                if (v.id.equals(id.trim())) {
                    return v;
                }
            }
            throw new InvalidDataException("--runs: unknown run '" + id.trim() + "'; expected some of " + ids());
        }

        static String ids() {
            return String.join(", ", Arrays.stream(values()).map(Variant::id).toList());
        }
    }

    /** Every variant, in the order of the report. */
    public static final List<Variant> ALL = List.of(Variant.values());

    /** One training run of the plan: the variant with its merged config tree (the provenance) and bound config. */
    record Run(Variant variant, JsonNode tree, TrainConfig config) {
    }

    /** The plan: the config it came from, the data settings shared by every run, and the runs. */
    record Plan(Path source, TrainConfig.Data data, List<Run> runs) {
    }

    /** One constant step size of the sweep: whether every forecast stayed finite and the largest |x̂_i| / max |x_i|. */
    public record SweepPoint(double step, boolean finite, double maxRatio) {
        public boolean blowsUp() {
            return !finite || !(maxRatio <= BLOW_UP);
        }
    }

    /**
     * What one trained model scores, in original units. Per component (y1, y2, y3): on the test trajectories the relative
     * L2 error, the largest pointwise relative error and the largest error relative to the component's peak on its
     * trajectory; the same two on the unperturbed trajectory; the relative L2 error on the grid {@value #REFINE}× finer.
     * One-step errors along the trajectories' own steps, the whole-trajectory error, eq. 20 (as trained), training
     * seconds, the best step, A_L with its stability certificate and the step sweep.
     */
    public record Outcome(Variant variant, double[] testComponentPct, double[] testMaxPointwisePct, double[] testMaxPeakPct,
                          double[] referenceComponentPct, double[] referenceMaxPointwisePct, double[] referenceMaxPeakPct,
                          double[] finerComponentPct,
                          double trainOneStepPct, double testOneStepPct, double testTrajectoryPct, double testLoss, double seconds,
                          int bestStep, double[][] linearOperator, JsonNode stability, List<SweepPoint> sweep,
                          double[][] pointwiseMaxByTime, double[][] pointwiseMedianByTime, double[][] reference, Path dir) {
        public String method() {
            return "spnode-" + variant.id();
        }

        /** Whether every step size of the sweep stayed finite and bounded. */
        public boolean sweepBounded() {
            return sweep.stream().noneMatch(SweepPoint::blowsUp);
        }
    }

    /** What the figures and report need besides the outcomes: the data's times, the unperturbed truth (fine and sampled). */
    record Truth(List<String> names, double[] times, double[][] sampled, double[] fineTimes, double[][] fine) {
    }

    /** Everything a finished study produced. */
    public record Summary(List<Outcome> outcomes, Path out) {
        public Outcome outcome(Variant v) {
            return outcomes.stream().filter(o -> o.variant() == v).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no outcome for " + v.id()));
        }
    }

    /**
     * Runs the study.
     *
     * @param config    sp-node config on data.system robertson with data.logTimes (e.g. {@link #CONFIG})
     * @param overrides {@code key.path=value} settings applied to every run (not model.integrator)
     * @param runs      the variants to train, in order
     * @param out       output directory
     */
    public static Summary run(Path config, List<String> overrides, List<Variant> runs, Path out) throws IOException {
        return run(config, overrides, runs, out, StudyListener.NONE);
    }

    /** The same, telling {@code listener} of each model's training. */
    public static Summary run(Path config, List<String> overrides, List<Variant> runs, Path out, StudyListener listener) throws IOException {
        Plan plan = plan(config, overrides, runs);
        Files.createDirectories(out);
        TrainingData data = TrainingData.prepare(plan.data());
        Path split = out.resolve("data");
        Files.createDirectories(split);
        TrajectoryFiles.write(data.train(), split.resolve("train.csv"));
        TrajectoryFiles.write(data.validation(), split.resolve("validation.csv"));
        TrajectoryFiles.write(data.test(), split.resolve("test.csv"));
        Truth truth = truth(data.test().get(0).times(), data.test().names());
        TrajectorySet reference = new TrajectorySet(truth.names(), List.of(new Trajectory(truth.times(), truth.sampled())));
        TrajectorySet finer = finer(data.test(), plan.data());
        double[] peaks = peaks(data);
        List<Outcome> outcomes = new ArrayList<>();
        for (Run r : plan.runs()) {
            Path dir = out.resolve(r.variant().id());
            LOG.info("{}: training {} steps into {}", r.variant().label(), r.config().training().steps(), dir);
            SpNodeTrainer.Result result = new SpNodeTrainer(r.config(), r.tree(), data, dir,
                    listener.training(outcomes.size() + 1, plan.runs().size(), r.variant().id())).train();
            Outcome o = outcome(r.variant(), result.model(), result.metrics(), data, reference, finer, peaks, dir);
            LOG.info("{}: test error per component {} % (relative L2), largest pointwise {} %; step sweep {}", r.variant().label(),
                    pcts(o.testComponentPct()), pcts(o.testMaxPointwisePct()), o.sweepBounded() ? "bounded" : "BLEW UP");
            outcomes.add(o);
        }
        RobertsonReport.write(plan, data, truth, outcomes, out);
        return new Summary(List.copyOf(outcomes), out);
    }

    /** Reads, overrides, binds and checks the config for every run; refuses bad input before any data or training. */
    static Plan plan(Path config, List<String> overrides, List<Variant> runs) {
        if (runs.isEmpty()) {
            throw new InvalidDataException("--runs: give at least one of " + Variant.ids());
        }
        if (runs.stream().distinct().count() != runs.size()) {
            throw new InvalidDataException("--runs: each run at most once, got " + runs.stream().map(Variant::id).toList());
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq > 0 && o.substring(0, eq).trim().equals("model.integrator")) {
                throw new InvalidDataException("--set " + o.strip() + ": the study sets model.integrator itself for each run (" + Variant.ids()
                        + "); leave it out");
            }
        }
        JsonNode tree = ConfigLoader.tree(config, overrides);
        TrainConfig cfg = ConfigLoader.bind(tree, config.toString());
        if (!TrainConfig.Model.SP_NODE.equals(cfg.model().kind())) {
            throw new InvalidDataException(config + ": the robertson study needs model.kind sp-node, got '" + cfg.model().kind() + "'");
        }
        TrainConfig.Data d = cfg.data();
        if (!NAME.equals(d.system())) {
            throw new InvalidDataException(config + ": the robertson study simulates its data: data.system must be robertson, got "
                    + (d.system() == null ? "data.path " + d.path() : "'" + d.system() + "'"));
        }
        if (!d.logTimes().used()) {
            throw new InvalidDataException(config + ": the robertson study samples log-spaced times: give data.logTimes (seed 001 §5.2:"
                    + " { from: 4.0e-6, to: 4.0e6, count: 50 })");
        }
        if (!d.observe().isEmpty()) {
            throw new InvalidDataException(config + ": data.observe must be empty; the study scores y1, y2 and y3");
        }
        int latent = cfg.model().autoencoder().latent();
        if (latent == 0 && runs.stream().anyMatch(Variant::autoencoder)) {
            throw new InvalidDataException(config + ": model.autoencoder.latent is 0, but the runs " + runs.stream().filter(Variant::autoencoder)
                    .map(Variant::id).toList() + " need an autoencoder (seed 001 §5.2: latent 3)");
        }
        List<Run> planned = new ArrayList<>();
        for (Variant v : runs) {
            JsonNode own = tree.deepCopy();
            ObjectNode model = (ObjectNode) own.get("model");
            model.put("integrator", v.integrator());
            if (!v.autoencoder()) {
                ((ObjectNode) model.get("autoencoder")).put("latent", 0);
            }
            planned.add(new Run(v, own, ConfigLoader.bind(own, config.toString())));
        }
        return new Plan(config, d, List.copyOf(planned));
    }

    /** The unperturbed trajectory from (1, 0, 0) at t = 0: at the data's times, and finely (8 samples per data step) for the curves. */
    static Truth truth(double[] times, List<String> names) {
        Simulator exact = new Simulator(new Robertson(0));
        double[][] sampled = exact.simulate(1, times, 0).get(0).states();
        int per = 8;
        double[] fine = new double[(times.length - 1) * per + 1];
        double ratio = Math.log(times[times.length - 1] / times[0]);
        for (int k = 0; k < fine.length; k++) {
            fine[k] = k == fine.length - 1 ? times[times.length - 1] : times[0] * Math.exp(ratio * k / (fine.length - 1));
        }
        return new Truth(names, times, sampled, fine, exact.simulate(1, fine, 0).get(0).states());
    }

    /** The test trajectories re-integrated from their first samples on the log grid {@value #REFINE}× finer than the data's. */
    private static TrajectorySet finer(TrajectorySet test, TrainConfig.Data d) {
        TrainConfig.LogTimes grid = new TrainConfig.LogTimes(d.logTimes().from(), d.logTimes().to(), REFINE * (d.logTimes().count() - 1) + 1);
        double[] times = grid.times();
        Simulator sim = new Simulator(BuiltInSystems.byName(NAME));
        List<Trajectory> ts = new ArrayList<>();
        for (Trajectory t : test.trajectories()) {
            ts.add(new Trajectory(times, sim.integrate(t.states()[0], times)));
        }
        return new TrajectorySet(test.names(), ts);
    }

    /** The largest |x_i| in all the data, per component: the yardstick of the blow-up check. */
    private static double[] peaks(TrainingData data) {
        double[] peak = new double[data.train().dimension()];
        for (TrajectorySet set : List.of(data.train(), data.validation(), data.test())) {
            for (Trajectory t : set.trajectories()) {
                for (double[] x : t.states()) {
                    for (int i = 0; i < x.length; i++) {
                        peak[i] = Math.max(peak[i], Math.abs(x[i]));
                    }
                }
            }
        }
        return peak;
    }

    private static Outcome outcome(Variant v, StructurePreservingNode model, ObjectNode metrics, TrainingData data, TrajectorySet reference,
                                   TrajectorySet finer, double[] peaks, Path dir) {
        TrajectorySet test = data.test();
        ErrorMetrics.TrajectoryReport along = ErrorMetrics.alongTrajectories(model, test);
        ErrorMetrics.TrajectoryReport ref = ErrorMetrics.alongTrajectories(model, reference);
        double[][][] pointwise = ErrorMetrics.pointwiseRelativePct(model, test);
        int times = test.get(0).length();
        int n = test.dimension();
        double[][] max = new double[times][n];
        double[][] median = new double[times][n];
        for (int k = 0; k < times; k++) {
            for (int i = 0; i < n; i++) {
                double[] over = new double[pointwise.length];
                for (int j = 0; j < pointwise.length; j++) {
                    over[j] = pointwise[j][k][i];
                }
                Arrays.sort(over); // NaN sorts last, so a NaN anywhere shows as the maximum
                max[k][i] = over[over.length - 1];
                median[k][i] = over[over.length / 2];
            }
        }
        return new Outcome(v, along.componentErrorPct(), along.maxPointwisePct(), maxPeakRelativePct(model, test), ref.componentErrorPct(),
                ref.maxPointwisePct(), maxPeakRelativePct(model, reference), ErrorMetrics.alongTrajectories(model, finer).componentErrorPct(),
                ErrorMetrics.oneStepAlongPct(model, data.train()), ErrorMetrics.oneStepAlongPct(model, test), along.errorPct(),
                metrics.path("test").path("time_integrated_loss").asDouble(Double.NaN), metrics.path("seconds").asDouble(Double.NaN),
                metrics.path("best_step").asInt(-1), model.linearOperator(), metrics.path("stability"), sweep(model, test, reference, peaks),
                max, median, model.forecast(new double[][] {reference.get(0).states()[0]}, reference.get(0).times())[0], dir);
    }

    /** Per component, the largest max_k |x̂_i(t_k) − x_i(t_k)| / max_k |x_i(t_k)| over the trajectories (the error as Fig. 5 shows it). */
    static double[] maxPeakRelativePct(StructurePreservingNode model, TrajectorySet set) {
        double[][][] predicted = ErrorMetrics.forecastAlong(model, set);
        double[] worst = new double[set.dimension()];
        for (int j = 0; j < set.size(); j++) {
            double[][] x = set.get(j).states();
            for (int i = 0; i < worst.length; i++) {
                double err = 0;
                double peak = 0;
                for (int k = 0; k < x.length; k++) {
                    err = Math.max(err, Math.abs(predicted[j][k][i] - x[k][i]));
                    peak = Math.max(peak, Math.abs(x[k][i]));
                    if (Double.isNaN(predicted[j][k][i])) {
                        err = Double.NaN;
                    }
                }
                worst[i] = Double.isNaN(err) || Double.isNaN(worst[i]) ? Double.NaN : Math.max(worst[i], 100 * err / peak);
            }
        }
        return worst;
    }

    /**
     * {@value #SWEEP_SIZES} constant steps log-spaced from the grid's smallest step to its largest (most never seen in training),
     * {@value #SWEEP_STEPS} steps each from the first sample of every test trajectory and of the unperturbed one.
     */
    static List<SweepPoint> sweep(StructurePreservingNode model, TrajectorySet test, TrajectorySet reference, double[] peaks) {
        double[] times = test.get(0).times();
        double smallest = Double.POSITIVE_INFINITY;
        double largest = 0;
        for (int k = 1; k < times.length; k++) {
            smallest = Math.min(smallest, times[k] - times[k - 1]);
            largest = Math.max(largest, times[k] - times[k - 1]);
        }
        double[][] initial = new double[test.size() + 1][];
        for (int j = 0; j < test.size(); j++) {
            initial[j] = test.get(j).states()[0];
        }
        initial[test.size()] = reference.get(0).states()[0];
        List<SweepPoint> points = new ArrayList<>();
        for (int s = 0; s < SWEEP_SIZES; s++) {
            double h = s == SWEEP_SIZES - 1 ? largest : smallest * Math.pow(largest / smallest, (double) s / (SWEEP_SIZES - 1));
            double[][][] path = model.withStep(h).rollout(initial, SWEEP_STEPS);
            boolean finite = true;
            double ratio = 0;
            for (double[][] p : path) {
                for (double[] x : p) {
                    for (int i = 0; i < x.length; i++) {
                        finite &= Double.isFinite(x[i]);
                        ratio = Math.max(ratio, Math.abs(x[i]) / peaks[i]);
                    }
                }
            }
            points.add(new SweepPoint(h, finite, ratio));
        }
        return points;
    }

    static String pcts(double[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.3g", x)).toList().toString();
    }
}
