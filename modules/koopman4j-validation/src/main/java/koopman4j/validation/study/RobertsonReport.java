package koopman4j.validation.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import koopman4j.core.spectrum.Complex;
import koopman4j.core.spectrum.KoopmanEigen;
import koopman4j.trainer.TrainingData;
import koopman4j.trainer.config.TrainConfig;
import koopman4j.validation.compare.Report;


/**
 * Writes what {@link RobertsonStudy} measured: {@code results.csv} (the {@code compare} columns: one-step error along
 * each trajectory's own steps, the whole 50-time trajectory as the rollout), {@code components.csv} (per component),
 * {@code errors-by-time.csv}, {@code steps.csv} (the step sweep), {@code report.md} with the targets and whether they
 * hold, and the figures.
 */
final class RobertsonReport {

    static final String COMPONENTS = "components.csv";
    static final String BY_TIME = "errors-by-time.csv";
    static final String STEPS = "steps.csv";
    static final String FIG5 = "robertson-fig5.png";
    static final String RELATIVE = "robertson-relative-error.png";
    static final String SWEEP = "robertson-steps.png";

    private RobertsonReport() {
    }

    static void write(RobertsonStudy.Plan plan, TrainingData data, RobertsonStudy.Truth truth, List<RobertsonStudy.Outcome> outcomes, Path out)
            throws IOException {
        List<String> names = truth.names();
        int horizon = truth.times().length - 1;
        StringBuilder csv = new StringBuilder(Report.HEADER).append('\n');
        for (RobertsonStudy.Outcome o : outcomes) {
            csv.append(String.join(",", RobertsonStudy.NAME, RobertsonStudy.NAME, o.method(), num(o.trainOneStepPct()), num(o.testOneStepPct()),
                    Integer.toString(horizon), num(o.testTrajectoryPct()), num(o.seconds()))).append('\n');
        }
        Files.writeString(out.resolve(Report.RESULTS), csv);

        StringBuilder comp = new StringBuilder("method,set,component,relative_l2_pct,max_pointwise_pct,max_peak_relative_pct\n");
        for (RobertsonStudy.Outcome o : outcomes) {
            for (int i = 0; i < names.size(); i++) {
                comp.append(String.join(",", o.method(), "test", names.get(i), num(o.testComponentPct()[i]), num(o.testMaxPointwisePct()[i]),
                        num(o.testMaxPeakPct()[i]))).append('\n');
                comp.append(String.join(",", o.method(), "unperturbed", names.get(i), num(o.referenceComponentPct()[i]),
                        num(o.referenceMaxPointwisePct()[i]), num(o.referenceMaxPeakPct()[i]))).append('\n');
                comp.append(String.join(",", o.method(), "test-finer-grid", names.get(i), num(o.finerComponentPct()[i]), "", "")).append('\n');
            }
        }
        Files.writeString(out.resolve(COMPONENTS), comp);

        StringBuilder byTime = new StringBuilder("method,t,component,max_pointwise_pct,median_pointwise_pct\n");
        for (RobertsonStudy.Outcome o : outcomes) {
            for (int k = 0; k < truth.times().length; k++) {
                for (int i = 0; i < names.size(); i++) {
                    byTime.append(String.join(",", o.method(), num(truth.times()[k]), names.get(i), num(o.pointwiseMaxByTime()[k][i]),
                            num(o.pointwiseMedianByTime()[k][i]))).append('\n');
                }
            }
        }
        Files.writeString(out.resolve(BY_TIME), byTime);

        StringBuilder steps = new StringBuilder("method,step,finite,max_ratio\n");
        for (RobertsonStudy.Outcome o : outcomes) {
            for (RobertsonStudy.SweepPoint p : o.sweep()) {
                steps.append(String.join(",", o.method(), num(p.step()), Boolean.toString(p.finite()), num(p.maxRatio()))).append('\n');
            }
        }
        Files.writeString(out.resolve(STEPS), steps);

        RobertsonFigures.fig5(truth, outcomes, out.resolve(FIG5));
        RobertsonFigures.relativeError(truth, outcomes, out.resolve(RELATIVE));
        RobertsonFigures.steps(outcomes, out.resolve(SWEEP));
        Files.writeString(out.resolve(StudyReport.REPORT), markdown(plan, data, truth, outcomes));
    }

