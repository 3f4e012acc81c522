package koopman4j.sweep;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import koopman4j.core.data.InvalidDataException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A hyperparameter sweep, the {@code sweep} command: a sweep file is expanded and checked
 * ({@link SweepPlan}), runs finished by an earlier sweep on the same directory are reused, the others
 * are trained on Spark, one run per task ({@link SparkSweep}), and the results are ranked by validation
 * error and written out ({@link SweepReport}).
 *
 * <p>Output directory: {@code sweep.yaml} (the sweep file as given), {@code runs/<id>/} (one {@code train}
 * run directory each, with {@code config.yaml}, {@code attempts.log} and, once finished, {@code done.json}),
 * {@code results.csv}, {@code report.md}, {@code chosen.yaml}, {@code validation.png}.
 */
public final class Sweep {

    private static final Logger LOG = LogManager.getLogger(Sweep.class);

    private Sweep() {
    }

    /**
     * How to run: {@code master} (null: what spark-submit set, else {@code local[*]}) and further Spark
     * settings, as {@code spark-submit --conf} takes them.
     */
    public record Options(String master, Map<String, String> sparkConf) {
        public Options {
            sparkConf = sparkConf == null ? Map.of() : new LinkedHashMap<>(sparkConf);
        }
    }

    /**
     * What a sweep did.
     *
     * @param out     its output directory
     * @param text    a summary for the terminal: counts, the best configurations, where the files are
     * @param chosen  the chosen run's id, if any run finished
     * @param outcomes every run's outcome in plan order
     */
    public record Summary(Path out, String text, Optional<String> chosen, List<RunOutcome> outcomes) {
        public long count(RunOutcome.Status status) {
            return outcomes.stream().filter(o -> o.status() == status).count();
        }
    }

