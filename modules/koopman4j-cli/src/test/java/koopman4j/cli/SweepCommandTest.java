package koopman4j.cli;

import static koopman4j.cli.BadInputTest.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sweep}: bad sweep files end with exit 2 and one line before anything runs; a sweep's chosen.yaml trains as it ran. */
class SweepCommandTest {

    /** ReLU: an ELU run does not repeat bit for bit (the fused step's e^x depends on the JIT's state). */
    private static final String TINY = """
            model:
              dictionary: { depth: 1, width: 8, outputs: 4, activation: relu }
              loss: { stateWeight: 1.0 }
            data: { system: glycolysis, trajectories: 20, steps: 60, dt: 0.01, seed: 1 }
            training: { batchSize: 64, steps: 40, evalEvery: 20, checkpointEvery: 20, selectHorizon: 10 }
            """;

    @TempDir
    Path dir;

    private Path sweep(String body) throws IOException {
        Files.writeString(dir.resolve("tiny.yaml"), TINY);
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, "base: tiny.yaml\n" + body);
        return file;
    }

    private CliRun run(String body) throws IOException {
        return CliRun.of("sweep", "--config", sweep(body).toString(), "--out", dir.resolve("out").toString());
    }

    @Test
    void rejectsSweptFieldMissingFromTheConfigBeforeAnythingRuns() throws IOException {
        assertBadInput(run("grid:\n  model.dictionary.widht: [4, 8]\n"), "sweep.yaml: grid.model.dictionary.widht: no such field");
        assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
    }

    @Test
    void rejectsEmptyGridBeforeAnythingRuns() throws IOException {
        assertBadInput(run("grid: {}\n"), "sweep.yaml: grid is empty");
        assertBadInput(run("grid:\n  model.dictionary.width: []\n"), "grid.model.dictionary.width: empty list of values");
        assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
    }

    @Test
    void rejectsBudgetOfZeroBeforeAnythingRuns() throws IOException {
        assertBadInput(run("seeds: [1, 2]\nbudget: { runs: 0 }\n"), "sweep.yaml: budget.runs must be at least 1, got 0");
        assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
    }

    @Test
    void rejectsOutputOutsideTheFilesystemAndMissingOut() throws IOException {
        assertBadInput(CliRun.of("sweep", "--config", sweep("seeds: [1, 2]\n").toString(), "--out", "hdfs://cluster/sweeps/g"),
                "--out hdfs://cluster/sweeps/g: only local or shared-filesystem paths");
        assertBadInput(CliRun.of("sweep", "--config", sweep("seeds: [1, 2]\n").toString()), "--out: missing");
    }

    @Test
    void rejectsUnknownSparkMaster() throws IOException {
        assertBadInput(CliRun.of("sweep", "--config", sweep("seeds: [1, 2]\n").toString(), "--out", dir.resolve("out").toString(),
                "--master", "nowhere"), "--master nowhere: not a Spark master URL");
    }

    @Test
    void dryRunListsTheRunsAndRunsNothing() throws IOException {
        CliRun r = CliRun.of("sweep", "--config", sweep("grid:\n  model.dictionary.width: [4, 8]\n").toString(), "--dry-run");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.notExists(dir.resolve("out")));
    }

    @Test
    void chosenYamlTrainsTheChosenRunAgainBitForBit() throws IOException {
        CliRun r = CliRun.of("sweep", "--config", sweep("seeds: [1, 2]\n").toString(), "--out", dir.resolve("out").toString(),
                "--master", "local[2]");
        assertEquals(0, r.exitCode(), r.err());
        Path out = dir.resolve("out");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, csv.size());
        String chosen = Files.readString(out.resolve("chosen.yaml"));
        String id = chosen.lines().findFirst().orElseThrow().replaceFirst(".*: run ([0-9a-f]+) .*", "$1");
        CliRun train = CliRun.of("train", "--config", out.resolve("chosen.yaml").toString(), "--out", dir.resolve("again").toString());
        assertEquals(0, train.exitCode(), train.err());
        ObjectMapper json = new ObjectMapper();
        ObjectNode swept = (ObjectNode) json.readTree(out.resolve("runs").resolve(id).resolve("metrics.json").toFile());
        ObjectNode again = (ObjectNode) json.readTree(dir.resolve("again").resolve("metrics.json").toFile());
        for (ObjectNode m : List.of(swept, again)) {
            m.remove(List.of("seconds", "steps_per_second"));
        }
        assertEquals(swept, again, "the chosen config, trained alone, gives the chosen run's metrics");
    }
}
