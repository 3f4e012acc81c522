package koopman4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import koopman4j.api.TrainJob;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code train}: train a model from a YAML config and print its error table. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a Deep DMD or SP-NODE model from a YAML config; writes model/, metrics.json, train.log, checkpoints/.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "YAML config, e.g. examples/configs/glycolysis-ddmd.yaml")
    Path config;

    @Option(names = "--data", description = "trajectory file (.csv/.npy) instead of data.system")
    Path data;

    @Option(names = "--out", description = "output directory (default runs/<config name>)")
    Path out;

    @Option(names = "--set", description = "override a config field, e.g. --set training.steps=3000 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "continue a run directory from its latest checkpoint")
    Path resume;

    @Option(names = "--plots", description = "also write figures (PNG and SVG) into OUT/plots/: forecast vs truth, training curve, "
            + "eigenvalues; deep-dmd: dictionary-function responses (seed 000 Fig. 3); sp-node: ‖e^{tA_L}‖")
    boolean plots;

    @ParentCommand
    Koopman4j root;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : resume != null ? resume
                : Path.of("runs", config.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        TrainingProgressLine line = new TrainingProgressLine(root.progress(), "train");
        TrainPlots figures = new TrainPlots();
        TrainJob.Outcome outcome = TrainJob.fit(config, data, dir, overrides, resume, new TrainingListener() {
            @Override
            public void stepped(int step, int steps, double loss) {
                line.stepped(step, steps, loss);
            }

            @Override
            public void evaluated(TrainingProgress progress) {
                line.evaluated(progress);
                figures.evaluated(progress);
            }
        });
        root.progress().clear();
        System.out.println(ErrorTable.render(outcome.metrics()));
        System.out.println("model: " + dir.resolve("model") + "   metrics: " + dir.resolve("metrics.json"));
        if (plots) {
            figures.write(dir, outcome);
            System.out.println("figures: " + dir.resolve(TrainPlots.DIR) + "/*.png, *.svg");
        }
        return 0;
    }

    /** Renders metrics.json's train/test errors as a text table. */
    static final class ErrorTable {
        private ErrorTable() {
        }

        static String render(JsonNode metrics) {
            StringBuilder s = new StringBuilder();
            List<String> horizons = new ArrayList<>();
            metrics.path("test").path("rollout_error_pct").fieldNames().forEachRemaining(horizons::add);
            s.append(String.format("%-6s %10s", "set", "one-step"));
            for (String h : horizons) {
                s.append(String.format(" %11s", "rollout@" + h));
            }
            boolean reencoded = metrics.path("test").has("reencoded_rollout_error_pct");
            if (reencoded) {
                for (String h : horizons) {
                    s.append(String.format(" %13s", "re-enc@" + h));
                }
            }
            s.append('\n');
            for (String set : List.of("train", "validation", "test")) {
                JsonNode m = metrics.path(set);
                if (m.isMissingNode()) {
                    continue;
                }
                s.append(String.format("%-6s %9.3f%%", set.length() > 6 ? set.substring(0, 3) : set, m.path("one_step_error_pct").asDouble()));
                for (String h : horizons) {
                    s.append(String.format(" %10.2f%%", m.path("rollout_error_pct").path(h).asDouble()));
                }
                if (reencoded) {
                    for (String h : horizons) {
                        s.append(String.format(" %12.2f%%", m.path("reencoded_rollout_error_pct").path(h).asDouble()));
                    }
                }
                s.append('\n');
            }
            return s.toString().stripTrailing();
        }
    }
}
