package koopman4j.validation.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.systems.BuiltInSystems;
import koopman4j.systems.ContinuousSystem;
import koopman4j.systems.Simulator;
import koopman4j.systems.TransientGrowth;
import koopman4j.trainer.SpNodeTrainer;
import koopman4j.trainer.TrainingData;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The transient-growth study of seed 001 §5.1 (Figs. 3–4): dx/dt = A_bump x + ε·sin(x) (eq. 21, 23) for
 * ε = 0 (bilinear g, trained on t = 0 and t = 2 only) and ε = 1 (Lipschitz g), each ε trained once with
 * ETD1 and once with IMEX from the same config, data and split, then deployed with the data's step
 * Δt = 0.2 over the whole test trajectories.
 *
 * <p>Writes {@code OUT/<eps>-<integrator>/} (the trainer's model, metrics.json, train.log),
 * {@code OUT/<eps>-data/{train,validation,test}.npy} (the split), {@code OUT/results.csv} (the
 * {@code compare} columns), {@code OUT/report.md} and {@code OUT/transient-growth-<eps>.png} (Figs. 3–4:
 * truth as curves, the model's forecast as dots every Δt, ETD1 left, IMEX right) and {@code OUT/transient-growth-norms.png}
 * and {@code .svg} (Fig. 2: ‖e^{tA}‖ for A_bump and A_decay). Every config and override
 * is checked before anything is trained.
 */
public final class TransientGrowthStudy {

    /** The file name (without .png / .svg) of seed 001's Fig. 2. */
    static final String NORMS = "transient-growth-norms";

    public static final String NAME = "transient-growth";
    /** The shipped configs (relative to the repository root). */
    public static final Path LINEAR_CONFIG = Path.of("examples/configs/transient-growth-linear-etd1.yaml");
    public static final Path NONLINEAR_CONFIG = Path.of("examples/configs/transient-growth-etd1.yaml");
    /** The integrators compared (seed 001 §5.1: the exponential integrator against IMEX). */
    public static final List<String> INTEGRATORS = List.of("etd1", "imex");
    /** The step of the finely sampled truth drawn in the figures. */
    static final double TRUTH_DT = 0.01;
    private static final String INTEGRATOR_KEY = "model.integrator";
    private static final Logger LOG = LogManager.getLogger(TransientGrowthStudy.class);

    private TransientGrowthStudy() {
    }

    /** One training run of the plan: an integrator with its merged config tree (the provenance) and bound config. */
    record Run(String integrator, JsonNode tree, TrainConfig config) {
    }

    /** One ε of the study: the config it came from, its system and one run per integrator. */
    record Case(Path source, TransientGrowth system, List<Run> runs) {
        String id() {
            return "eps" + epsilonText(system.epsilon());
        }

        String experiment() {
            return NAME + "-" + id();
        }

        String row() {
            return "ε=" + epsilonText(system.epsilon());
        }

        TrainConfig.Data data() {
            return runs.get(0).config().data(); // the runs differ only in model.integrator
        }
    }

    /**
     * What one trained model scores when deployed with the data's step: errors by {@link ErrorMetrics} (the
     * {@code compare} columns), the eq. 20 loss on the test trajectories, training seconds and best step from
     * metrics.json, the learned A_L with its spectral abscissa and the β(A_L − μI) certificate (seed 002).
     */
    public record Outcome(String experiment, String row, double epsilon, String integrator, String nonlinear,
                          double trainOneStepPct, double testOneStepPct, int rolloutHorizon, double testRolloutPct,
                          double testTimeIntegratedLoss, double seconds, int bestStep, double[][] linearOperator,
                          JsonNode stability, Path dir) {
        /** The {@code compare} method name. */
        public String method() {
            return "spnode-" + integrator;
        }
    }

    /** One ε's figure: the test trajectory drawn, the fine truth and each integrator's forecast. */
    record Figure(Case study, double[] truthTimes, double[][] truth, double[] modelTimes, List<double[][]> predicted,
                  List<Outcome> outcomes) {
    }

    /** Everything a finished study produced. */
    public record Summary(List<Outcome> outcomes, Path out) {
        public Outcome outcome(double epsilon, String integrator) {
            return outcomes.stream().filter(o -> o.epsilon() == epsilon && o.integrator().equals(integrator)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no outcome for ε = " + epsilon + ", " + integrator));
        }
    }

    /**
     * Runs the study.
     *
     * @param linearConfig    sp-node config on transient-growth-linear (ε = 0)
     * @param nonlinearConfig sp-node config on transient-growth (ε = 1)
     * @param overrides       {@code key.path=value} settings applied to both configs (not model.integrator)
     * @param out             output directory
     */
    public static Summary run(Path linearConfig, Path nonlinearConfig, List<String> overrides, Path out) throws IOException {
        return run(linearConfig, nonlinearConfig, overrides, out, StudyListener.NONE);
    }

    /** The same, telling {@code listener} of each model's training. */
    public static Summary run(Path linearConfig, Path nonlinearConfig, List<String> overrides, Path out, StudyListener listener)
            throws IOException {
        List<Case> cases = List.of(plan(linearConfig, true, overrides), plan(nonlinearConfig, false, overrides));
        int runs = cases.stream().mapToInt(c -> c.runs().size()).sum();
        Files.createDirectories(out);
        List<Outcome> outcomes = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        for (Case c : cases) {
            TrainingData data = TrainingData.prepare(c.data());
            Path split = out.resolve(c.id() + "-data");
            Files.createDirectories(split);
            TrajectoryFiles.write(data.train(), split.resolve("train.npy"));
            TrajectoryFiles.write(data.validation(), split.resolve("validation.npy"));
            TrajectoryFiles.write(data.test(), split.resolve("test.npy"));
            List<Outcome> mine = new ArrayList<>();
            List<double[][]> predicted = new ArrayList<>();
            Trajectory shown = data.test().get(mostGrowing(data.test()));
            for (Run r : c.runs()) {
                Path dir = out.resolve(c.id() + "-" + r.integrator());
                LOG.info("{} {}: training {} steps into {}", c.row(), r.integrator(), r.config().training().steps(), dir);
                SpNodeTrainer.Result result = new SpNodeTrainer(r.config(), r.tree(), data, dir,
                        listener.training(outcomes.size() + mine.size() + 1, runs, c.id() + " " + r.integrator())).train();
                StructurePreservingNode deployed = result.model().withStep(deploymentStep(data.test()));
                Outcome o = outcome(c, r, deployed, data, result.metrics(), dir);
                LOG.info("{} {}: test one-step {}%, test rollout over {} steps {}%", c.row(), r.integrator(),
                        String.format(Locale.ROOT, "%.3f", o.testOneStepPct()), o.rolloutHorizon(),
                        String.format(Locale.ROOT, "%.3f", o.testRolloutPct()));
                mine.add(o);
                predicted.add(deployed.rollout(new double[][] {shown.states()[0]}, o.rolloutHorizon())[0]);
            }
            outcomes.addAll(mine);
            figures.add(figure(c, shown, deploymentStep(data.test()), predicted, mine));
        }
        StudyReport.write(outcomes, figures, out);
        koopman4j.charts.Figure norms = koopman4j.charts.Figures.transientGrowthNorms(); // seed 001 Fig. 2, why the study is hard
        norms.savePng(out.resolve(NORMS + ".png"));
        norms.saveSvg(out.resolve(NORMS + ".svg"));
        return new Summary(List.copyOf(outcomes), out);
    }

    /** Reads, overrides, binds and checks one ε's config for every integrator; refuses bad input before any training. */
    static Case plan(Path config, boolean linear, List<String> overrides) {
        String role = linear ? "linear config (ε = 0)" : "nonlinear config (ε = 1)";
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq > 0 && o.substring(0, eq).trim().equals(INTEGRATOR_KEY)) { // the key as ConfigLoader reads it
                throw new InvalidDataException("--set " + o.strip() + ": the study trains every integrator of " + INTEGRATORS
                        + " itself; leave " + INTEGRATOR_KEY + " out");
            }
        }
        JsonNode tree = ConfigLoader.tree(config, overrides);
        TrainConfig cfg = ConfigLoader.bind(tree, config.toString());
        if (!TrainConfig.Model.SP_NODE.equals(cfg.model().kind())) {
            throw new InvalidDataException(config + ": " + role + " must have model.kind sp-node, got '" + cfg.model().kind() + "'");
        }
        TransientGrowth system = system(config, role, linear, cfg.data());
        List<Run> runs = new ArrayList<>();
        for (String integrator : INTEGRATORS) {
            JsonNode own = tree.deepCopy();
            ((ObjectNode) own.get("model")).put("integrator", integrator);
            runs.add(new Run(integrator, own, ConfigLoader.bind(own, config.toString())));
        }
        return new Case(config, system, List.copyOf(runs));
    }

    private static TransientGrowth system(Path config, String role, boolean linear, TrainConfig.Data data) {
        String expected = linear ? "transient-growth-linear" : "transient-growth";
        if (data.system() == null || data.system().isBlank()) {
            throw new InvalidDataException(config + ": " + role + ": the study simulates its data; give data.system " + expected
                    + " instead of data.path");
        }
        ContinuousSystem s = BuiltInSystems.byName(data.system());
        if (!(s instanceof TransientGrowth tg) || (tg.epsilon() == 0) != linear) {
            throw new InvalidDataException(config + ": " + role + ": data.system is '" + data.system() + "', expected " + expected);
        }
        if (!data.observe().isEmpty()) {
            throw new InvalidDataException(config + ": " + role + ": data.observe must be empty; the study compares both states x1, x2");
        }
        return tg;
    }

    /** The data's uniform sample step, the Δt the models are deployed with. */
    private static double deploymentStep(TrajectorySet test) {
        double dt = test.uniformStep();
        if (!(dt > 0)) {
            throw new IllegalStateException("simulated test trajectories without a uniform step");
        }
        return dt;
    }

    private static Outcome outcome(Case c, Run r, StructurePreservingNode deployed, TrainingData data, ObjectNode metrics, Path dir) {
        int horizon = data.test().trajectories().stream().mapToInt(Trajectory::length).max().orElseThrow() - 1; // the whole trajectory
        return new Outcome(c.experiment(), c.row(), c.system().epsilon(), r.integrator(), r.config().model().nonlinear().kind(),
                ErrorMetrics.oneStepErrorPct(deployed, data.train()), ErrorMetrics.oneStepErrorPct(deployed, data.test()), horizon,
                ErrorMetrics.rolloutErrorPct(deployed, data.test(), horizon),
                metrics.path("test").path("time_integrated_loss").asDouble(Double.NaN), metrics.path("seconds").asDouble(Double.NaN),
                metrics.path("best_step").asInt(-1), deployed.linearOperator(), metrics.path("stability"), dir);
    }

    /**
     * The test trajectory whose norm rises most above its initial norm, max_k ‖x(t_k)‖ − ‖x(0)‖: the one that shows
     * the transient growth the study is about at a size that weighs in the Frobenius errors (the ratio
     * ‖x(t)‖ / ‖x(0)‖ would pick a state next to the origin); the first one on ties.
     */
    static int mostGrowing(TrajectorySet test) {
        int best = 0;
        double bestRise = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < test.size(); j++) {
            double[][] x = test.get(j).states();
            double rise = 0;
            for (double[] xk : x) {
                rise = Math.max(rise, norm(xk) - norm(x[0]));
            }
            if (rise > bestRise) {
                bestRise = rise;
                best = j;
            }
        }
        return best;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** The truth of the shown trajectory integrated finely from its first sample, beside each model's forecast. */
    private static Figure figure(Case c, Trajectory shown, double dt, List<double[][]> predicted, List<Outcome> outcomes) {
        int horizon = predicted.get(0).length;
        double end = horizon * dt;
        int fine = (int) Math.ceil(end / TRUTH_DT - 1e-9);
        double[] truthTimes = Simulator.uniformTimes(fine, end / fine);
        double[][] truth = new Simulator(c.system()).integrate(shown.states()[0], truthTimes);
        double[] modelTimes = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            modelTimes[k] = (k + 1) * dt;
        }
        return new Figure(c, truthTimes, truth, modelTimes, predicted, outcomes);
    }

    static String epsilonText(double epsilon) {
        return epsilon == Math.rint(epsilon) ? Long.toString((long) epsilon) : Double.toString(epsilon);
    }
}