    private static String markdown(RobertsonStudy.Plan plan, TrainingData data, RobertsonStudy.Truth truth, List<RobertsonStudy.Outcome> outcomes) {
        List<String> names = truth.names();
        StringBuilder md = new StringBuilder("# Robertson: a stiff system learned by the structure-preserving NODE (seed 001 §5.2, Fig. 5)\n\n");
        md.append(setup(plan, data, truth)).append("\n\n");
        md.append("All errors are in original units (the scale is undone on every output). Deployed from the first sample of each of the ")
                .append(data.test().size()).append(" held-out test trajectories along its ").append(truth.times().length)
                .append(" times (the model's value at the first time is its own reconstruction, included). Per component i: **relative L2** "
                        + "100·‖x̂_i − x_i‖ / ‖x_i‖ over every time and test trajectory; **max pointwise** the largest 100·|x̂_i(t_k) − x_i(t_k)| / "
                        + "|x_i(t_k)|; **max peak-relative** the largest 100·max_k |x̂_i − x_i| / max_k |x_i| per trajectory (the error as a plot "
                        + "like Fig. 5 shows it).\n\n");
        md.append("| model | relative L2 ").append(String.join(" / ", names)).append(" | max pointwise ").append(String.join(" / ", names))
                .append(" | max peak-relative ").append(String.join(" / ", names)).append(" | from (1, 0, 0): relative L2 ")
                .append(String.join(" / ", names)).append(" |\n|---|---|---|---|---|\n");
        for (RobertsonStudy.Outcome o : outcomes) {
            md.append("| ").append(o.variant().label()).append(" | ").append(triple(o.testComponentPct())).append(" | ")
                    .append(triple(o.testMaxPointwisePct())).append(" | ").append(triple(o.testMaxPeakPct())).append(" | ")
                    .append(triple(o.referenceComponentPct())).append(" |\n");
        }
        md.append("\n| model | one-step (own steps) train / test | whole trajectory | on a ").append(RobertsonStudy.REFINE)
                .append("× finer log grid (unseen steps) ").append(String.join(" / ", names))
                .append(" | test eq. 20 | seconds | best step | max Re λ(A_L) | min Re λ(A_L) | β(A_L − μI) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (RobertsonStudy.Outcome o : outcomes) {
            double[] re = realParts(o.linearOperator());
            md.append(String.format(Locale.ROOT, "| %s | %s%% / %s%% | %s%% | %s | %.4g | %.0f | %d | %.4g | %.4g | %s |%n", o.variant().label(),
                    pct(o.trainOneStepPct()), pct(o.testOneStepPct()), pct(o.testTrajectoryPct()), triple(o.finerComponentPct()),
                    o.testLoss(), o.seconds(), o.bestStep(), re[re.length - 1], re[0], beta(o.stability())));
        }
        md.append('\n');
        for (String v : verdicts(names, truth.times(), outcomes)) {
            md.append("- ").append(v).append('\n');
        }
        md.append("\nThe seed gives no numbers for this experiment: \"it is clear from this figure that the application of the autoencoder "
                + "produces an accurate model for all components\" and \"both versions of the model are able to robustly integrate using "
                + "timesteps ranging from 3.03×10⁻⁶ to 1.72×10⁶\" (§5.2).\n\n");
        md.append("## Learned linear operator\n\nEigenvalues of A_L (the parametrisation keeps Re λ ≤ μ; the trainer checked it at every "
                + "evaluation). Stiffness ratio = min Re λ / max Re λ.\n\n| model | λ(A_L) | stiffness ratio |\n|---|---|---|\n");
        for (RobertsonStudy.Outcome o : outcomes) {
            double[] re = realParts(o.linearOperator());
            md.append("| ").append(o.variant().label()).append(" | ").append(eigenvalues(o.linearOperator())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3g", re[0] / re[re.length - 1])).append(" |\n");
        }
        md.append("\n## Step sizes\n\nConstant steps h from the grid's smallest to its largest (").append(RobertsonStudy.SWEEP_SIZES)
                .append(" sizes, log-spaced, most never seen in training), ").append(RobertsonStudy.SWEEP_STEPS)
                .append(" steps each from every test trajectory's first sample and the unperturbed one; blow-up = a non-finite value or a "
                        + "component above ").append((int) RobertsonStudy.BLOW_UP).append("× its largest size in the data.\n\n")
                .append("| model | h with NaN | h with blow-up | largest max |x̂_i| / max |x_i| (at h) |\n|---|---|---|---|\n");
        for (RobertsonStudy.Outcome o : outcomes) {
            RobertsonStudy.SweepPoint worst = o.sweep().stream().max(Comparator.comparingDouble(p -> Double.isNaN(p.maxRatio())
                    ? Double.POSITIVE_INFINITY : p.maxRatio())).orElseThrow();
            md.append(String.format(Locale.ROOT, "| %s | %d of %d | %d of %d | %.3g (h = %.3g) |%n", o.variant().label(),
                    o.sweep().stream().filter(p -> !p.finite()).count(), o.sweep().size(), o.sweep().stream().filter(RobertsonStudy.SweepPoint::blowsUp)
                            .count(), o.sweep().size(), worst.maxRatio(), worst.step()));
        }
        md.append("\n![steps](").append(SWEEP).append(")\n\n");
        md.append("## Fig. 5\n\nFrom (1, 0, 0) (the unperturbed trajectory, started from its first sample at t = ")
                .append(fmt(truth.times()[0])).append("): dotted the truth, solid the model at the ").append(truth.times().length)
                .append(" times; one row per model.\n\n![Fig. 5](").append(FIG5).append(")\n\n");
        md.append("## Relative error per component\n\nOn the test trajectories, per time: the largest and the median relative error "
                + "|x̂_i − x_i| / |x_i|.\n\n![relative error](").append(RELATIVE).append(")\n\n");
        md.append("Per model: `<run>/` (model/, metrics.json, train.log); the split: `data/`; the numbers: `").append(Report.RESULTS).append("`, `")
                .append(COMPONENTS).append("`, `").append(BY_TIME).append("`, `").append(STEPS).append("`.\n");
        return md.toString();
    }

    private static String setup(RobertsonStudy.Plan plan, TrainingData data, RobertsonStudy.Truth truth) {
        TrainConfig cfg = plan.runs().get(0).config();
        TrainConfig.Data d = cfg.data();
        TrainConfig.Model m = cfg.model();
        TrainConfig.Training t = cfg.training();
        double[] times = truth.times();
        double smallest = Double.POSITIVE_INFINITY;
        double largest = 0;
        for (int k = 1; k < times.length; k++) {
            smallest = Math.min(smallest, times[k] - times[k - 1]);
            largest = Math.max(largest, times[k] - times[k - 1]);
        }
        return String.format(Locale.ROOT, "Data: %d Robertson trajectories from (1 − εu₂ − εu₃, εu₂, εu₃), ε = %s, u uniform in [0, 1), "
                        + "sampled at %d times log-spaced in [%s, %s] (steps %.3g … %.3g; Rodas4), split %d train / %d validation / %d test "
                        + "by trajectory. Trained on scale ⊙ y with scale = %s. Model: A_L Hurwitz (μ = %s), g Lipschitz (%d layers of %d, "
                        + "L = %s, %s), autoencoder %s. Training: %d Adam steps, batch %d, learning rate %s → %s, eq. 20 in %s, float64; the "
                        + "model kept is the best on the validation trajectories. Config: %s.",
                data.train().size() + data.validation().size() + data.test().size(),
                d.perturbation() == null ? "0.001 (default)" : fmt(d.perturbation()), times.length, fmt(times[0]), fmt(times[times.length - 1]),
                smallest, largest, data.train().size(), data.validation().size(), data.test().size(), Arrays.toString(data.scale()),
                fmt(m.linear().mu()), m.nonlinear().layers(), m.nonlinear().width(), fmt(m.nonlinear().lipschitzBound()), m.nonlinear().activation(),
                "latent " + m.autoencoder().latent() + ", " + m.autoencoder().depth() + " hidden layers of " + m.autoencoder().width() + " "
                        + m.autoencoder().activation() + " (runs without it: none)",
                t.steps(), t.batchSize(), fmt(t.learningRate()), fmt(t.finalLearningRate()), TrainConfig.Training.LOG_TIME.equals(t.lossTime())
                        ? "log t" : "t (as in the paper)", plan.source());
    }

    /** Whether each target of the experiment holds, with the numbers that decide it. */
    static List<String> verdicts(List<String> names, double[] times, List<RobertsonStudy.Outcome> outcomes) {
        List<String> lines = new ArrayList<>();
        double target = RobertsonStudy.TARGET_PCT;
        for (RobertsonStudy.Outcome o : outcomes) {
            int worstK = 0;
            int worstI = 0;
            double worst = -1;
            for (int k = 0; k < o.pointwiseMaxByTime().length; k++) {
                for (int i = 0; i < names.size(); i++) {
                    double v = o.pointwiseMaxByTime()[k][i];
                    if (Double.isNaN(v) || v > worst) {
                        worst = Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
                        worstK = k;
                        worstI = i;
                    }
                }
            }
            int within = 0;
            for (double[] row : o.pointwiseMaxByTime()) {
                for (double v : row) {
                    within += v <= target ? 1 : 0;
                }
            }
            boolean l2 = Arrays.stream(o.testComponentPct()).allMatch(v -> v <= target);
            lines.add(String.format(Locale.ROOT, "**%s**: every component within %.0f%% at every time on every test trajectory: **%s** (%d of %d "
                            + "(time, component) pairs within; worst %s%% for %s at t = %s); relative L2 per component within %.0f%%: **%s** (%s); step sizes "
                            + "%.3g … %.3g without NaN or blow-up: **%s**; A_L Hurwitz: **%s** (max Re λ = %.4g, μ = %s).",
                    o.variant().label(), target, worst <= target ? "holds" : "does not hold", within, o.pointwiseMaxByTime().length * names.size(),
                    pct(worst), names.get(worstI), fmt(times[worstK]), target, l2 ? "holds" : "does not hold", triple(o.testComponentPct()),
                    o.sweep().get(0).step(), o.sweep().get(o.sweep().size() - 1).step(), o.sweepBounded() ? "holds" : "does not hold",
                    o.stability().path("unstable").asBoolean(true) ? "no" : "yes", o.stability().path("spectral_abscissa").asDouble(Double.NaN),
                    fmt(o.stability().path("mu").asDouble(Double.NaN))));
        }
        return lines;
    }

    private static double[] realParts(double[][] a) {
        return KoopmanEigen.of(a).eigenvalues().stream().mapToDouble(Complex::re).sorted().toArray();
    }

    private static String eigenvalues(double[][] a) {
        List<Complex> lambda = new ArrayList<>(KoopmanEigen.of(a).eigenvalues());
        lambda.sort(Comparator.comparingDouble(Complex::re));
        return String.join(", ", lambda.stream().map(z -> Math.abs(z.im()) < 1e-12 * Math.max(1, Math.abs(z.re()))
                ? String.format(Locale.ROOT, "%.4g", z.re())
                : String.format(Locale.ROOT, "%.4g %s %.4gi", z.re(), z.im() < 0 ? "−" : "+", Math.abs(z.im()))).toList());
    }

    private static String beta(JsonNode stability) {
        JsonNode b = stability.path("distance_to_line_re_mu");
        if (b.path("exact").isNumber()) {
            return String.format(Locale.ROOT, "%.4g", b.path("exact").asDouble());
        }
        return String.format(Locale.ROOT, "[%.4g, %.4g]", b.path("lower").asDouble(Double.NaN), b.path("upper").asDouble(Double.NaN));
    }

    private static String triple(double[] v) {
        return String.join(" / ", Arrays.stream(v).mapToObj(x -> pct(x) + "%").toList());
    }

    static String pct(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return v < 10 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("\\.?0+(e|$)", "$1");
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
}
