package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
}
