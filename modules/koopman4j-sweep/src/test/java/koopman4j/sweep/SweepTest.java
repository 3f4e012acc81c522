package koopman4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import koopman4j.api.TrainJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep on embedded Spark ({@code local[2]}, one thread per task as the module's tests run): it ranks by
 * validation error, writes its report, and each run's metrics equal those of the same config trained alone
 * through the train code path, bit for bit.
 */
class SweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Sweep.Options LOCAL_2 = new Sweep.Options("local[2]", Map.of());

    @TempDir
    Path dir;

    @Test
    void sweepRanksByValidationErrorAndEachRunEqualsTrainAlone() throws IOException {
        Path file = SweepFiles.write(dir, "grid:\n  model.dictionary.width: [4, 8]\nseeds: [1, 2]\n");
        Path out = dir.resolve("out");
        Sweep.Summary summary = Sweep.run(file, out.toString(), LOCAL_2);
        assertEquals(4, summary.count(RunOutcome.Status.FINISHED), summary.text());

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(5, csv.size());
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals(List.of("run", "status", "attempts", "model.dictionary.width", "seed", "rank", "validation_score"), header.subList(0, 7));
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < csv.size(); i++) {
            String[] cells = csv.get(i).split(",", -1);
            assertEquals("finished", cells[1]);
            assertEquals(Integer.toString(i), cells[5], "rows in rank order");
            double score = Double.parseDouble(cells[6]);
            assertTrue(score >= previous, "ranked by validation score");
            previous = score;
            JsonNode metrics = JSON.readTree(out.resolve("runs").resolve(cells[0]).resolve("metrics.json").toFile());
            assertEquals(metrics.path("validation").path("rollout_error_pct").path("100").asDouble(), score, 0.0,
                    "the score is validation rollout@100, nothing from test");
        }
        String chosenId = summary.chosen().orElseThrow();
        String chosen = Files.readString(out.resolve("chosen.yaml"));
        assertTrue(chosen.endsWith(Files.readString(out.resolve("runs").resolve(summary.chosen().orElseThrow()).resolve("config.yaml"))));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("Ranked by **validation rollout@100 %**"), report);
        assertTrue(report.contains("## Configurations") && report.contains("## Runs") && report.contains("validation.png"), report);
        assertTrue(Files.size(out.resolve("validation.png")) > 1000);

        // every run equals train --config tiny.yaml --set … of the same config, alone, in the same (1-thread) setting
        for (int i = 1; i < csv.size(); i++) {
            String[] cells = csv.get(i).split(",");
            Path runDir = out.resolve("runs").resolve(cells[0]);
            ObjectNode alone = TrainJob.run(dir.resolve("tiny.yaml"), null, dir.resolve("alone-" + i),
                    List.of("model.dictionary.width=" + cells[3], "training.seed=" + cells[4]), null);
            ObjectNode swept = (ObjectNode) JSON.readTree(runDir.resolve("metrics.json").toFile());
            assertEquals(withoutTimes(alone), withoutTimes(swept), "run " + cells[0] + " bit for bit");
        }
        ObjectNode any = (ObjectNode) JSON.readTree(out.resolve("runs").resolve(chosenId).resolve("metrics.json").toFile());
        Set<Integer> horizons = new TreeSet<>();
        any.path("validation").path("rollout_error_pct").fieldNames().forEachRemaining(h -> horizons.add(Integer.parseInt(h)));
        assertEquals(new TreeSet<>(RankMetric.DEEP_DMD_HORIZONS), horizons, "RankMetric knows the horizons Deep DMD reports");

        // started again on the same directory: every run is finished, nothing trains (Spark does not even start)
        Sweep.Summary again = Sweep.run(file, out.toString(), LOCAL_2);
        assertEquals(4, again.count(RunOutcome.Status.REUSED), again.text());
        assertEquals(summary.chosen(), again.chosen());
    }

    /** metrics.json without the wall-clock fields, the only ones that may differ between two runs of one config. */
    static ObjectNode withoutTimes(ObjectNode metrics) {
        ObjectNode m = metrics.deepCopy();
        m.remove(new ArrayList<>(List.of("seconds", "steps_per_second")));
        return m;
    }
}
