package koopman4j.validation.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import koopman4j.edmd.DictionaryKind;

/**
 * Writes {@code results.csv} (ARCHITECTURE.md "Comparison results"), {@code report.md} in the layout of
 * seed 000 Table 1 with the seed's figures beside ours, and the Fig. 4 panels of each experiment.
 */
public final class Report {

    public static final String RESULTS = "results.csv";
    static final String REPORT = "report.md";
    /** The columns every results.csv of {@code compare} and of the studies starts with. */
    public static final String HEADER = "experiment,row,method,train_one_step_pct,test_one_step_pct,rollout_horizon,test_rollout_pct,seconds";
    /** compare's columns after {@link #HEADER}: the stability certificate, then one per errorHorizons entry. */
    static final String CERTIFICATE = "spectral_radius,gamma_k";

    private final Comparison.Plan plan;
    private final Path out;

    Report(Comparison.Plan plan, Path out) {
        this.plan = plan;
        this.out = out;
    }

    void write(List<Comparison.MethodResult> results, List<Comparison.Rollouts> rollouts, List<Comparison.RowSelection> selections,
               List<Comparison.Bound> bounds) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append(',').append(CERTIFICATE);
        plan.config().errorHorizons().forEach(h -> csv.append(",test_rollout_pct_").append(h));
        csv.append('\n');
        for (Comparison.MethodResult r : results) {
            csv.append(String.join(",", r.experiment(), r.row(), r.method(), num(r.trainOneStepPct()), num(r.testOneStepPct()),
                    Integer.toString(r.rolloutHorizon()), num(r.testRolloutPct()), num(r.seconds()), num(r.spectralRadius()),
                    num(r.gamma())));
            r.rolloutByHorizon().values().forEach(v -> csv.append(',').append(num(v)));
            csv.append('\n');
        }
        Files.writeString(out.resolve(RESULTS), csv);
        StringBuilder md = new StringBuilder();
        md.append("# D-DMD vs E-DMD (seed 000, Table 1 and Fig. 4)\n\n");
        md.append("One-step error 100·‖X̂₊ − X₊‖_F / ‖X₊‖_F over all one-step pairs (koopman4j.core.metrics.ErrorMetrics), on the train "
                + "and the held-out test trajectories of one split shared by both methods; the seed's figure in brackets. ")
                .append("D-DMD: the trainer's best step on the validation trajectories. E-DMD: the seed's rule (lowest one-step "
                        + "*training* error over dictionaries, sizes and λ); the choice on the validation trajectories is shown "
                        + "beside it. Seconds: D-DMD training; E-DMD the whole sweep of "
                        + "that dictionary (both rules come from one sweep). Rollout: the test trajectories from their first "
                        + "sample (ψ_k = K^k ψ(x₀)). ρ(K): spectral radius of the Koopman matrix; γ(K): its distance to the "
                        + "nearest matrix with an eigenvalue on the unit circle (Byers' bisection, seed 002; 0 when ρ(K) ≥ 1). "
                        + "Models on delay vectors [y_k, y_{k−τ}, …, y_{k−dτ}] (both methods of a "
                        + "row see the same states) forecast y and are scored, and rolled out, from sample dτ on.\n\n");
        for (CompareConfig.Experiment e : plan.config().experiments()) {
            experiment(md, e, results, rollouts, selections, bounds);
        }
        Files.writeString(out.resolve(REPORT), md);
    }

    private void experiment(StringBuilder md, CompareConfig.Experiment e, List<Comparison.MethodResult> results,
                            List<Comparison.Rollouts> rollouts, List<Comparison.RowSelection> selections,
                            List<Comparison.Bound> bounds) throws IOException {
        List<CompareConfig.Row> done = e.rows().stream()
                .filter(r -> results.stream().anyMatch(m -> m.experiment().equals(e.name()) && m.row().equals(r.name()))).toList();
        if (done.isEmpty()) {
            return;
        }
        md.append("## ").append(e.name()).append("\n\n");
        boolean withBound = e.rows().stream().anyMatch(r -> r.pols() != null);
        md.append("| ").append(e.rowLabel()).append(" | E-DMD train | E-DMD test | D-DMD train | D-DMD test |")
                .append(withBound ? " best possible |\n|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|\n");
        List<String> notes = new ArrayList<>();
        for (CompareConfig.Row r : done) {
            CompareConfig.Paper paper = r.paper() == null ? new CompareConfig.Paper(null, null, null, null) : r.paper();
            Optional<Comparison.MethodResult> edmd = overall(e.name(), r.name(), results, selections, false);
            Optional<Comparison.MethodResult> ddmd = find(results, e.name(), r.name(), Comparison.DDMD);
            md.append("| ").append(r.name())
                    .append(" | ").append(cell(edmd.map(Comparison.MethodResult::trainOneStepPct), paper.edmdTrain()))
                    .append(" | ").append(cell(edmd.map(Comparison.MethodResult::testOneStepPct), paper.edmdTest()))
                    .append(" | ").append(cell(ddmd.map(Comparison.MethodResult::trainOneStepPct), paper.ddmdTrain()))
                    .append(" | ").append(cell(ddmd.map(Comparison.MethodResult::testOneStepPct), paper.ddmdTest()));
            if (withBound) {
                md.append(" | ").append(bounds.stream().filter(b -> b.experiment().equals(e.name()) && b.row().equals(r.name()))
                        .findFirst().map(b -> Double.isNaN(b.oneStepPct()) ? "—" : pct(b.oneStepPct()) + "%").orElse("—"));
            }
            md.append(" |\n");
            edmd.ifPresent(m -> notes.add(r.name() + ": " + m.method() + ", " + m.selected()));
        }
        if (!notes.isEmpty()) {
            md.append("\nE-DMD by the seed's rule: ").append(String.join("; ", notes)).append(".\n");
        }
        if (withBound) {
            md.append("\nBest possible: the expected one-step error of the best forecaster of y_{k+1} from the observed y_k "
                    + "alone, even knowing k (x₀ ~ N(0, I) makes (y_k, y_{k+1}) Gaussian, so it is the linear conditional mean); "
                    + "no dictionary of y_k, learned or not, can go below it (koopman4j.validation.compare.PolsBound); "
                    + "none for models on delay vectors, which can determine the latent nodes.\n");
        }
        md.append("\n### Test rollout from the first sample, and E-DMD chosen on held-out trajectories\n\n");
        md.append("| ").append(e.rowLabel()).append(" | method | model | train | test | rollout | ρ(K) | γ(K) | seconds |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (CompareConfig.Row r : done) {
            List<Comparison.MethodResult> lines = new ArrayList<>();
            find(results, e.name(), r.name(), Comparison.DDMD).ifPresent(lines::add);
            overall(e.name(), r.name(), results, selections, false).ifPresent(lines::add);
            overall(e.name(), r.name(), results, selections, true).ifPresent(lines::add);
            for (Comparison.MethodResult m : lines) {
                md.append(line(m));
            }
        }
        md.append("\n<details><summary>Every dictionary (seed's rule and held-out rule)</summary>\n\n");
        md.append("| ").append(e.rowLabel()).append(" | method | model | train | test | rollout | ρ(K) | γ(K) | seconds |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (Comparison.MethodResult m : results) {
            if (m.experiment().equals(e.name()) && m.method().startsWith(Comparison.EDMD)) {
                md.append(line(m));
            }
        }
        md.append("\nEvery candidate of the sweeps: `").append(e.name()).append("/<row>/selection.csv`.\n\n</details>\n\n");
        List<Integer> horizons = plan.config().errorHorizons();
        if (!horizons.isEmpty()) {
            md.append("### Test rollout error against horizon\n\nEvery method, the test trajectories from their first sample; "
                    + "error over the first h steps.\n\n| ").append(e.rowLabel()).append(" | method |");
            horizons.forEach(h -> md.append(" h = ").append(h).append(" |"));
            md.append("\n|---|---|").append("---|".repeat(horizons.size())).append('\n');
            for (Comparison.MethodResult m : results) {
                if (m.experiment().equals(e.name())) {
                    md.append("| ").append(m.row()).append(" | ").append(m.method()).append(" |");
                    m.rolloutByHorizon().values().forEach(v -> md.append(' ').append(pct(v)).append("% |"));
                    md.append('\n');
                }
            }
            String png = e.name() + "-horizons.png";
            Charts.errorAgainstHorizon(e.name(), results.stream().filter(m -> m.experiment().equals(e.name())).toList(), out.resolve(png));
            md.append("\n![").append(e.name()).append(" error against horizon](").append(png).append(")\n\n");
        }

        List<Comparison.Rollouts> rows = rollouts.stream().filter(x -> x.experiment().equals(e.name())).toList();
        if (e.figure() && !rows.isEmpty()) {
            String png = e.name() + "-multistep.png";
            List<String> methods = List.of(Comparison.EDMD, Comparison.DDMD).stream().filter(plan.config().methods()::contains).toList();
            Charts.multistep(e.name(), rows, methods, e.figureStates(), out.resolve(png));
            md.append("### Multi-step prediction from one time point (Fig. 4)\n\n")
                    .append("First test trajectory (an initial state no model trained on), rolled out from its first sample; "
                            + "E-DMD (seed's rule) on top, D-DMD below; truth dashed.\n\n![").append(e.name()).append(" multi-step](").append(png).append(")\n\n");
        }
        md.append("### Koopman eigenvalues\n\n");
        for (Comparison.MethodResult m : results) {
            String png = m.experiment() + "-" + m.row() + "-" + m.method() + "-eigenvalues.png";
            if (m.experiment().equals(e.name()) && Files.exists(out.resolve(png))) {
                md.append("[").append(m.row()).append(" ").append(m.method()).append("](").append(png).append(") ");
            }
        }
        md.append("\n\nEigenvalues and eigenfunction coefficients: `").append(e.name()).append("/<row>/<method>-eigen.json`.\n\n");
    }

    /**
     * The row's E-DMD over all dictionaries: the seed's rule (lowest training error) or, with
     * {@code heldOut}, the lowest validation error.
     */
    private static Optional<Comparison.MethodResult> overall(String experiment, String row, List<Comparison.MethodResult> results,
                                                             List<Comparison.RowSelection> selections, boolean heldOut) {
        return selections.stream().filter(s -> s.experiment().equals(experiment) && s.row().equals(row)).findFirst()
                .flatMap(s -> s.byDictionary().entrySet().stream()
                        .min(Comparator.comparingDouble((Map.Entry<DictionaryKind, Comparison.Chosen> x) -> heldOut
                                ? x.getValue().heldOut().heldOutOneStepPct()
                                : x.getValue().paper().trainOneStepPct())))
                .flatMap(best -> find(results, experiment, row,
                        Comparison.EDMD + "-" + best.getKey().id() + (heldOut ? Comparison.HELD_OUT : "")));
    }

    private static String line(Comparison.MethodResult m) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %.3f%% | %.3f%% | %s%% @%d | %s | %s | %.1f |%n", m.row(), m.method(),
                m.selected(), m.trainOneStepPct(), m.testOneStepPct(), pct(m.testRolloutPct()), m.rolloutHorizon(),
                Double.isNaN(m.spectralRadius()) ? "—" : String.format(Locale.ROOT, "%.5f", m.spectralRadius()),
                Double.isNaN(m.gamma()) ? "—" : String.format(Locale.ROOT, "%.3g", m.gamma()), m.seconds());
    }

    private static Optional<Comparison.MethodResult> find(List<Comparison.MethodResult> results, String experiment, String row, String method) {
        return results.stream().filter(m -> m.experiment().equals(experiment) && m.row().equals(row) && m.method().equals(method)).findFirst();
    }

    private static String cell(Optional<Double> ours, String paper) {
        String s = ours.map(v -> pct(v) + "%").orElse("—");
        return paper == null ? s : s + " (" + paper + ")";
    }

    private static String pct(double v) {
        return !Double.isFinite(v) ? String.valueOf(v) : v < 10 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
}
