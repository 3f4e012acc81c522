package koopman4j.cli;

import static koopman4j.cli.BadInputTest.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate robertson}: the stiff system through the command line, and its bad input. */
class SimulateRobertsonTest {

    @TempDir
    Path dir;

    private CliRun simulate(String perturbation, String times) {
        return CliRun.of("simulate", "robertson", "--trajectories", "3", "--perturbation", perturbation, "--times", times,
                "--seed", "4", "--out", dir.resolve("rob.csv").toString());
    }

    @Test
    void unperturbedRunWritesThePublishedSolutionAtExactlyTheGivenTimes() throws IOException {
        CliRun run = simulate("0", "4e-6,40,4e6");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("traj,t,y1,y2,y3", Files.readAllLines(dir.resolve("rob.csv")).get(0));
        TrajectorySet data = TrajectoryFiles.read(dir.resolve("rob.csv"));
        assertEquals(3, data.size());
        double[] at40 = {0.7158270687, 9.185534764e-6, 0.2841637457};
        for (Trajectory t : data.trajectories()) {
            assertArrayEquals(new double[] {4e-6, 40, 4e6}, t.times());
            for (int i = 0; i < 3; i++) {
                assertEquals(at40[i], t.states()[1][i], 1e-7 * at40[i], "y" + (i + 1) + " at t = 40");
            }
        }
    }

    @Test
    void perturbedRunStartsNearTheReferenceState() {
        assertEquals(0, simulate("0.001", "0,1e-3,1").exitCode());
        for (Trajectory t : TrajectoryFiles.read(dir.resolve("rob.csv")).trajectories()) {
            double[] y0 = t.states()[0];
            assertTrue(y0[1] > 0 && y0[1] < 1e-3 && y0[2] > 0 && y0[2] < 1e-3 && y0[0] < 1, Arrays.toString(y0));
        }
    }

    @Test
    void rejectsPerturbationThatMakesAConcentrationNegative() {
        assertBadInput(simulate("-0.01", "1,2"), "robertson: --perturbation -0.01 would make y2 and y3 negative");
        assertBadInput(simulate("0.6", "1,2"), "robertson: --perturbation 0.6 can make y1", "negative");
        assertBadInput(CliRun.of("simulate", "glycolysis", "--trajectories", "2", "--perturbation", "0.1", "--times", "0,1",
                "--out", dir.resolve("g.csv").toString()), "--perturbation applies to robertson and ieee39 only");
    }

    @Test
    void rejectsNegativeOrUnorderedTimes() {
        assertBadInput(simulate("0", "-1,1"), "sample times must not be negative");
        assertBadInput(simulate("0", "1,40,4"), "sample times must increase: 40.0 then 4.0");
    }
}
