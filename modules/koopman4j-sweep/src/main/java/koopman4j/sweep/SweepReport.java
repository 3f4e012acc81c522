package koopman4j.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes a sweep's {@code results.csv} (every run: swept fields, seed, train / validation / test
 * errors, speed, time), {@code report.md} (configurations and runs ranked by validation error, failures,
 * the chosen configuration, the figure) and {@code chosen.yaml} (the chosen run's training config, ready
 * for {@code train --config}).
 */
final class SweepReport {

    static final String CSV = "results.csv";
    static final String MARKDOWN = "report.md";
    static final String CHOSEN = "chosen.yaml";
    static final String FIGURE = "validation.png";

    private SweepReport() {
    }

    /** What the report says about where and how the sweep ran. */
    record Context(String master, int slots, int threadsPerTask, double wallSeconds) {
    }

    static void write(Path out, SweepResults results, Context context) throws IOException {
        Files.writeString(out.resolve(CSV), csv(results), StandardCharsets.UTF_8);
        Optional<SweepResults.Row> chosen = results.chosen();
        if (chosen.isPresent()) {
            Files.writeString(out.resolve(CHOSEN), chosenYaml(results, chosen.get()), StandardCharsets.UTF_8);
            SweepFigure.write(out.resolve(FIGURE), results, chosen.get());
        } else {
            Files.deleteIfExists(out.resolve(CHOSEN)); // an earlier sweep's choice must not pass for this one's
            Files.deleteIfExists(out.resolve(FIGURE));
        }
        Files.writeString(out.resolve(MARKDOWN), markdown(results, context, chosen), StandardCharsets.UTF_8);
    }

    static String csv(SweepResults results) {
        SweepPlan plan = results.plan();
        RankMetric rank = plan.rank();
        int h = rank.rolloutHorizon();
        List<String> header = new ArrayList<>(List.of("run", "status", "attempts"));
        header.addAll(plan.fields());
        header.addAll(List.of("seed", "rank", "validation_score", "train_one_step_pct", "validation_one_step_pct", "test_one_step_pct",
                "rollout_horizon", "train_rollout_pct", "validation_rollout_pct", "test_rollout_pct", "steps", "steps_per_second",
                "train_seconds", "seconds", "host", "error"));
        StringBuilder s = new StringBuilder(String.join(",", header)).append('\n');
        for (SweepResults.Row r : results.runs()) {
            List<String> cells = new ArrayList<>(List.of(r.run().id(), r.outcome().status().name().toLowerCase(Locale.ROOT),
                    Integer.toString(r.outcome().attempts())));
            r.run().values().forEach(v -> cells.add(SweepPlan.display(v)));
            cells.add(Long.toString(r.run().seed()));
            cells.add(r.ranked() ? Integer.toString(r.rank()) : "");
            cells.add(number(r.score()));
            for (String split : List.of("train", "validation", "test")) {
                cells.add(number(value(r.split(split).path("one_step_error_pct"))));
            }
            cells.add(Integer.toString(h));
            for (String split : List.of("train", "validation", "test")) {
                cells.add(number(value(r.split(split).path("rollout_error_pct").path(Integer.toString(h)))));
            }
            double steps = value(r.metrics().path("steps"));
            double trainSeconds = value(r.metrics().path("seconds"));
            double perSecond = r.metrics().has("steps_per_second") ? value(r.metrics().path("steps_per_second")) : steps / trainSeconds;
            cells.add(Double.isNaN(steps) ? "" : Long.toString((long) steps));
            cells.add(number(perSecond));
            cells.add(number(trainSeconds));
            cells.add(number(r.outcome().seconds()));
            cells.add(r.outcome().host() == null ? "" : r.outcome().host());
            cells.add(r.outcome().error() == null ? "" : r.outcome().error());
            s.append(String.join(",", cells.stream().map(SweepReport::csvCell).toList())).append('\n');
        }
        return s.toString();
    }

