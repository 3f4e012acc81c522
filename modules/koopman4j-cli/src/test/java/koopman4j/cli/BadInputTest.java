package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gets exit code 2 and one line naming the file, line or field at fault. */
class BadInputTest {

    @TempDir
    Path dir;

    private static final String HEADER = "traj,t,S1,S2\n";

    private CliRun evaluateCsv(String csv) throws IOException {
        Path data = dir.resolve("data.csv");
        Files.writeString(data, csv);
        return CliRun.of("train", "--config", config("").toString(), "--data", data.toString(), "--out", dir.resolve("run").toString());
    }

    private Path config(String extra) throws IOException {
        Path c = dir.resolve("c.yaml");
        Files.writeString(c, "model: { dictionary: { depth: 1, width: 4, outputs: 2 } }\ntraining: { steps: 2, evalEvery: 1 }\n" + extra);
        return c;
    }

    static void assertBadInput(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "'" + f + "' not in: " + run.err());
        }
    }

    @Test
    void rejectsCsvWithMissingColumn() throws IOException {
        assertBadInput(evaluateCsv(HEADER + "0,0,1,2\n0,1,3\n"), "data.csv line 3");
    }

    @Test
    void rejectsCsvWithNonNumericCell() throws IOException {
        assertBadInput(evaluateCsv(HEADER + "0,0,1,2\n0,1,abc,2\n"), "data.csv line 3", "S1", "'abc'");
    }

    @Test
    void rejectsCsvWithNaNOrInf() throws IOException {
        assertBadInput(evaluateCsv(HEADER + "0,0,1,2\n0,1,NaN,2\n"), "data.csv line 3", "S1");
        assertBadInput(evaluateCsv(HEADER + "0,0,1,2\n0,1,1,Infinity\n"), "data.csv line 3", "S2");
    }

    @Test
    void rejectsCsvWithOneSampleTrajectory() throws IOException {
        assertBadInput(evaluateCsv(HEADER + "0,0,1,2\n0,1,1,2\n1,0,1,2\n"), "data.csv", "trajectory 1");
    }

    @Test
    void rejectsCsvWithNonIncreasingTime() throws IOException {
        assertBadInput(evaluateCsv(HEADER + "0,0,1,2\n0,0.5,1,2\n0,0.5,1,2\n"), "data.csv line 4", "increas");
    }

    @Test
    void rejectsNpyOfWrongRank() throws IOException {
        Path npy = dir.resolve("x.npy");
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer buf = ByteBuffer.allocate(10 + h.length() + 6 * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) h.length()).put(h.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 6; i++) {
            buf.putDouble(i);
        }
        Files.write(npy, buf.array());
        assertBadInput(CliRun.of("train", "--config", config("").toString(), "--data", npy.toString(), "--out", dir.resolve("r").toString()),
                "x.npy", "3-d");
    }

    @Test
    void rejectsConfigWithUnknownKey() throws IOException {
        Path c = config("data: { sytem: glycolysis }\n");
        assertBadInput(CliRun.of("train", "--config", c.toString(), "--out", dir.resolve("r").toString()), "c.yaml", "unknown key 'data.sytem'");
    }

    @Test
    void rejectsConfigWithWrongType() throws IOException {
        Path c = dir.resolve("wrong.yaml");
        Files.writeString(c, "data: { system: glycolysis }\ntraining: { steps: many }\n");
        assertBadInput(CliRun.of("train", "--config", c.toString(), "--out", dir.resolve("r").toString()), "wrong.yaml", "training.steps");
    }

    @Test
    void rejectsUnknownSetOverride() throws IOException {
        assertBadInput(CliRun.of("train", "--config", config("").toString(), "--set", "training.stpes=3"), "unknown key 'training.stpes'");
    }

    @Test
    void rejectsMissingModelDirectory() {
        assertBadInput(CliRun.of("evaluate", "--model", dir.resolve("absent").toString(), "--data", "x.csv"), "absent", "no such model directory");
    }

    @Test
    void rejectsCorruptModelDirectory() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("model.json"), "{\"kind\": \"deep-dmd\", \"version\": 1");
        assertBadInput(CliRun.of("evaluate", "--model", model.toString(), "--data", "x.csv"), "model.json", "corrupt");
        Files.writeString(model.resolve("model.json"), "{\"kind\": \"deep-dmd\", \"version\": 1, \"dictionary\": {}}");
        assertBadInput(CliRun.of("evaluate", "--model", model.toString(), "--data", "x.csv"), "model.json", "corrupt");
    }

    @Test
    void rejectsKeepingOptimizerStateWithTheSameDiffEngine() throws IOException {
        assertBadInput(CliRun.of("train", "--config", config("data: { system: glycolysis, trajectories: 4, steps: 10 }\n").toString(),
                        "--set", "training.engine=samediff", "--set", "training.rollout.keepOptimizerState=true",
                        "--out", dir.resolve("keep").toString()),
                "training.rollout.keepOptimizerState needs the fused engine");
    }

    @Test
    void rejectsAScaleOfZeroAndTimeSpansThatAreNegativeOrUnordered() throws IOException {
        Path c = dir.resolve("sp.yaml");
        Files.writeString(c, "model: { kind: sp-node }\ndata: { system: robertson, trajectories: 4, logTimes: { from: 1.0e-3, to: 1.0, count: 4 } }\n"
                + "training: { steps: 2, evalEvery: 1 }\n");
        assertBadInput(CliRun.of("train", "--config", c.toString(), "--set", "data.scale=[1, 0, 1]", "--out", dir.resolve("s").toString()),
                "sp.yaml: data.scale[1] must be a finite number > 0, got 0.0");
        assertBadInput(CliRun.of("train", "--config", c.toString(), "--set", "data.logTimes.from=-1", "--out", dir.resolve("s").toString()),
                "sp.yaml: data.logTimes.from must be a finite time > 0 (log spacing), got -1.0");
        assertBadInput(CliRun.of("train", "--config", c.toString(), "--set", "data.logTimes.to=1.0e-4", "--out", dir.resolve("s").toString()),
                "sp.yaml: data.logTimes: to (1.0E-4) must be a finite time after from (0.001)");
        assertBadInput(CliRun.of("train", "--config", c.toString(), "--set", "data.perturbation=-0.1", "--out", dir.resolve("s").toString()),
                "data.perturbation: robertson: -0.1 would make y2 and y3 negative");
    }

    @Test
    void rejectsUnknownTrainStepEngine() {
        assertBadInput(CliRun.of("bench", "train-step", "--engine", "torch"), "unknown engine 'torch'; expected fused, samediff or gemm");
    }

    @Test
    void rejectsUnknownSystemAndCommandLineMistakes() {
        assertBadInput(CliRun.of("simulate", "lorenz", "--trajectories", "2", "--steps", "3", "--dt", "0.1", "--out", dir.resolve("x.csv").toString()),
                "unknown system 'lorenz'");
        assertBadInput(CliRun.of("simulate", "glycolysis", "--trajectories", "2", "--steps", "3", "--dt", "-0.1", "--out", dir.resolve("x.csv").toString()),
                "--dt must be positive");
        assertBadInput(CliRun.of("simulate", "ieee39", "--trajectories", "2", "--steps", "3", "--dt", "0.01", "--perturbation", "NaN",
                "--out", dir.resolve("x.csv").toString()), "ieee39: --perturbation must be a finite angle > 0 rad, got NaN");
        assertBadInput(CliRun.of("simulate", "ieee39", "--trajectories", "2", "--steps", "3", "--dt", "0.01", "--perturbation", "Infinity",
                "--out", dir.resolve("x.csv").toString()), "--perturbation must be a finite angle > 0 rad, got Infinity");
        assertBadInput(CliRun.of("bench", "warp-drive"), "unknown benchmark 'warp-drive'");
        assertBadInput(CliRun.of("stability", "--matrix", dir.resolve("none.csv").toString()), "none.csv", "no such file");
    }

    @Test
    void rejectsANetworkFileWithAMissingFieldOrANonSymmetricCouplingMatrix() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode network;
        try (var in = BadInputTest.class.getResourceAsStream("/koopman4j/systems/ieee39/effective_network.json")) {
            network = (ObjectNode) json.readTree(in);
        }
        Path file = dir.resolve("net.json");
        ObjectNode missing = network.deepCopy();
        missing.remove("D");
        json.writeValue(file.toFile(), missing);
        assertBadInput(simulateNetwork(file), "net.json: field 'D' is missing");
        ObjectNode asymmetric = network.deepCopy();
        ((ArrayNode) asymmetric.get("K").get(0)).set(1, 9.5);
        json.writeValue(file.toFile(), asymmetric);
        assertBadInput(simulateNetwork(file), "net.json: K must be symmetric, but K[0][1] = 9.5 and K[1][0] = ");
        assertBadInput(simulateNetwork(dir.resolve("none.json")), "none.json: no such file");
        json.writeValue(file.toFile(), network);
        assertBadInput(CliRun.of("simulate", "ieee39", "--network", file.toString(), "--perturbation", "NaN", "--steps", "3", "--dt", "0.01",
                "--out", dir.resolve("x.csv").toString()), "ieee39: --perturbation must be a finite angle > 0 rad, got NaN");
        assertBadInput(CliRun.of("simulate", "glycolysis", "--network", file.toString(), "--steps", "3", "--dt", "0.01",
                "--out", dir.resolve("x.csv").toString()), "--network applies to ieee39 only, not to glycolysis");
    }

    private CliRun simulateNetwork(Path network) {
        return CliRun.of("simulate", "ieee39", "--network", network.toString(), "--trajectories", "2", "--steps", "3", "--dt", "0.01",
                "--out", dir.resolve("x.csv").toString());
    }

    @Test
    void rejectsAnSpNodeWindowLongerThanTheTrajectories() throws IOException {
        Path c = dir.resolve("window.yaml");
        Files.writeString(c, "model: { kind: sp-node, nonlinear: { width: 4 } }\n"
                + "data: { system: transient-growth, trajectories: 6, steps: 4, dt: 0.2, window: { steps: 5 } }\ntraining: { steps: 2 }\n");
        assertBadInput(CliRun.of("train", "--config", c.toString(), "--out", dir.resolve("run").toString()),
                "data.window.steps: a window of 5 steps needs 6 samples; training trajectory 1 has 5");
    }
}
