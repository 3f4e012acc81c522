package koopman4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.sweep.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sweep}: a hyperparameter sweep on Apache Spark, each run one {@code train} run in one task. Spark
 * is not in the shaded jar: bin/koopman4j adds it for this command, spark-submit brings a cluster's own.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Hyperparameter sweep on Apache Spark: every configuration × seed of a sweep file is one train run "
                + "(one task); writes results.csv, report.md (ranked by validation error), chosen.yaml, validation.png and runs/.")
final class SweepCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "sweep file, e.g. examples/configs/glycolysis-sweep.yaml")
    Path config;

    @Option(names = "--out", description = "output directory (a path or file: URI every executor sees); started again on it, "
            + "a sweep reuses its finished runs")
    String out;

    @Option(names = "--master", description = "Spark master (default: what spark-submit set, else local[*]: one task per core)")
    String master;

    @Option(names = "--conf", description = "a Spark setting, e.g. --conf spark.ui.enabled=true (repeatable)")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "list the runs the sweep file asks for, checked, and stop")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (dryRun) {
            System.out.println(Sweep.plan(config));
            return 0;
        }
        if (out == null) {
            throw new InvalidDataException("--out: missing; give the sweep's output directory");
        }
        Sweep.Summary summary = Sweep.run(config, out, new Sweep.Options(master, conf));
        System.out.println(summary.text());
        if (summary.chosen().isEmpty()) {
            System.err.println("koopman4j: sweep: no run finished; see " + summary.out().resolve("report.md"));
            return Koopman4j.FAILURE;
        }
        return 0;
    }
}
