package koopman4j.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * A Spark listener (spark.extraListeners) that kills the first attempt of the sweep's first task once its
 * run has started training (its train.log exists), through the scheduler as a user killing a task from
 * the Spark UI would: the task's thread is interrupted and Spark starts the task again.
 * {@code spark.koopman4j.test.kill} names that run's directory.
 */
public final class KillFirstTaskOnce extends SparkListener {

    private final Path run;
    private final AtomicBoolean fired = new AtomicBoolean();

    public KillFirstTaskOnce(SparkConf conf) {
        this.run = Path.of(conf.get("spark.koopman4j.test.kill"));
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
        if (start.taskInfo().index() != 0 || start.taskInfo().attemptNumber() != 0 || !fired.compareAndSet(false, true)) {
            return;
        }
        long taskId = start.taskInfo().taskId();
        Thread killer = new Thread(() -> {
            long until = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(run.resolve("train.log")) && System.nanoTime() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
            SparkContext.getOrCreate().killTaskAttempt(taskId, true, "test: killed mid-run");
        }, "kill-first-task");
        killer.setDaemon(true);
        killer.start();
    }
}
