package koopman4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults do not end a sweep: a killed task is started again; a run that diverges is rolled back by the trainer's own
 * guard, then refused as bad input (training.learningRate), which the sweep reports without retrying: the same config
 * and seed would diverge the same way.
 */
class SweepFaultTest {

    @TempDir
    Path dir;

    @Test
    void killedRunIsTrainedAgainAndDivergingRunIsRetriedAndReported() throws IOException {
        // the second learning rate makes Adam's first step 1e30: the loss overflows, the guard's roll-backs at lower rates
        // fail too, and the trainer stops ("training diverged … lower training.learningRate")
        Path file = SweepFiles.write(dir, "grid:\n  training.learningRate: [1.0e-3, 1.0e+30]\nretries: 1\n");
        SweepPlan plan = SweepPlan.load(file);
        Path out = dir.resolve("out");
        Path killed = out.resolve("runs").resolve(plan.runs().get(0).id());
        Sweep.Options options = new Sweep.Options("local[2]", Map.of("spark.extraListeners", KillFirstTaskOnce.class.getName(),
                "spark.koopman4j.test.kill", killed.toString()));

        Sweep.Summary summary = Sweep.run(file, out.toString(), options);

        RunOutcome first = summary.outcomes().get(0);
        assertEquals(RunOutcome.Status.FINISHED, first.status(), summary.text());
        assertEquals(2, first.attempts(), "killed once, then finished");
        String log = Files.readString(killed.resolve(RunExecutor.ATTEMPTS));
        assertTrue(log.contains("attempt 1 killed by the scheduler"), log);
        assertTrue(Files.exists(killed.resolve(RunExecutor.DONE)));

        RunOutcome second = summary.outcomes().get(1);
        assertEquals(RunOutcome.Status.FAILED, second.status());
        assertEquals(1, second.attempts(), "bad input is not retried");
        assertTrue(second.error().contains("training diverged"), second.error());
        assertTrue(Files.notExists(out.resolve("runs").resolve(second.id()).resolve(RunExecutor.DONE)), "a failed run is not finished");

        assertEquals(first.id(), summary.chosen().orElseThrow());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Failed or not run") && report.contains(second.id()) && report.contains("training diverged"), report);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(csv.get(2).startsWith(second.id() + ",failed,1,"), csv.get(2));
    }
}
