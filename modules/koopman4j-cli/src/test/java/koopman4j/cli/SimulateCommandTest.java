package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.systems.SwingNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    @TempDir
    Path dir;

    @Test
    void simulatesIeee39FromDisturbedAnglesWithTheGivenDisturbance() {
        Path out = dir.resolve("ieee39.csv");
        CliRun run = CliRun.of("simulate", "ieee39", "--trajectories", "3", "--steps", "20", "--dt", "0.05", "--seed", "4",
                "--perturbation", "0.2", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        TrajectorySet data = TrajectoryFiles.read(out);
        assertEquals(19, data.dimension());
        assertEquals("delta1", data.names().get(0));
        assertEquals("omega10", data.names().get(18));
        double[] xStar = SwingNetwork.ieee39(0.2).synchronousState();
        for (int t = 0; t < data.size(); t++) {
            double[] x0 = data.get(t).states()[0];
            for (int i = 0; i < 9; i++) {
                assertTrue(Math.abs(x0[i] - xStar[i]) <= 0.2, "delta" + (i + 1) + " of trajectory " + t);
            }
        }
    }

    @Test
    void simulatesANetworkFileTheSameAsTheShippedNetworkItCopies() throws IOException {
        Path network = dir.resolve("case39.json");
        try (var in = SimulateCommandTest.class.getResourceAsStream("/koopman4j/systems/ieee39/effective_network.json")) {
            Files.copy(in, network);
        }
        String[] args = {"--trajectories", "2", "--steps", "10", "--dt", "0.05", "--seed", "3"};
        CliRun shipped = CliRun.of(concat(new String[] {"simulate", "ieee39"}, args, new String[] {"--out", dir.resolve("a.npy").toString()}));
        CliRun given = CliRun.of(concat(new String[] {"simulate", "ieee39", "--network", network.toString()}, args,
                new String[] {"--out", dir.resolve("b.npy").toString()}));
        assertEquals(0, shipped.exitCode(), shipped.err());
        assertEquals(0, given.exitCode(), given.err());
        TrajectorySet a = TrajectoryFiles.read(dir.resolve("a.npy"));
        TrajectorySet b = TrajectoryFiles.read(dir.resolve("b.npy"));
        for (int t = 0; t < a.size(); t++) {
            assertArrayEquals(a.get(t).states(), b.get(t).states());
        }
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
