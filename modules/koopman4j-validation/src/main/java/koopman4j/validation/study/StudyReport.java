package koopman4j.validation.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import koopman4j.systems.TransientGrowth;
import koopman4j.trainer.config.TrainConfig;
import koopman4j.validation.compare.Report;

/**
 * Writes what {@link TransientGrowthStudy} measured: {@code results.csv} with the {@code compare} columns
 * (ARCHITECTURE.md "Comparison results"), {@code report.md} (ETD1 vs IMEX per ε, A_L beside A_bump, the
 * stability certificate) and one PNG per ε in the layout of seed 001 Figs. 3–4.
 */
final class StudyReport {

    static final String RESULTS = Report.RESULTS;
    static final String REPORT = "report.md";
    /** The columns of {@code compare}'s results.csv. */
    static final String HEADER = Report.HEADER;

    private StudyReport() {
    }

    static void write(List<TransientGrowthStudy.Outcome> outcomes, List<TransientGrowthStudy.Figure> figures, Path out)
            throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (TransientGrowthStudy.Outcome o : outcomes) {
            csv.append(String.join(",", o.experiment(), o.row(), o.method(), num(o.trainOneStepPct()), num(o.testOneStepPct()),
                    Integer.toString(o.rolloutHorizon()), num(o.testRolloutPct()), num(o.seconds()))).append('\n');
        }
        Files.writeString(out.resolve(RESULTS), csv);