    /** The runs a sweep file asks for, checked, without running anything ({@code sweep --dry-run}). */
    public static String plan(Path sweepFile) {
        SweepPlan plan = SweepPlan.load(sweepFile);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d runs (%d configurations), ranked by validation %s%s%n", plan.runs().size(),
                plan.configurations(), plan.rank().path(),
                plan.dropped() > 0 ? "; budget.runs left out " + plan.dropped() + " configurations" : ""));
        for (SweepPlan.Run r : plan.runs()) {
            s.append(r.id()).append("  ").append(r.label()).append('\n');
        }
        return s.toString().stripTrailing();
    }

    /**
     * Runs a sweep into {@code out} (a path, or a {@code file:} URI of a filesystem every executor sees).
     * Bad input (the sweep file, a run's config, the output location) is refused before anything runs.
     */
    public static Summary run(Path sweepFile, String out, Options options) throws IOException {
        long start = System.nanoTime();
        SweepPlan plan = SweepPlan.load(sweepFile);
        Path dir = outputDirectory(out);
        Path runsDir = dir.resolve("runs");
        Files.createDirectories(runsDir);
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lock(lockFile, dir)) {
            keepSweepFile(sweepFile, dir);
            List<RunOutcome> outcomes = new ArrayList<>();
            List<RunSpec> pending = new ArrayList<>();
            for (SweepPlan.Run r : plan.runs()) {
                RunSpec spec = new RunSpec(r.id(), r.configYaml());
                RunOutcome done = RunExecutor.finished(runsDir.resolve(r.id()), spec);
                outcomes.add(done);
                if (done == null) {
                    pending.add(spec);
                }
            }
            LOG.info("sweep {}: {} runs, {} finished by an earlier sweep on {}, {} to train", sweepFile.getFileName(),
                    plan.runs().size(), plan.runs().size() - pending.size(), dir, pending.size());
            String[] where = {options.master() == null ? "none (every run was finished)" : options.master()};
            int[] slots = {0};
            if (!pending.isEmpty()) {
                long deadline = plan.settings().budgetMinutes() == null ? 0
                        : System.currentTimeMillis() + (long) (plan.settings().budgetMinutes() * 60_000);
                List<RunOutcome> trained = onSpark(options, plan, pending, runsDir, deadline, env -> {
                    where[0] = env.master();
                    slots[0] = env.slots();
                });
                int next = 0;
                for (int i = 0; i < outcomes.size(); i++) {
                    if (outcomes.get(i) == null) {
                        outcomes.set(i, trained.get(next++));
                    }
                }
            }
            SweepResults results = SweepResults.of(plan, outcomes);
            double wall = (System.nanoTime() - start) / 1e9;
            SweepReport.write(dir, results, new SweepReport.Context(where[0], slots[0], plan.settings().threadsPerTask(), wall));
            return new Summary(dir, summary(results, dir), results.chosen().map(r -> r.run().id()), List.copyOf(outcomes));
        }
    }

    private static List<RunOutcome> onSpark(Options options, SweepPlan plan, List<RunSpec> pending, Path runsDir, long deadline,
                                            java.util.function.Consumer<SparkSweep.Environment> started) {
        try {
            return SparkSweep.run(options.master(), options.sparkConf(), plan.settings(), plan.file().getFileName().toString(),
                    pending, runsDir, deadline, started);
        } catch (NoClassDefFoundError e) {
            if (String.valueOf(e.getMessage()).startsWith("org/apache/spark") || String.valueOf(e.getMessage()).startsWith("scala/")) {
                throw new IllegalStateException("sweep needs Apache Spark on the class path: run it through bin/koopman4j "
                        + "(which adds modules/koopman4j-cli/target/spark/*) or spark-submit", e);
            }
            throw e;
        }
    }

    /** A local path or a file: URI; other schemes are refused, since runs write through the trainer's file IO. */
    static Path outputDirectory(String out) {
        if (out.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            URI uri = URI.create(out);
            if (!"file".equalsIgnoreCase(uri.getScheme())) {
                throw new InvalidDataException("--out " + out + ": only local or shared-filesystem paths (or file: URIs) are supported; "
                        + "every executor must see it as a directory");
            }
            return Path.of(uri).toAbsolutePath();
        }
        return Path.of(out).toAbsolutePath();
    }

    private static FileLock lock(FileChannel channel, Path dir) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // this JVM holds it already: the same as another process holding it
        }
        throw new InvalidDataException("--out " + dir + ": another sweep is running in this directory");
    }

    /** The sweep file as given, for provenance; a different one replacing it is logged (its finished runs still count). */
    private static void keepSweepFile(Path sweepFile, Path dir) throws IOException {
        Path kept = dir.resolve("sweep.yaml");
        String text = Files.readString(sweepFile, StandardCharsets.UTF_8);
        if (Files.isRegularFile(kept) && !Files.readString(kept, StandardCharsets.UTF_8).equals(text)) {
            LOG.info("{} held another sweep file; runs with the same config as before are reused", dir);
        }
        Files.writeString(kept, text, StandardCharsets.UTF_8);
    }

    private static String summary(SweepResults results, Path dir) {
        StringBuilder s = new StringBuilder();
        RankMetric rank = results.plan().rank();
        s.append(String.format(Locale.ROOT, "%d runs: %d trained, %d reused, %d failed, %d not run%n", results.runs().size(),
                results.count(RunOutcome.Status.FINISHED), results.count(RunOutcome.Status.REUSED),
                results.count(RunOutcome.Status.FAILED), results.count(RunOutcome.Status.NOT_RUN)));
        s.append(String.format(Locale.ROOT, "%-4s %10s  %s%n", "rank", "val " + rank.label().replace(" %", ""), "configuration"));
        results.configurations().stream().filter(c -> c.rank() > 0).limit(5).forEach(c -> {
            List<String> shown = new ArrayList<>();
            for (int i = 0; i < results.plan().fields().size(); i++) {
                shown.add(results.plan().fields().get(i) + "=" + SweepPlan.display(c.values().get(i)));
            }
            s.append(String.format(Locale.ROOT, "%-4d %10.4g  %s (%d seed%s)%n", c.rank(), c.mean(),
                    shown.isEmpty() ? "base" : String.join(", ", shown), c.scored(), c.scored() == 1 ? "" : "s"));
        });
        results.chosen().ifPresent(c -> s.append("chosen: run ").append(c.run().id()).append(" (").append(c.run().label())
                .append("): ").append(dir.resolve(SweepReport.CHOSEN)).append('\n'));
        s.append("report: ").append(dir.resolve(SweepReport.MARKDOWN)).append("   results: ").append(dir.resolve(SweepReport.CSV));
        return s.toString();
    }
}