    private static String markdown(SweepResults results, Context context, Optional<SweepResults.Row> chosen) {
        SweepPlan plan = results.plan();
        RankMetric rank = plan.rank();
        StringBuilder s = new StringBuilder();
        s.append("# Sweep ").append(plan.file().getFileName()).append("\n\n");
        s.append(String.format(Locale.ROOT, "%d runs (%d configurations × seeds) on `%s`, %d task slot(s) of %d thread(s): "
                        + "%d trained, %d reused from an earlier sweep on this directory, %d failed, %d not run; %.1f min wall.%n%n",
                plan.runs().size(), plan.configurations(), context.master(), context.slots(), context.threadsPerTask(),
                results.count(RunOutcome.Status.FINISHED), results.count(RunOutcome.Status.REUSED),
                results.count(RunOutcome.Status.FAILED), results.count(RunOutcome.Status.NOT_RUN), context.wallSeconds() / 60));
        if (plan.dropped() > 0) {
            s.append("budget.runs left out ").append(plan.dropped()).append(" configurations (a seeded random subset was kept).\n\n");
        }
        s.append("Ranked by **validation ").append(rank.label()).append("** (`").append(rank.path())
                .append("` of metrics.json) only; configurations by the mean over their seeds. Test errors are shown for information "
                        + "and were not used to rank or choose.\n\n");
        chosen.ifPresent(c -> {
            s.append("## Chosen\n\n");
            s.append("Run `").append(c.run().id()).append("` (").append(c.run().label()).append("): validation ")
                    .append(rank.label()).append(' ').append(format(c.score())).append("; model in `runs/").append(c.run().id())
                    .append("/model`. `").append(CHOSEN).append("` is its training config:\n\n");
            s.append("```bash\nbin/koopman4j train --config ").append(CHOSEN).append(" --out runs/chosen\n```\n\n");
        });
        s.append("## Configurations\n\n");
        List<String> head = new ArrayList<>(List.of("rank"));
        head.addAll(plan.fields());
        head.addAll(List.of("seeds", "validation " + rank.label() + " mean", "min", "max", "test " + rank.label() + " mean"));
        table(s, head);
        for (SweepResults.Configuration c : results.configurations()) {
            List<String> cells = new ArrayList<>(List.of(c.rank() > 0 ? Integer.toString(c.rank()) : "–"));
            c.values().forEach(v -> cells.add(SweepPlan.display(v)));
            cells.addAll(List.of(c.scored() + "/" + c.runs().size(), format(c.mean()), format(c.min()), format(c.max()),
                    format(c.testMean(rank))));
            row(s, cells);
        }
        s.append("\n## Runs\n\n");
        List<String> runHead = new ArrayList<>(List.of("rank", "run"));
        runHead.addAll(plan.fields());
        runHead.addAll(List.of("seed", "status", "attempts", "validation " + rank.label(), "train one-step %",
                "validation one-step %", "test one-step %", "test " + rank.label(), "steps/s", "seconds"));
        table(s, runHead);
        for (SweepResults.Row r : results.runs()) {
            List<String> cells = new ArrayList<>(List.of(r.ranked() ? Integer.toString(r.rank()) : "–", "`" + r.run().id() + "`"));
            r.run().values().forEach(v -> cells.add(SweepPlan.display(v)));
            double steps = value(r.metrics().path("steps"));
            double perSecond = r.metrics().has("steps_per_second") ? value(r.metrics().path("steps_per_second"))
                    : steps / value(r.metrics().path("seconds"));
            cells.addAll(List.of(Long.toString(r.run().seed()), r.outcome().status().name().toLowerCase(Locale.ROOT),
                    Integer.toString(r.outcome().attempts()), format(r.score()),
                    format(value(r.split("train").path("one_step_error_pct"))),
                    format(value(r.split("validation").path("one_step_error_pct"))),
                    format(value(r.split("test").path("one_step_error_pct"))),
                    format(rank.of(r.split("test"))), format1(perSecond), format1(r.outcome().seconds())));
            row(s, cells);
        }
        List<SweepResults.Row> failed = results.runs().stream()
                .filter(r -> r.outcome().status() == RunOutcome.Status.FAILED || r.outcome().status() == RunOutcome.Status.NOT_RUN).toList();
        if (!failed.isEmpty()) {
            s.append("\n## Failed or not run\n\n");
            table(s, List.of("run", "config", "attempts", "error"));
            for (SweepResults.Row r : failed) {
                row(s, List.of("`" + r.run().id() + "`", r.run().label(), Integer.toString(r.outcome().attempts()),
                        r.outcome().error() == null ? "" : r.outcome().error()));
            }
            s.append("\nEach run's `attempts.log` (in `runs/<run>/`) has every attempt with its stack trace; "
                    + "a sweep started again on this directory tries these runs again and reuses the finished ones.\n");
        }
        if (chosen.isPresent()) {
            s.append("\n## Validation error against the swept fields\n\n![validation ").append(rank.label())
                    .append(" against the swept fields](").append(FIGURE).append(")\n");
        }
        return s.toString();
    }

    private static String chosenYaml(SweepResults results, SweepResults.Row chosen) {
        RankMetric rank = results.plan().rank();
        SweepResults.Configuration best = results.configurations().get(0);
        return "# Chosen by the sweep " + results.plan().file().getFileName() + ": run " + chosen.run().id() + " ("
                + chosen.run().label() + ")\n# validation " + rank.label() + " " + format(chosen.score()) + "; its configuration's mean over "
                + best.scored() + " seed(s) " + format(best.mean()) + ", ranked 1 of " + results.configurations().size()
                + " by validation error only.\n# bin/koopman4j train --config chosen.yaml trains it again (same numbers with the same thread count).\n"
                + chosen.run().configYaml();
    }

    private static void table(StringBuilder s, List<String> head) {
        row(s, head);
        s.append('|').append("---|".repeat(head.size())).append('\n');
    }

    private static void row(StringBuilder s, List<String> cells) {
        s.append("| ").append(String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
    }

    private static double value(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** Full precision in the CSV: a reader can check bit for bit against a train run's metrics.json. */
    private static String number(double x) {
        return Double.isNaN(x) ? "" : Double.toString(x);
    }

    private static String format(double x) {
        if (Double.isNaN(x)) {
            return "–";
        }
        return Math.abs(x) >= 1000 || (Math.abs(x) < 0.01 && x != 0) ? String.format(Locale.ROOT, "%.3g", x)
                : String.format(Locale.ROOT, "%.3f", x);
    }

    private static String format1(double x) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.1f", x);
    }

    private static String csvCell(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"").replace("\n", " ") + "\"" : cell;
    }
}
