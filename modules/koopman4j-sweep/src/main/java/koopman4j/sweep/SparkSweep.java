package koopman4j.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import koopman4j.core.data.InvalidDataException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The Spark side of a sweep, the one class that touches Spark: one partition per run, so that each run
 * is one task; the task trains it through {@link RunExecutor} and returns its {@link RunOutcome}.
 *
 * <p>Threads: a run's ND4J, OpenBLAS and fused-step threads are set by {@code OMP_NUM_THREADS}, read
 * once when each library loads in a JVM. On a cluster every executor JVM is started with it set to
 * {@code threadsPerTask} ({@code spark.executorEnv}) and runs cores / {@code spark.task.cpus} tasks at
 * once. In {@code local} mode the tasks are threads of this JVM, so its own environment counts
 * (bin/koopman4j sets OMP_NUM_THREADS=1 for {@code sweep}); {@code local[*]} becomes one task slot per
 * threadsPerTask cores.
 */
final class SparkSweep {

    private static final Logger LOG = LogManager.getLogger(SparkSweep.class);
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[0-9]+)(?:,\\s*([0-9]+))?])?");

    private SparkSweep() {
    }

    /** Where it ran: the master, the task slots per machine and the threads per task. */
    record Environment(String master, int slots, int threadsPerTask, String ompNumThreads) {
        boolean local() {
            return master.startsWith("local");
        }
    }

    /**
     * Spark's configuration for a sweep: what spark-submit or {@code --master} / {@code --conf} gave, else
     * embedded {@code local[*]}; settings the user gave are never overridden.
     */
    static SparkConf configure(String master, Map<String, String> conf, SweepPlan.Settings settings, String name) {
        SparkConf c = new SparkConf(); // picks up spark.* system properties, as spark-submit passes them
        conf.forEach(c::set);
        if (master != null) {
            c.setMaster(master);
        } else if (!c.contains("spark.master")) {
            c.setMaster("local[*]");
        }
        c.setIfMissing("spark.app.name", "koopman4j sweep " + name);
        int threads = settings.threadsPerTask();
        int attempts = settings.retries() + 1;
        Matcher local = LOCAL.matcher(c.get("spark.master").trim());
        if (local.matches()) {
            // a local master's own retry count is the second number in local[N,F]; * means one slot per threadsPerTask cores
            int cores = Runtime.getRuntime().availableProcessors();
            String n = local.group(1);
            int slots = n == null ? 1 : n.equals("*") ? Math.max(1, cores / threads) : Integer.parseInt(n) / threads;
            if (slots < 1) {
                throw new InvalidDataException("--master " + c.get("spark.master") + ": fewer cores than threadsPerTask " + threads);
            }
            String failures = local.group(2) != null ? local.group(2) : Integer.toString(attempts);
            c.setMaster("local[" + slots * threads + "," + failures + "]");
            c.setIfMissing("spark.driver.host", "127.0.0.1");
            c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            c.setIfMissing("spark.ui.enabled", "false");
        }
        c.setIfMissing("spark.task.cpus", Integer.toString(threads));
        c.setIfMissing("spark.task.maxFailures", Integer.toString(attempts));
        c.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(threads));
        c.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", Integer.toString(threads));
        // spinning OpenMP threads lose whole scheduler slices when tasks share cores (bin/koopman4j's reason too)
        c.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        // a run is one long task whose result is small: nothing to gain from waiting for data locality
        c.setIfMissing("spark.locality.wait", "0s");
        return c;
    }

    /**
     * Trains the runs, one task each, and returns their outcomes in the order given; {@code started} learns
     * where they run once Spark is up. No Spark type in the signature: callers load without Spark.
     */
    static List<RunOutcome> run(String master, Map<String, String> sparkConf, SweepPlan.Settings settings, String name,
                                List<RunSpec> runs, Path runsDir, long deadlineMillis, java.util.function.Consumer<Environment> started) {
        SparkConf conf = configure(master, sparkConf, settings, name);
        try (JavaSparkContext spark = start(conf)) {
            int threads = Integer.parseInt(conf.get("spark.task.cpus"));
            Environment env = new Environment(spark.master(), slots(spark, threads), threads, System.getenv("OMP_NUM_THREADS"));
            if (env.local() && !Integer.toString(threads).equals(env.ompNumThreads())) {
                LOG.warn("OMP_NUM_THREADS is {} in this JVM, where the local tasks run: each of the {} task slots may use that many "
                        + "threads instead of {} (bin/koopman4j sets it; its results differ in the last bits from {}-thread train runs)",
                        env.ompNumThreads() == null ? "unset (one per core)" : env.ompNumThreads(), env.slots(), threads, threads);
            }
            started.accept(env);
            AtomicInteger done = new AtomicInteger();
            spark.sc().addSparkListener(new Progress(runs.size(), done));
            LOG.info("sweep: {} runs on {} ({} task slots, {} thread(s) per task)", runs.size(), env.master(), env.slots(), threads);
            return spark.parallelize(runs, runs.size())
                    .map(new TrainTask(runsDir.toAbsolutePath().toString(), settings.retries(), deadlineMillis))
                    .collect().stream().map(RunOutcome::fromJson).toList();
        }
    }

    private static JavaSparkContext start(SparkConf conf) {
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) { // Scala throws the checked SparkException undeclared
            if (e instanceof org.apache.spark.SparkException && String.valueOf(e.getMessage()).startsWith("Could not parse Master URL")) {
                throw new InvalidDataException("--master " + conf.get("spark.master") + ": not a Spark master URL "
                        + "(local[N], spark://host:port, yarn, k8s://…)", e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("Spark did not start", e);
        }
    }

    private static int slots(JavaSparkContext spark, int threads) {
        return Math.max(1, spark.defaultParallelism() / threads);
    }

    /** The task: one run, in whatever executor it lands; its outcome travels back as JSON text. */
    static final class TrainTask implements Function<RunSpec, String> {
        private static final long serialVersionUID = 1L;
        private final String runsDir;
        private final int retries;
        private final long deadlineMillis;

        TrainTask(String runsDir, int retries, long deadlineMillis) {
            this.runsDir = runsDir;
            this.retries = retries;
            this.deadlineMillis = deadlineMillis;
        }

        @Override
        public String call(RunSpec spec) {
            TaskContext task = TaskContext.get();
            RunExecutor executor = new RunExecutor(Path.of(runsDir), retries, deadlineMillis,
                    () -> task != null && task.isInterrupted());
            try {
                return executor.execute(spec).toJson();
            } catch (RunExecutor.Killed e) {
                // Spark starts a killed task again without counting it as a failure
                throw new TaskKilledException(e.getMessage());
            }
        }
    }

    /** Logs each finished task on the driver (the runs themselves log where they run). */
    private static final class Progress extends SparkListener {
        private final int total;
        private final AtomicInteger done;

        Progress(int total, AtomicInteger done) {
            this.total = total;
            this.done = done;
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskInfo().successful()) {
                LOG.info("sweep: {}/{} runs done", done.incrementAndGet(), total);
            } else {
                String reason = end.reason() instanceof org.apache.spark.TaskFailedReason failed ? failed.toErrorString() : end.reason().toString();
                LOG.warn("sweep: a task ended with {}; Spark starts it again", reason);
            }
        }
    }
}
