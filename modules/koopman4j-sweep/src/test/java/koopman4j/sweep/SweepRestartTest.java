package koopman4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep killed midway (its whole JVM, SIGKILL) and started again on the same directory skips its finished runs. */
class SweepRestartTest {

    @TempDir
    Path dir;

    @Test
    void sweepKilledMidwayAndStartedAgainReusesFinishedRunsAndTrainsTheRest() throws Exception {
        Path file = SweepFiles.write(dir, "grid:\n  model.dictionary.width: [4, 6, 8]\n");
        SweepPlan plan = SweepPlan.load(file);
        Path out = dir.resolve("out");
        Path runs = out.resolve("runs");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // heap, Vector API, Spark's --add-opens
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SweepMain.class.getName(), file.toString(), out.toString(),
                "local[1]"));
        Process sweep = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (done(plan, runs).isEmpty() && sweep.isAlive() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        } finally {
            sweep.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup, as a lost machine
            sweep.waitFor(1, TimeUnit.MINUTES);
        }
        Map<String, byte[]> finished = new HashMap<>();
        for (String id : done(plan, runs)) {
            finished.put(id, Files.readAllBytes(runs.resolve(id).resolve(RunExecutor.DONE)));
        }
        assertTrue(!finished.isEmpty() && finished.size() < plan.runs().size(),
                "killed after its first run finished, before its last: " + finished.keySet() + "\n" + Files.readString(dir.resolve("first.log")));

        Sweep.Summary again = Sweep.run(file, out.toString(), SweepTest.LOCAL_2);

        for (RunOutcome o : again.outcomes()) {
            if (finished.containsKey(o.id())) {
                assertEquals(RunOutcome.Status.REUSED, o.status(), o.id());
                assertTrue(java.util.Arrays.equals(finished.get(o.id()), Files.readAllBytes(runs.resolve(o.id()).resolve(RunExecutor.DONE))),
                        "a reused run is not touched");
            } else {
                assertEquals(RunOutcome.Status.FINISHED, o.status(), o.id());
            }
        }
        assertEquals(plan.runs().size(), done(plan, runs).size());
        assertTrue(Files.readString(out.resolve("report.md")).contains(finished.size() + " reused from an earlier sweep"));
    }

    private static List<String> done(SweepPlan plan, Path runs) {
        return plan.runs().stream().map(SweepPlan.Run::id).filter(id -> Files.exists(runs.resolve(id).resolve(RunExecutor.DONE))).toList();
    }
}
