package koopman4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.validation.study.KuramotoSivashinskyStudy;
import koopman4j.validation.study.RobertsonStudy;
import koopman4j.validation.study.StudyListener;
import koopman4j.validation.study.TransientGrowthStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code study}: a paper's study end to end; {@code transient-growth} is seed 001 §5.1 (ETD1 vs IMEX, Figs. 3–4),
 * {@code robertson} seed 001 §5.2 (the stiff Robertson system, Fig. 5), {@code kuramoto-sivashinsky} seed 001 §5.3
 * (latent 20 and 7 against the full state, Figs. 6–7).
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a paper's study end to end. transient-growth: seed 001 §5.1, the SP-NODE trained with ETD1 and with IMEX "
                + "for ε = 0 and ε = 1; robertson: seed 001 §5.2, the SP-NODE on the stiff Robertson system with ETD1 with and without "
                + "the autoencoder and with IMEX; kuramoto-sivashinsky: seed 001 §5.3, SP-NODEs with latent 20 and 7 and the full state, "
                + "pointwise agreement, joint PDF of (u_x, u_xx), training speed; writes results.csv, report.md, PNG figures and one "
                + "run directory per model.")
final class StudyCommand implements Callable<Integer> {

    static final List<String> STUDIES = List.of(TransientGrowthStudy.NAME, RobertsonStudy.NAME, KuramotoSivashinskyStudy.NAME);

    @Parameters(index = "0", paramLabel = "NAME", description = "the study: transient-growth, robertson or kuramoto-sivashinsky")
    String name;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--set", description = "override a field of every config of the study, e.g. --set training.steps=1000 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--linear-config", description = "transient-growth: sp-node config for ε = 0 (default examples/configs/transient-growth-linear-etd1.yaml)")
    Path linearConfig;

    @Option(names = "--nonlinear-config", description = "transient-growth: sp-node config for ε = 1 (default examples/configs/transient-growth-etd1.yaml)")
    Path nonlinearConfig;

    @Option(names = "--config", split = ",", description = "robertson: the sp-node config (default examples/configs/robertson-etd1.yaml); "
            + "kuramoto-sivashinsky: the sp-node configs compared, same data section (default examples/configs/ks-ae20.yaml,ks-ae7.yaml,ks-full.yaml)")
    List<Path> configs;

    @Option(names = "--runs", split = ",", description = "robertson: the models to train, some of etd1-ae, etd1, imex-ae (default all)")
    List<String> runs;

    @Option(names = "--threshold", description = "kuramoto-sivashinsky: relative L2 error that ends pointwise agreement (default 0.2)")
    Double threshold;

    @ParentCommand
    Koopman4j root;

    @Override
    public Integer call() throws Exception {
        if (!STUDIES.contains(name)) {
            throw new InvalidDataException("study: unknown study '" + name + "'; known studies: " + String.join(", ", STUDIES));
        }
        if (!TransientGrowthStudy.NAME.equals(name) && (linearConfig != null || nonlinearConfig != null)) {
            throw new InvalidDataException("--linear-config and --nonlinear-config apply to the transient-growth study; give --config");
        }
        if (threshold != null && !KuramotoSivashinskyStudy.NAME.equals(name)) {
            throw new InvalidDataException("--threshold applies to the kuramoto-sivashinsky study, not to " + name);
        }
        if (runs != null && !RobertsonStudy.NAME.equals(name)) {
            throw new InvalidDataException("--runs applies to the robertson study, not to " + name);
        }
        if (KuramotoSivashinskyStudy.NAME.equals(name)) {
            return kuramotoSivashinsky();
        }
        if (RobertsonStudy.NAME.equals(name)) {
            return robertson();
        }
        if (configs != null) {
            throw new InvalidDataException("--config applies to the robertson and kuramoto-sivashinsky studies; transient-growth takes "
                    + "--linear-config and --nonlinear-config");
        }
        TransientGrowthStudy.Summary summary = TransientGrowthStudy.run(
                linearConfig == null ? TransientGrowthStudy.LINEAR_CONFIG : linearConfig,
                nonlinearConfig == null ? TransientGrowthStudy.NONLINEAR_CONFIG : nonlinearConfig, overrides, out, progressLines());
        root.progress().clear();
        System.out.printf(Locale.ROOT, "%-4s %-12s %10s %14s %9s%n", "row", "method", "one-step", "rollout", "seconds");
        for (TransientGrowthStudy.Outcome o : summary.outcomes()) {
            System.out.printf(Locale.ROOT, "%-4s %-12s %9.3f%% %9.3f%% @%-3d %9.1f%n", o.row(), o.method(), o.testOneStepPct(),
                    o.testRolloutPct(), o.rolloutHorizon(), o.seconds());
        }
        System.out.println("results: " + summary.out().resolve("results.csv") + "   report: " + summary.out().resolve("report.md"));
        return 0;
    }

