package koopman4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.validation.study.TransientGrowthStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code study}: a paper's study end to end; {@code transient-growth} is seed 001 §5.1 (ETD1 vs IMEX, Figs. 3–4). */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a paper's study end to end. transient-growth: seed 001 §5.1, the SP-NODE trained with ETD1 and with IMEX "
                + "for ε = 0 and ε = 1; writes results.csv, report.md, PNG figures and one run directory per model.")
final class StudyCommand implements Callable<Integer> {

    static final List<String> STUDIES = List.of(TransientGrowthStudy.NAME);

    @Parameters(index = "0", paramLabel = "NAME", description = "the study: transient-growth")
    String name;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--set", description = "override a field of both configs, e.g. --set training.steps=1000 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--linear-config", description = "sp-node config for ε = 0 (default ${DEFAULT-VALUE})")
    Path linearConfig = TransientGrowthStudy.LINEAR_CONFIG;

    @Option(names = "--nonlinear-config", description = "sp-node config for ε = 1 (default ${DEFAULT-VALUE})")
    Path nonlinearConfig = TransientGrowthStudy.NONLINEAR_CONFIG;

    @Override
    public Integer call() throws Exception {
        if (!STUDIES.contains(name)) {
            throw new InvalidDataException("study: unknown study '" + name + "'; known studies: " + String.join(", ", STUDIES));
        }
        TransientGrowthStudy.Summary summary = TransientGrowthStudy.run(linearConfig, nonlinearConfig, overrides, out);
        System.out.printf(Locale.ROOT, "%-4s %-12s %10s %14s %9s%n", "row", "method", "one-step", "rollout", "seconds");
        for (TransientGrowthStudy.Outcome o : summary.outcomes()) {
            System.out.printf(Locale.ROOT, "%-4s %-12s %9.3f%% %9.3f%% @%-3d %9.1f%n", o.row(), o.method(), o.testOneStepPct(),
                    o.testRolloutPct(), o.rolloutHorizon(), o.seconds());
        }
        System.out.println("results: " + summary.out().resolve("results.csv") + "   report: " + summary.out().resolve("report.md"));
        return 0;
    }
}
