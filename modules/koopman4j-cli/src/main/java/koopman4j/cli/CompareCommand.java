package koopman4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import koopman4j.trainer.TrainingListener;
import koopman4j.validation.compare.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code compare}: Deep DMD vs E-DMD on the same data and split (seed 000 Table 1, Fig. 4). */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run D-DMD and E-DMD on the same data and split; writes results.csv, report.md and PNG figures.")
final class CompareCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "compare config, e.g. examples/configs/table1.yaml")
    Path config;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--methods", split = ",", description = "run only these methods (ddmd, edmd), overriding the config")
    List<String> methods = new ArrayList<>();

    @ParentCommand
    Koopman4j root;

    @Override
    public Integer call() throws Exception {
        Progress progress = root.progress();
        Comparison.Summary summary = Comparison.run(config, out, methods, new Comparison.Listener() {
            private TrainingListener training = TrainingListener.NONE;

            @Override
            public void started(int row, int rows, String label, String method) {
                String task = "compare " + row + "/" + rows + " " + method;
                training = new TrainingProgressLine(progress, task);
                progress.start(task, 0);
                progress.status(label);
            }

            @Override
            public TrainingListener training() {
                return training;
            }
        });
        progress.clear();
        System.out.println("results: " + summary.out().resolve("results.csv") + "   report: " + summary.out().resolve("report.md"));
        return 0;
    }
}