        StringBuilder md = new StringBuilder("# Transient growth: ETD1 vs IMEX (seed 001 §5.1, Figs. 3–4)\n\n");
        md.append("dx/dt = A_bump x + ε·sin(x) (eq. 21) with A_bump = [[−2, 10], [0, −2]] (eq. 23). Each ε is trained once with "
                + "the exponential integrator ETD1 and once with IMEX, from the same config, data and split; both models are then "
                + "deployed with the data's step Δt over the whole held-out test trajectories. Errors are "
                + "koopman4j.core.metrics.ErrorMetrics: one-step 100·‖X̂₊ − X₊‖_F / ‖X₊‖_F over all test pairs; rollout the same over "
                + "every step of each test trajectory forecast from its first sample; eq. 20 loss on the full test grid; seconds of "
                + "training; the model kept is the trainer's best step on the validation trajectories.\n\n");
        for (TransientGrowthStudy.Figure f : figures) {
            md.append("- ").append(setup(f.study())).append('\n');
        }
        md.append("\n| ε | g | integrator | test one-step | test rollout | test eq. 20 loss | train one-step | seconds | best step "
                + "| max Re λ(A_L) | β(A_L − μI) |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (TransientGrowthStudy.Outcome o : outcomes) {
            JsonNode s = o.stability();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s%% | %s%% @%d | %.4g | %s%% | %.0f | %d | %.4f | %s |%n",
                    TransientGrowthStudy.epsilonText(o.epsilon()), o.nonlinear(), label(o.integrator()), pct(o.testOneStepPct()),
                    pct(o.testRolloutPct()), o.rolloutHorizon(), o.testTimeIntegratedLoss(), pct(o.trainOneStepPct()), o.seconds(),
                    o.bestStep(), s.path("spectral_abscissa").asDouble(Double.NaN), beta(s)));
        }
        md.append('\n').append(verdict(outcomes)).append("\n\n");
        md.append("The seed gives no numbers: \"learning with the exponential integrator yields more accurate results than the IMEX "
                + "integrator for both values of ε, the difference is more pronounced for ε = 1.0\" (Figs. 3–4).\n\n");

        md.append("## Learned linear operator\n\n");
        md.append("A_bump = ").append(matrix(TransientGrowth.A_BUMP)).append(" is the linear part of the true system for ε = 0. "
                + "For ε = 1, sin(x) has a linear part of its own (sin x ≈ x near 0), which g may carry, so A_L need not approach "
                + "A_bump there. β(A_L − μI): distance of A_L to the matrices with an eigenvalue on Re z = μ (seed 002, "
                + "Algorithm 1; refined value, or the bracket when no refined value was found).\n\n");
        md.append("| ε | integrator | A_L | ‖A_L − A_bump‖_F / ‖A_bump‖_F |\n|---|---|---|---|\n");
        for (TransientGrowthStudy.Outcome o : outcomes) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.4f |%n", TransientGrowthStudy.epsilonText(o.epsilon()),
                    label(o.integrator()), matrix(o.linearOperator()), relativeDistance(o.linearOperator(), TransientGrowth.A_BUMP)));
        }

        md.append("\n## Predictions (Figs. 3–4)\n\n");
        for (TransientGrowthStudy.Figure f : figures) {
            String png = TransientGrowthStudy.NAME + "-" + f.study().id() + ".png";
            StudyFigure.write(f, out.resolve(png));
            md.append("The test trajectory with the largest transient growth (max ‖x(t)‖ − ‖x(0)‖), ").append(f.study().row()).append(": truth x1, x2 integrated with step ")
                    .append(TransientGrowthStudy.TRUTH_DT).append(" (curves), the model's forecast from x(0) every Δt (dots); "
                            + "ETD1 left, IMEX right.\n\n![").append(f.study().row()).append("](").append(png).append(")\n\n");
        }
        md.append("Per model: `<eps>-<integrator>/` (model/, metrics.json, train.log); the split: `<eps>-data/`.\n");
        Files.writeString(out.resolve(REPORT), md);
    }

    /** One line describing an ε's data and training. */
    private static String setup(TransientGrowthStudy.Case c) {
        TrainConfig cfg = c.runs().get(0).config();
        TrainConfig.Data d = cfg.data();
        List<String> trainTimes = d.trainSamples().stream().map(k -> fmt(k * d.dt())).toList();
        return String.format(Locale.ROOT, "%s (%s, g %s): %d trajectories on t = 0 … %s, Δt = %s; trained on t = %s; %d Adam steps, "
                        + "learning rate %s → %s, batch %d; config %s", c.row(), d.system(), cfg.model().nonlinear().kind(),
                d.trajectories(), fmt(d.steps() * d.dt()), fmt(d.dt()), trainTimes.isEmpty() ? "every sample" : String.join(", ", trainTimes),
                cfg.training().steps(), fmt(cfg.training().learningRate()), fmt(cfg.training().finalLearningRate()),
                cfg.training().batchSize(), c.source());
    }

    /** Whether ETD1's test rollout error is below IMEX's, for each ε and overall. */
    static String verdict(List<TransientGrowthStudy.Outcome> outcomes) {
        List<String> parts = new ArrayList<>();
        int failing = 0;
        double[] epsilons = outcomes.stream().mapToDouble(TransientGrowthStudy.Outcome::epsilon).distinct().toArray();
        for (double eps : epsilons) {
            TransientGrowthStudy.Outcome etd = find(outcomes, eps, "etd1");
            TransientGrowthStudy.Outcome imex = find(outcomes, eps, "imex");
            boolean holds = etd.testRolloutPct() < imex.testRolloutPct();
            failing += holds ? 0 : 1;
            parts.add(String.format(Locale.ROOT, "ε = %s: ETD1 %s%% %s IMEX %s%%", TransientGrowthStudy.epsilonText(eps),
                    pct(etd.testRolloutPct()), holds ? "<" : "≥", pct(imex.testRolloutPct())));
        }
        return "**ETD < IMEX (test rollout) " + (failing == 0 ? "holds for every ε" : "does not hold for " + failing + " of "
                + epsilons.length + " ε") + "**: " + String.join("; ", parts) + ".";
    }

    private static TransientGrowthStudy.Outcome find(List<TransientGrowthStudy.Outcome> outcomes, double eps, String integrator) {
        return outcomes.stream().filter(o -> o.epsilon() == eps && o.integrator().equals(integrator)).findFirst().orElseThrow();
    }

    static String label(String integrator) {
        return switch (integrator) {
            case "etd1" -> "ETD1";
            case "imex" -> "IMEX";
            default -> integrator.toUpperCase(Locale.ROOT);
        };
    }

    private static String beta(JsonNode stability) {
        JsonNode b = stability.path("distance_to_line_re_mu");
        if (b.path("exact").isNumber()) {
            return String.format(Locale.ROOT, "%.4f", b.path("exact").asDouble());
        }
        return String.format(Locale.ROOT, "[%.4f, %.4f]", b.path("lower").asDouble(Double.NaN), b.path("upper").asDouble(Double.NaN));
    }

    static double relativeDistance(double[][] a, double[][] b) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b[i].length; j++) {
                d += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
                n += b[i][j] * b[i][j];
            }
        }
        return Math.sqrt(d / n);
    }

    private static String matrix(double[][] a) {
        return "[" + java.util.Arrays.stream(a).map(r -> java.util.Arrays.stream(r).mapToObj(v -> String.format(Locale.ROOT, "%.4g", v))
                .collect(Collectors.joining(", ", "[", "]"))).collect(Collectors.joining(", ")) + "]";
    }

    private static String pct(double v) {
        return !Double.isFinite(v) ? String.valueOf(v) : v < 10 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("\\.?0+(e|$)", "$1");
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
}
