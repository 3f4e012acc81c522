package koopman4j.validation.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.metrics.Forecaster;
import koopman4j.core.metrics.OnDelayVectors;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import koopman4j.layers.DeepKoopman;
import koopman4j.systems.BuiltInSystems;
import koopman4j.systems.PartiallyObservedLinearSystem;
import koopman4j.trainer.DeepKoopmanTrainer;
import koopman4j.trainer.TrainingData;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;
import koopman4j.edmd.DictionaryKind;
import koopman4j.edmd.Edmd;
import koopman4j.edmd.MemoryBudget;
import koopman4j.edmd.ModelSelection;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs a {@link CompareConfig}: for every row, one data set and one split (the train config's
 * {@code data} section, prepared once by {@link TrainingData}); Deep DMD trained on it by
 * {@link DeepKoopmanTrainer} (validation trajectories pick the best step), and E-DMD swept by
 * {@link ModelSelection} per dictionary on the same train trajectories (validation trajectories for
 * the held-out rule). Every error comes from {@link ErrorMetrics}. Writes, under the output folder:
 * {@code results.csv}, {@code report.md}, {@code <experiment>-multistep.png} (Fig. 4's panels),
 * {@code <experiment>-<row>-<method>-eigenvalues.png}, and per row
 * {@code <experiment>/<row>/{data/, ddmd/, edmd-<dictionary>[-heldout]/, selection.csv, <method>-eigen.json}}.
 */
public final class Comparison {

    private static final Logger LOG = LogManager.getLogger(Comparison.class);
    static final String DDMD = "ddmd";
    static final String EDMD = "edmd";
    /** Suffix of the E-DMD methods chosen by held-out error (the bare name is the paper's rule). */
    static final String HELD_OUT = "-heldout";

    /** A row checked and ready to run: its train config tree (data source still to be set for POLS) and E-DMD grid. */
    record PlannedRow(String experiment, CompareConfig.Row row, Path trainConfig, JsonNode tree,
                      ModelSelection.Grid grid, int stateDimension, List<List<String>> figureStates, String where) {
    }

    /** All the rows of a config, checked. */
    record Plan(CompareConfig config, List<PlannedRow> rows) {
    }

    /**
     * One line of results.csv; {@code selected} describes the model (e.g. "legendre degree 3 (120 functions), λ = 0.001·λ_max");
     * {@code spectralRadius} and {@code gamma} are ρ(K) and γ(K) (NaN when K is larger than eigenMaxSize);
     * {@code rolloutByHorizon} the test rollout error at each of the config's errorHorizons.
     */
    public record MethodResult(String experiment, String row, String method, double trainOneStepPct, double testOneStepPct,
                               int rolloutHorizon, double testRolloutPct, double seconds, String selected, double spectralRadius,
                               double gamma, Map<Integer, Double> rolloutByHorizon) {
        public MethodResult {
            rolloutByHorizon = Collections.unmodifiableMap(new LinkedHashMap<>(rolloutByHorizon));
        }
    }

    /** The truth and each method's rollout on one test trajectory from its first sample (Fig. 4). */
    record Rollouts(String experiment, String row, List<String> names, double[] times, double[][] truth,
                    Map<String, double[][]> predicted) {
    }

    /** The information bound of a POLS row ({@link PolsBound}), NaN for other rows. */
    record Bound(String experiment, String row, double oneStepPct) {
    }

    /** Everything a finished run produced. */
    public record Summary(List<MethodResult> results, Path out) {
    }

    /** Hears where a comparison is, for a progress display: each method starting on a row, and Deep DMD's training. */
    public interface Listener {
        Listener NONE = new Listener() { };

        /** {@code method} (e.g. "D-DMD", "E-DMD legendre") starts on row {@code row} (from 1) of {@code rows}, {@code label}. */
        default void started(int row, int rows, String label, String method) {
        }

        /** Hears the training of the Deep DMD model that {@link #started} last announced. */
        default TrainingListener training() {
            return TrainingListener.NONE;
        }
    }

    private Comparison() {
    }

    /** Reads and checks a compare config, then runs it into {@code out}. */
    public static Summary run(Path configFile, Path out, List<String> methodsOverride) throws IOException {
        return run(configFile, out, methodsOverride, Listener.NONE);
    }

    /** The same, telling {@code listener} where the run is. */
    public static Summary run(Path configFile, Path out, List<String> methodsOverride, Listener listener) throws IOException {
        CompareConfig config = ConfigLoader.load(configFile, CompareConfig.class);
        if (methodsOverride != null && !methodsOverride.isEmpty()) {
            config = new CompareConfig(methodsOverride, config.rolloutHorizon(), config.eigenMaxSize(), config.errorHorizons(),
                    config.experiments());
        }
        return run(validate(config, configFile), out, listener);
    }

    /** Checks every field of {@code config} (train configs, overrides, dictionaries, λ, memory) before any work. */
    static Plan validate(CompareConfig config, Path configFile) {
        String src = configFile.toString();
        for (String m : config.methods()) {
            if (!DDMD.equals(m) && !EDMD.equals(m)) {
                throw new InvalidDataException(src + ": methods: unknown method '" + m + "'; expected ddmd and/or edmd");
            }
        }
        if (config.methods().isEmpty()) {
            throw new InvalidDataException(src + ": methods is empty; expected ddmd and/or edmd");
        }
        if (config.rolloutHorizon() < 1) {
            throw new InvalidDataException(src + ": rolloutHorizon must be at least 1, got " + config.rolloutHorizon());
        }
        for (int i = 0; i < config.errorHorizons().size(); i++) {
            int h = config.errorHorizons().get(i);
            if (h < 1) {
                throw new InvalidDataException(src + ": errorHorizons must be at least 1, got " + h);
            }
            if (config.errorHorizons().indexOf(h) < i) {
                throw new InvalidDataException(src + ": errorHorizons lists " + h + " twice");
            }
        }
        if (config.experiments().isEmpty()) {
            throw new InvalidDataException(src + ": experiments is empty");
        }
        Path base = configFile.toAbsolutePath().getParent();
        List<PlannedRow> rows = new ArrayList<>();
        Set<String> experiments = new HashSet<>();
        for (CompareConfig.Experiment e : config.experiments()) {
            String at = src + ": experiments[" + e.name() + "]";
            checkName(at, e.name());
            if (!experiments.add(e.name())) {
                throw new InvalidDataException(at + ": the experiment name is used twice");
            }
            if (e.rows().isEmpty()) {
                throw new InvalidDataException(at + ": rows is empty");
            }
            for (List<String> group : e.figureStates()) {
                if (group.isEmpty() || group.size() > Charts.MAX_STATES) {
                    throw new InvalidDataException(at + ".figureStates: a panel needs 1 to " + Charts.MAX_STATES + " states, got " + group);
                }
            }
            Set<String> names = new HashSet<>();
            for (CompareConfig.Row r : e.rows()) {
                String rowAt = at + ".rows[" + r.name() + "]";
                checkName(rowAt, r.name());
                if (!names.add(r.name())) {
                    throw new InvalidDataException(rowAt + ": the row name is used twice");
                }
                rows.add(plan(config, e, r, base, rowAt));
            }
        }
        return new Plan(config, rows);
    }

    private static PlannedRow plan(CompareConfig config, CompareConfig.Experiment e, CompareConfig.Row r, Path base, String at) {
        Path train = base.resolve(r.train()).normalize();
        if (!Files.isRegularFile(train)) {
            throw new InvalidDataException(at + ".train: no such train config " + train);
        }
        JsonNode tree;
        TrainConfig cfg;
        try {
            tree = ConfigLoader.tree(train, r.set());
            if (r.pols() != null) {
                useFile((ObjectNode) tree.get("data"), "pols.npy"); // the real file is written when the row runs
            }
            cfg = ConfigLoader.bind(tree, train.toString());
        } catch (InvalidDataException bad) {
            throw new InvalidDataException(at + ": " + bad.getMessage(), bad);
        }
        int n;
        if (r.pols() != null) {
            CompareConfig.Pols p = r.pols();
            if (p.nodes() == null || p.latentFraction() == null || p.trajectories() == null || p.steps() == null || p.seed() == null) {
                throw new InvalidDataException(at + ".pols: give nodes, latentFraction, trajectories, steps and seed");
            }
            try {
                PartiallyObservedLinearSystem.Options.of(p.nodes(), p.latentFraction(), p.seed());
            } catch (InvalidDataException bad) {
                throw new InvalidDataException(at + ".pols: " + bad.getMessage(), bad);
            }
            if (p.trajectories() < 3 || p.steps() < 1) {
                throw new InvalidDataException(at + ".pols: need trajectories ≥ 3 and steps ≥ 1, got " + p.trajectories() + " and " + p.steps());
            }
            n = p.nodes() - (int) Math.round(p.latentFraction() * p.nodes());
        } else if (cfg.data().system() != null && !cfg.data().system().isBlank()) {
            try {
                n = cfg.data().observe().isEmpty() ? BuiltInSystems.byName(cfg.data().system()).dimension() : cfg.data().observe().size();
            } catch (InvalidDataException bad) {
                throw new InvalidDataException(at + ": " + bad.getMessage(), bad);
            }
        } else {
            n = -1; // a data file: its dimension is known once read; ModelSelection then skips what does not fit
        }
        ModelSelection.Grid grid = null;
        if (config.methods().contains(EDMD)) {
            CompareConfig.EdmdSweep sweep = r.edmd() != null ? r.edmd() : e.edmd();
            String sweepAt = at + (r.edmd() != null ? ".edmd" : " (experiment's edmd)");
            if (sweep == null) {
                throw new InvalidDataException(at + ": no edmd sweep (give one for the experiment or the row)");
            }
            grid = grid(sweep, n, sweepAt);
        }
        return new PlannedRow(e.name(), r, train, tree, grid, n, e.figureStates(), at);
    }

    /** The sweep as a grid; each (dictionary, size) checked for range and, when n is known, for memory. */
    private static ModelSelection.Grid grid(CompareConfig.EdmdSweep sweep, int n, String at) {
        try {
            List<DictionaryKind> kinds = sweep.dictionaries().stream().map(DictionaryKind::parse).toList();
            ModelSelection.Grid grid = new ModelSelection.Grid(kinds, sweep.degrees(), sweep.centres(), sweep.angles(),
                    sweep.lambdaFractions(), sweep.tikhonov(), sweep.seed());
            if (n > 0 && kinds.stream().anyMatch(DictionaryKind::needsAngles)) {
                for (int angle : grid.angles()) {
                    if (angle < 1 || angle > n) {
                        throw new InvalidDataException("angles: state " + angle + " does not exist; the states are numbered 1 … " + n);
                    }
                }
            }
            double lambda = grid.lambdaFractions().get(0) > 0 ? 1 : 0; // FISTA needs more memory than least squares
            for (DictionaryKind k : kinds) {
                for (int size : k.sizedByDegree() ? grid.degrees() : grid.centres()) {
                    Edmd.Options o = new Edmd.Options(k, k.sizedByDegree() ? size : 0, k.sizedByDegree() ? 0 : size, grid.angles(), lambda,
                            grid.tikhonov(), grid.seed());
                    if (n > 0) {
                        MemoryBudget.check(o, n);
                    }
                }
            }
            return grid;
        } catch (InvalidDataException bad) {
            throw new InvalidDataException(at + ": " + bad.getMessage(), bad);
        }
    }

    private static void checkName(String at, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new InvalidDataException(at + ": name '" + name + "' must be letters, digits, '.', '_' or '-' (it names files)");
        }
    }

    private static void useFile(ObjectNode data, String path) {
        data.putNull("system");
        data.put("path", path);
    }

    /** Runs every row of a checked plan and writes the results. */
    static Summary run(Plan plan, Path out) throws IOException {
        return run(plan, out, Listener.NONE);
    }

    static Summary run(Plan plan, Path out, Listener listener) throws IOException {
        Files.createDirectories(out);
        List<MethodResult> results = new ArrayList<>();
        List<Rollouts> rollouts = new ArrayList<>();
        List<RowSelection> selections = new ArrayList<>();
        List<Bound> bounds = new ArrayList<>();
        Report report = new Report(plan, out);
        int index = 0;
        for (PlannedRow p : plan.rows()) {
            index++;
            LOG.info("compare: row {}/{}: {} / {}", index, plan.rows().size(), p.experiment(), p.row().name());
            RowRun run = runRow(plan.config(), p, out, listener, index, plan.rows().size());
            results.addAll(run.results());
            rollouts.add(run.rollouts());
            if (run.selection() != null) {
                selections.add(run.selection());
            }
            bounds.add(run.bound());
            report.write(results, rollouts, selections, bounds); // partial results survive an interrupted run
        }
        LOG.info("compare: wrote {} and {}", out.resolve(Report.RESULTS), out.resolve(Report.REPORT));
        return new Summary(results, out);
    }

    /** The candidates each rule chose, per dictionary, for the report (the models themselves are saved and dropped). */
    record RowSelection(String experiment, String row, Map<DictionaryKind, Chosen> byDictionary) {
    }

    /** The seed's rule's and the held-out rule's candidates of one dictionary's sweep. */
    record Chosen(ModelSelection.Candidate paper, ModelSelection.Candidate heldOut) {
    }

    private record RowRun(List<MethodResult> results, Rollouts rollouts, RowSelection selection, Bound bound) {
    }

    private static RowRun runRow(CompareConfig config, PlannedRow p, Path out, Listener listener, int index, int rows) throws IOException {
        Path dir = out.resolve(p.experiment()).resolve(p.row().name());
        JsonNode tree = p.tree().deepCopy();
        TrainingData data = prepareData(p, tree, dir);
        TrainConfig cfg = ConfigLoader.bind(tree, p.trainConfig().toString());
        // E-DMD sees the same states as the row's Deep DMD model: its delay vectors, if it has them
        DelayEmbedding embedding = new DelayEmbedding(cfg.model().delays().count(), cfg.model().delays().lag());
        LOG.info("compare: {} / {}: {}; {} train, {} validation, {} test trajectories", p.experiment(), p.row().name(),
                data.description(), data.train().size(), data.validation().size(), data.test().size());
        checkFigureStates(p, data.test().names());
        writeSplit(data, dir.resolve("data"));
        int horizon = effectiveHorizon(data.test(), config.rolloutHorizon());
        List<MethodResult> results = new ArrayList<>();
        Map<String, Forecaster> figureModels = new LinkedHashMap<>();
        String label = p.experiment() + "-" + p.row().name();

        if (config.methods().contains(DDMD)) {
            LOG.info("compare: {}: training Deep DMD ({})", label, p.trainConfig());
            listener.started(index, rows, label, "D-DMD");
            long t0 = System.nanoTime();
            DeepKoopman model = new DeepKoopmanTrainer(cfg, tree, data, dir.resolve(DDMD), listener.training()).train(null).model();
            double seconds = (System.nanoTime() - t0) / 1e9;
            results.add(result(config, p, DDMD, model, model.liftedDimension(), model, data, horizon, seconds, String.format(Locale.ROOT,
                    "%d-function deep dictionary", model.liftedDimension()) + onStates(embedding)));
            EigenReport.write(model.koopmanMatrix(), "ψ = [(x − mean)/scale, N_θ((x − mean)/scale)], "
                    + model.liftedDimension() + " functions", config.eigenMaxSize(), label + " " + DDMD,
                    dir.resolve(DDMD + "-eigen.json"), out.resolve(label + "-" + DDMD + "-eigenvalues.png"));
            figureModels.put(DDMD, model);
        }

        RowSelection selection = null;
        if (config.methods().contains(EDMD)) {
            Map<DictionaryKind, Chosen> byDictionary = new LinkedHashMap<>();
            List<ModelSelection.Candidate> candidates = new ArrayList<>();
            ModelSelection.Choice bestPaper = null;
            for (DictionaryKind kind : p.grid().dictionaries()) {
                LOG.info("compare: {}: E-DMD sweep, {} dictionary", label, kind.id());
                listener.started(index, rows, label, "E-DMD " + kind.id());
                ModelSelection.Grid g = new ModelSelection.Grid(List.of(kind), p.grid().degrees(), p.grid().centres(), p.grid().angles(),
                        p.grid().lambdaFractions(), p.grid().tikhonov(), p.grid().seed());
                long t0 = System.nanoTime();
                ModelSelection.Result r;
                try {
                    r = ModelSelection.sweep(embedding.embed(data.train()), embedding.embed(data.validation()), g);
                } catch (InvalidDataException noCandidate) {
                    LOG.warn("compare: {}: {} dictionary skipped: {}", label, kind.id(), noCandidate.getMessage());
                    continue;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                byDictionary.put(kind, new Chosen(r.paper().candidate(), r.heldOut().candidate()));
                candidates.addAll(r.candidates());
                String method = EDMD + "-" + kind.id();
                for (var choice : List.of(Map.entry(method, r.paper()), Map.entry(method + HELD_OUT, r.heldOut()))) {
                    Edmd model = choice.getValue().model();
                    model.save(dir.resolve(choice.getKey()).resolve("model"));
                    results.add(result(config, p, choice.getKey(), model, model.dictionary().size(), scored(model, embedding, data),
                            data, horizon, seconds, describe(choice.getValue()) + onStates(embedding)));
                    EigenReport.write(model.koopman(), model.dictionary().description(), config.eigenMaxSize(),
                            label + " " + choice.getKey(), dir.resolve(choice.getKey() + "-eigen.json"),
                            out.resolve(label + "-" + choice.getKey() + "-eigenvalues.png"));
                }
                if (bestPaper == null || r.paper().candidate().trainOneStepPct() < bestPaper.candidate().trainOneStepPct()) {
                    bestPaper = r.paper();
                }
            }
            writeCandidates(candidates, dir.resolve("selection.csv"));
            selection = new RowSelection(p.experiment(), p.row().name(), byDictionary);
            if (bestPaper != null) {
                figureModels.put(EDMD, scored(bestPaper.model(), embedding, data));
            }
        }
        double bound = Double.NaN;
        // the bound conditions on the observed state alone; delay vectors determine the latent nodes (no bound)
        if (p.row().pols() != null && embedding.delays() == 0) {
            CompareConfig.Pols pols = p.row().pols();
            bound = PolsBound.oneStepPct(PartiallyObservedLinearSystem.generate(
                    PartiallyObservedLinearSystem.Options.of(pols.nodes(), pols.latentFraction(), pols.seed())), pols.steps());
            LOG.info(String.format(Locale.ROOT, "compare: %s: no forecaster from the observed state alone can expect less than %.2f%% one-step error",
                    label, bound));
        }
        return new RowRun(results, rollouts(p, data.test(), figureModels), selection, new Bound(p.experiment(), p.row().name(), bound));
    }

    /** The row's data and split (as the trainer makes them); a POLS is simulated, written and set as {@code tree}'s data.path. */
    private static TrainingData prepareData(PlannedRow p, JsonNode tree, Path dir) throws IOException {
        if (p.row().pols() != null) {
            CompareConfig.Pols pols = p.row().pols();
            PartiallyObservedLinearSystem system = PartiallyObservedLinearSystem.generate(
                    PartiallyObservedLinearSystem.Options.of(pols.nodes(), pols.latentFraction(), pols.seed()));
            TrajectorySet all = system.simulate(pols.trajectories(), pols.steps(), pols.seed() + 1);
            Path file = dir.resolve("data").resolve("pols.npy");
            Files.createDirectories(file.getParent());
            TrajectoryFiles.write(all, file);
            useFile((ObjectNode) tree.get("data"), file.toString());
        }
        return TrainingData.prepare(ConfigLoader.bind(tree, p.trainConfig().toString()).data());
    }

    private static void writeSplit(TrainingData data, Path dir) throws IOException {
        Files.createDirectories(dir);
        TrajectoryFiles.write(data.train(), dir.resolve("train.npy"));
        TrajectoryFiles.write(data.validation(), dir.resolve("validation.npy"));
        TrajectoryFiles.write(data.test(), dir.resolve("test.npy"));
    }

    /** h, or fewer steps when no test trajectory is that long (ErrorMetrics then rolls out over their length). */
    /** An E-DMD model as a forecaster of the measured states (of the current ones, when fitted to delay vectors). */
    private static Forecaster scored(Edmd model, DelayEmbedding embedding, TrainingData data) {
        return embedding.delays() == 0 ? model : new OnDelayVectors(model, embedding, data.train().dimension());
    }

    static int effectiveHorizon(TrajectorySet test, int horizon) {
        int longest = test.trajectories().stream().mapToInt(t -> t.length() - 1).max().orElse(0);
        return Math.min(horizon, longest);
    }

    /**
     * The errors of {@code model} (as it forecasts the measured states) and the stability certificate of
     * {@code koopman}'s K ({@code functions} × {@code functions}), skipped (NaN) above eigenMaxSize like the eigen report.
     */
    private static MethodResult result(CompareConfig config, PlannedRow p, String method, KoopmanModel koopman, int functions,
                                       Forecaster model, TrainingData data, int horizon, double seconds, String selected) {
        double train = ErrorMetrics.oneStepErrorPct(model, data.train());
        double test = ErrorMetrics.oneStepErrorPct(model, data.test());
        int[] horizons = IntStream.concat(IntStream.of(horizon),
                config.errorHorizons().stream().mapToInt(Integer::intValue)).distinct().toArray();
        Map<Integer, Double> rollouts = ErrorMetrics.rolloutErrorPct(model, data.test(), horizons);
        Map<Integer, Double> byHorizon = new LinkedHashMap<>();
        config.errorHorizons().forEach(h -> byHorizon.put(h, rollouts.get(h)));
        double rho = Double.NaN;
        double gamma = Double.NaN;
        String certificate = "no certificate: K has more than eigenMaxSize = " + config.eigenMaxSize() + " functions";
        if (functions <= config.eigenMaxSize()) {
            StabilityCertificate c = koopman.stability();
            rho = c.spectralBound();
            gamma = Double.isFinite(c.distance().exact()) ? c.distance().exact() : c.distance().upper();
            certificate = c.toString();
        }
        LOG.info(String.format(Locale.ROOT, "compare: %s / %s / %s: one-step train %.3f%%, test %.3f%%, rollout@%d %.2f%% (%.1f s; %s); %s",
                p.experiment(), p.row().name(), method, train, test, horizon, rollouts.get(horizon), seconds, selected, certificate));
        return new MethodResult(p.experiment(), p.row().name(), method, train, test, horizon, rollouts.get(horizon), seconds, selected,
                rho, gamma, byHorizon);
    }

    /** Every name of the experiment's figureStates must be a state of the row's data (known once the data is made or read). */
    private static void checkFigureStates(PlannedRow p, List<String> names) {
        for (List<String> group : p.figureStates()) {
            for (String name : group) {
                if (!names.contains(name)) {
                    throw new InvalidDataException(p.where() + ": figureStates: '" + name + "' is not a state of the row's data ("
                            + String.join(", ", names) + ")");
                }
            }
        }
    }

    static String describe(ModelSelection.Choice c) {
        Edmd.Options o = c.candidate().options();
        String size = o.dictionary().sizedByDegree() ? "degree " + o.degree() : o.centres() + " centres";
        return String.format(Locale.ROOT, "%s %s (%d functions), λ = %s·λ_max", o.dictionary().id(), size,
                c.model().dictionary().size(), number(c.candidate().lambdaFraction()));
    }

    /** What a row's models see, when it is not the measured state itself. */
    static String onStates(DelayEmbedding embedding) {
        return embedding.delays() == 0 ? ""
                : String.format(Locale.ROOT, " on delay vectors (d = %d, τ = %d)", embedding.delays(), embedding.lag());
    }

    static String number(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static void writeCandidates(List<ModelSelection.Candidate> candidates, Path file) throws IOException {
        StringBuilder s = new StringBuilder("dictionary,degree,centres,lambda_fraction,lambda,train_one_step_pct,heldout_one_step_pct,failure\n");
        for (ModelSelection.Candidate c : candidates) {
            Edmd.Options o = c.options();
            s.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%s,%s,%s%n", o.dictionary().id(), o.degree(), o.centres(),
                    c.lambdaFraction(), o.lambda(), c.trainOneStepPct(), c.heldOutOneStepPct(),
                    c.failure() == null ? "" : '"' + c.failure().replace("\"", "'") + '"'));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, s);
    }

    /**
     * Every model's rollout over the first test trajectory from its first sample (Fig. 4); a model with a
     * delay embedding starts from its first delay vector, and the samples that vector holds are shown as given.
     */
    private static Rollouts rollouts(PlannedRow p, TrajectorySet test, Map<String, Forecaster> models) {
        var t = test.get(0);
        Map<String, double[][]> predicted = new LinkedHashMap<>();
        for (var m : models.entrySet()) {
            var own = m.getValue().prepare(new TrajectorySet(test.names(), List.of(t))).get(0);
            int given = t.length() - own.length() + 1;
            double[][][] r = m.getValue().rollout(new double[][] {own.states()[0]}, own.length() - 1);
            double[][] path = new double[t.length()][];
            System.arraycopy(t.states(), 0, path, 0, given);
            System.arraycopy(r[0], 0, path, given, own.length() - 1);
            predicted.put(m.getKey(), path);
        }
        return new Rollouts(p.experiment(), p.row().name(), test.names(), t.times(), t.states(), predicted);
    }
}
