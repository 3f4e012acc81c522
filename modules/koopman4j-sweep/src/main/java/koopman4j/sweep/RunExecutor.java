package koopman4j.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import koopman4j.core.data.InvalidDataException;
import koopman4j.api.TrainJob;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs one sweep run where a task lands: the {@code train} code path ({@link TrainJob#run}) on the run's
 * {@code config.yaml}, into the run's directory, retried a bounded number of times. The run is finished
 * when its completion marker {@code done.json} exists: it is written last, to a temporary name and moved
 * into place, so a run killed at any moment is either finished with its metrics or not finished at all.
 * {@code attempts.log} in the run directory keeps every attempt (start, end, error with its stack trace)
 * across retries, kills and restarts of the sweep.
 */
final class RunExecutor {

    static final String CONFIG = "config.yaml";
    static final String DONE = "done.json";
    static final String ATTEMPTS = "attempts.log";
    private static final Logger LOG = LogManager.getLogger(RunExecutor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runs;
    private final int retries;
    private final long deadlineMillis;
    private final BooleanSupplier killed;

    /**
     * @param runs           the sweep's {@code runs/} directory (on a filesystem every executor sees)
     * @param retries        attempts after the first one that fails
     * @param deadlineMillis no attempt starts after this wall-clock time (epoch ms; 0: no deadline)
     * @param killed         whether the scheduler has killed the task running this run
     */
    RunExecutor(Path runs, int retries, long deadlineMillis, BooleanSupplier killed) {
        this.runs = runs;
        this.retries = retries;
        this.deadlineMillis = deadlineMillis;
        this.killed = killed;
    }

    /** Thrown when the task was killed: the run is left unfinished for the scheduler to start again. */
    static final class Killed extends RuntimeException {
        Killed(String message) {
            super(message);
        }
    }

    RunOutcome execute(RunSpec spec) {
        Path dir = runs.resolve(spec.id());
        RunOutcome done = finished(dir, spec);
        if (done != null) {
            return done;
        }
        if (!killed.getAsBoolean()) {
            Thread.interrupted(); // an interrupt left over from a task killed earlier on this pooled thread would fail our file IO
        }
        int attempts = attemptsSoFar(dir);
        if (deadlineMillis > 0 && System.currentTimeMillis() > deadlineMillis) {
            return new RunOutcome(spec.id(), RunOutcome.Status.NOT_RUN, attempts, null, Double.NaN, "budget.minutes ran out", host());
        }
        String error = null;
        for (int a = 0; a <= retries; a++) {
            attempts++;
            prepare(dir, spec);
            log(dir, "attempt " + attempts + " started on " + host());
            LOG.info("run {}: attempt {} started", spec.id(), attempts);
            long t0 = System.nanoTime();
            try {
                ObjectNode metrics = TrainJob.run(dir.resolve(CONFIG), null, dir, List.of(), null);
                checkKilled(dir, attempts);
                double seconds = (System.nanoTime() - t0) / 1e9;
                markDone(dir, spec, metrics, attempts, seconds);
                log(dir, String.format("attempt %d finished in %.1f s", attempts, seconds));
                LOG.info("run {}: finished in {} s", spec.id(), String.format("%.1f", seconds));
                return new RunOutcome(spec.id(), RunOutcome.Status.FINISHED, attempts, metrics.toString(), seconds, null, host());
            } catch (InvalidDataException e) {
                checkKilled(dir, attempts);
                // the trainer refused this combination (e.g. a horizon longer than the trajectories): the same every time
                error = "bad input: " + oneLine(e);
                log(dir, "attempt " + attempts + " refused, not retried: " + stackTrace(e));
                LOG.warn("run {}: {}", spec.id(), error);
                return new RunOutcome(spec.id(), RunOutcome.Status.FAILED, attempts, null, Double.NaN, error, host());
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                checkKilled(dir, attempts);
                // a divergence, out of memory, a lost file: this run only; its memory is garbage once we leave
                error = oneLine(e);
                log(dir, "attempt " + attempts + " failed: " + stackTrace(e));
                LOG.warn("run {}: attempt {} failed: {}", spec.id(), attempts, error);
            }
        }
        return new RunOutcome(spec.id(), RunOutcome.Status.FAILED, attempts, null, Double.NaN, error, host());
    }

    /** The run's outcome from its completion marker, or null when it has not finished (or was another config). */
    static RunOutcome finished(Path dir, RunSpec spec) {
        Path marker = dir.resolve(DONE);
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        try {
            String config = Files.readString(dir.resolve(CONFIG), StandardCharsets.UTF_8);
            if (!config.equals(spec.configYaml())) {
                LOG.warn("run {}: {} holds another config; the run is trained again", spec.id(), dir);
                return null;
            }
            JsonNode done = JSON.readTree(marker.toFile());
            return new RunOutcome(spec.id(), RunOutcome.Status.REUSED, done.path("attempts").asInt(), done.path("metrics").toString(),
                    done.path("seconds").asDouble(Double.NaN), null, done.path("host").asText());
        } catch (IOException e) {
            LOG.warn("run {}: completion marker unreadable ({}); the run is trained again", spec.id(), e.toString());
            return null;
        }
    }

    /** Attempts recorded in attempts.log by earlier task attempts and sweeps. */
    private static int attemptsSoFar(Path dir) {
        Path log = dir.resolve(ATTEMPTS);
        if (!Files.isRegularFile(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return (int) lines.filter(l -> l.matches("\\S+ attempt \\d+ started .*")).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Empties the run directory of a previous attempt's files (attempts.log stays) and writes config.yaml. */
    private static void prepare(Path dir, RunSpec spec) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    if (!p.getFileName().toString().equals(ATTEMPTS)) {
                        deleteTree(p);
                    }
                }
            }
            Files.writeString(dir.resolve(CONFIG), spec.configYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare run directory " + dir, e);
        }
    }

    /** done.json written whole under another name, then moved into place in one step. */
    private static void markDone(Path dir, RunSpec spec, ObjectNode metrics, int attempts, double seconds) throws IOException {
        ObjectNode done = JSON.createObjectNode();
        done.put("run", spec.id());
        done.put("attempts", attempts);
        done.put("seconds", seconds);
        done.put("host", host());
        done.put("finished", Instant.now().toString());
        done.set("metrics", metrics);
        Path tmp = dir.resolve(DONE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), done);
        Files.move(tmp, dir.resolve(DONE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void checkKilled(Path dir, int attempt) {
        if (killed.getAsBoolean()) {
            Thread.interrupted(); // so that the line below can still be written
            log(dir, "attempt " + attempt + " killed by the scheduler; the task is started again");
            throw new Killed("run " + dir.getFileName() + ": task killed");
        }
    }

    private static void log(Path dir, String line) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ATTEMPTS), Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", dir.resolve(ATTEMPTS), e.toString());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof InvalidDataException) {
            m = e.getMessage();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String stackTrace(Throwable e) {
        StringWriter s = new StringWriter();
        e.printStackTrace(new PrintWriter(s));
        return s.toString().stripTrailing();
    }

    private static String host() {
        return Host.NAME;
    }

    /** This machine's name, looked up once (a name lookup per run would be a DNS call per run). */
    private static final class Host {
        static final String NAME = lookup();

        private static String lookup() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown host";
            }
        }
    }
}
