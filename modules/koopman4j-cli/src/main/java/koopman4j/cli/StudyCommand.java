package koopman4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.validation.study.RobertsonStudy;
import koopman4j.validation.study.TransientGrowthStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code study}: a paper's study end to end; {@code transient-growth} is seed 001 §5.1 (ETD1 vs IMEX, Figs. 3–4),
 * {@code robertson} seed 001 §5.2 (the stiff Robertson system, Fig. 5).
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a paper's study end to end. transient-growth: seed 001 §5.1, the SP-NODE trained with ETD1 and with IMEX "
                + "for ε = 0 and ε = 1. robertson: seed 001 §5.2, the SP-NODE on the stiff Robertson system with ETD1 with and without "
                + "the autoencoder and with IMEX. Each writes results.csv, report.md, PNG figures and one run directory per model.")
final class StudyCommand implements Callable<Integer> {

    static final List<String> STUDIES = List.of(TransientGrowthStudy.NAME, RobertsonStudy.NAME);

    @Parameters(index = "0", paramLabel = "NAME", description = "the study: transient-growth or robertson")
    String name;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--set", description = "override a field of every config of the study, e.g. --set training.steps=1000 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--linear-config", description = "transient-growth: sp-node config for ε = 0 (default examples/configs/transient-growth-linear-etd1.yaml)")
    Path linearConfig;

    @Option(names = "--nonlinear-config", description = "transient-growth: sp-node config for ε = 1 (default examples/configs/transient-growth-etd1.yaml)")
    Path nonlinearConfig;

    @Option(names = "--config", description = "robertson: sp-node config (default examples/configs/robertson-etd1.yaml)")
    Path config;

    @Option(names = "--runs", split = ",", description = "robertson: the models to train, some of etd1-ae, etd1, imex-ae (default all)")
    List<String> runs;

    @Override
    public Integer call() throws Exception {
        if (!STUDIES.contains(name)) {
            throw new InvalidDataException("study: unknown study '" + name + "'; known studies: " + String.join(", ", STUDIES));
        }
        if (RobertsonStudy.NAME.equals(name)) {
            return robertson();
        }
        if (config != null || runs != null) {
            throw new InvalidDataException("--config and --runs are options of the robertson study; transient-growth takes "
                    + "--linear-config and --nonlinear-config");
        }
        TransientGrowthStudy.Summary summary = TransientGrowthStudy.run(linearConfig == null ? TransientGrowthStudy.LINEAR_CONFIG : linearConfig,
                nonlinearConfig == null ? TransientGrowthStudy.NONLINEAR_CONFIG : nonlinearConfig, overrides, out);
        System.out.printf(Locale.ROOT, "%-4s %-12s %10s %14s %9s%n", "row", "method", "one-step", "rollout", "seconds");
        for (TransientGrowthStudy.Outcome o : summary.outcomes()) {
            System.out.printf(Locale.ROOT, "%-4s %-12s %9.3f%% %9.3f%% @%-3d %9.1f%n", o.row(), o.method(), o.testOneStepPct(),
                    o.testRolloutPct(), o.rolloutHorizon(), o.seconds());
        }
        System.out.println("results: " + summary.out().resolve("results.csv") + "   report: " + summary.out().resolve("report.md"));
        return 0;
    }

    private Integer robertson() throws Exception {
        if (linearConfig != null || nonlinearConfig != null) {
            throw new InvalidDataException("--linear-config and --nonlinear-config are options of the transient-growth study; robertson "
                    + "takes --config");
        }
        List<RobertsonStudy.Variant> variants = runs == null ? RobertsonStudy.ALL : runs.stream().map(RobertsonStudy.Variant::of).toList();
        RobertsonStudy.Summary summary = RobertsonStudy.run(config == null ? RobertsonStudy.CONFIG : config, overrides, variants, out);
        System.out.printf(Locale.ROOT, "%-26s %-30s %-30s %9s %8s%n", "model", "test relative L2 y1/y2/y3 %", "max pointwise y1/y2/y3 %",
                "steps ok", "seconds");
        for (RobertsonStudy.Outcome o : summary.outcomes()) {
            System.out.printf(Locale.ROOT, "%-26s %-30s %-30s %9s %8.1f%n", o.variant().label(), triple(o.testComponentPct()),
                    triple(o.testMaxPointwisePct()), o.sweepBounded() ? "yes" : "NO", o.seconds());
        }
        System.out.println("results: " + summary.out().resolve("results.csv") + "   report: " + summary.out().resolve("report.md"));
        return 0;
    }

    private static String triple(double[] v) {
        return String.join(" / ", Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.3g", x)).toList());
    }
}