    private int robertson() throws Exception {
        if (configs != null && configs.size() != 1) {
            throw new InvalidDataException("--config: the robertson study takes one config, got " + configs.size());
        }
        List<RobertsonStudy.Variant> variants = runs == null ? RobertsonStudy.ALL : runs.stream().map(RobertsonStudy.Variant::of).toList();
        RobertsonStudy.Summary summary = RobertsonStudy.run(configs == null ? RobertsonStudy.CONFIG : configs.get(0), overrides, variants, out,
                progressLines());
        root.progress().clear();
        System.out.printf(Locale.ROOT, "%-26s %-30s %-30s %9s %8s%n", "model", "test relative L2 y1/y2/y3 %", "max pointwise y1/y2/y3 %",
                "steps ok", "seconds");
        for (RobertsonStudy.Outcome o : summary.outcomes()) {
            System.out.printf(Locale.ROOT, "%-26s %-30s %-30s %9s %8.1f%n", o.variant().label(), triple(o.testComponentPct()),
                    triple(o.testMaxPointwisePct()), o.sweepBounded() ? "yes" : "NO", o.seconds());
        }
        System.out.println("results: " + summary.out().resolve("results.csv") + "   report: " + summary.out().resolve("report.md"));
        return 0;
    }

    /** Each model's training on the progress line, e.g. "study 2/4 eps0 imex: step 300/2000 …". */
    private StudyListener progressLines() {
        return (run, runs, label) -> new TrainingProgressLine(root.progress(), "study " + run + "/" + runs + " " + label);
    }

    private static String triple(double[] v) {
        return String.join(" / ", Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.3g", x)).toList());
    }

    private int kuramotoSivashinsky() throws Exception {
        KuramotoSivashinskyStudy.Options d = KuramotoSivashinskyStudy.Options.DEFAULT;
        KuramotoSivashinskyStudy.Options options = threshold == null ? d
                : new KuramotoSivashinskyStudy.Options(threshold, d.horizon(), d.starts(), d.figureSteps(), d.bins(), d.timingSteps());
        KuramotoSivashinskyStudy.Summary summary = KuramotoSivashinskyStudy.run(configs == null ? KuramotoSivashinskyStudy.CONFIGS : configs,
                overrides, options, out, progressLines());
        root.progress().clear();
        System.out.printf(Locale.ROOT, "%-10s %6s %16s %10s %12s %10s%n", "model", "latent", "agreement (mean)", "Hellinger", "step ms",
                "seconds");
        for (KuramotoSivashinskyStudy.Outcome o : summary.outcomes()) {
            System.out.printf(Locale.ROOT, "%-10s %6d %16.1f %10.3f %12.1f %10.0f%n", o.name(), o.latent(), o.meanAgreement(), o.hellinger(),
                    o.stepMs(), o.trainSeconds());
        }
        System.out.printf(Locale.ROOT, "truth vs truth (halves) Hellinger %.3f; study %.0f s%n", summary.truthHalfHellinger(), summary.seconds());
        System.out.println("results: " + summary.out().resolve("results.csv") + "   report: " + summary.out().resolve("report.md"));
        return 0;
    }
}
