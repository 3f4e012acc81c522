package koopman4j.cli;

import static koopman4j.cli.BadInputTest.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.systems.KuramotoSivashinsky;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate kuramoto-sivashinsky}: from a given profile, from random profiles, and its bad input. */
class SimulateKuramotoSivashinskyTest {

    @TempDir
    Path dir;

    /** A smooth zero-mean profile on the grid x_j = 22j/64. */
    private static double[] profile() {
        double[] u = new double[64];
        for (int j = 0; j < 64; j++) {
            double x = 2 * Math.PI * j / 64;
            u[j] = Math.cos(x) * (1 + Math.sin(x)) - 0.5 * Math.sin(2 * x);
        }
        return u;
    }

    private Path x0(String row) throws IOException {
        return Files.writeString(dir.resolve("u0.csv"), row + "\n");
    }

    private static String row(double[] u) {
        return Arrays.stream(u).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    private CliRun fromProfile(Path x0, String steps, String dt) {
        return CliRun.of("simulate", "kuramoto-sivashinsky", "--x0", x0.toString(), "--steps", steps, "--dt", dt,
                "--out", dir.resolve("F.csv").toString());
    }

    @Test
    void givenProfileIsIntegratedAndWrittenInTheTrajectoryLayout() throws IOException {
        double[] u0 = profile();
        CliRun run = fromProfile(x0(row(u0)), "3", "1.0");
        assertEquals(0, run.exitCode(), run.err());
        String header = "traj,t," + IntStream.range(0, 64).mapToObj(j -> "u" + j).collect(Collectors.joining(","));
        assertEquals(header, Files.readAllLines(dir.resolve("F.csv")).get(0));
        TrajectorySet data = TrajectoryFiles.read(dir.resolve("F.csv"));
        assertEquals(1, data.size());
        Trajectory t = data.trajectories().get(0);
        assertArrayEquals(new double[] {0, 1, 2, 3}, t.times());
        assertArrayEquals(u0, t.states()[0]);
        double[][] expected = new KuramotoSivashinsky().integrate(u0, new double[] {0, 1, 2, 3});
        for (int k = 1; k < 4; k++) {
            assertArrayEquals(expected[k], t.states()[k], 1e-14, "t = " + k);
        }
    }

    @Test
    void randomProfilesAreRunThroughTheTransientFirst() {
        CliRun run = CliRun.of("simulate", "kuramoto-sivashinsky", "--trajectories", "2", "--steps", "2", "--dt", "0.5",
                "--transient", "40", "--seed", "3", "--out", dir.resolve("R.csv").toString());
        assertEquals(0, run.exitCode(), run.err());
        TrajectorySet data = TrajectoryFiles.read(dir.resolve("R.csv"));
        assertEquals(2, data.size());
        for (Trajectory t : data.trajectories()) {
            double[] u = t.states()[0];
            double mean = Arrays.stream(u).sum() / 64;
            double rms = Math.sqrt(Arrays.stream(u).map(v -> v * v).sum() / 64);
            assertEquals(0, mean, 1e-12, "random profiles have zero mean");
            assertTrue(rms > 0.5 && rms < 2.5, "rms " + rms + " is not the attractor's");
        }
    }

    @Test
    void rejectsAnX0RowThatIsNot64FiniteValues() throws IOException {
        double[] u0 = profile();
        assertBadInput(fromProfile(x0(row(Arrays.copyOf(u0, 63))), "3", "1"), "u0.csv: 63 values; --x0 takes one row of 64 values (u0, …, u63)");
        assertBadInput(fromProfile(x0(row(u0) + "\n" + row(u0)), "3", "1"), "u0.csv: 2 rows");
        String[] cells = row(u0).split(",");
        cells[5] = "NaN";
        assertBadInput(fromProfile(x0(String.join(",", cells)), "3", "1"), "u0.csv", "line 1");
        cells[5] = "abc";
        assertBadInput(fromProfile(x0(String.join(",", cells)), "3", "1"), "u0.csv", "line 1", "'abc'");
        assertBadInput(fromProfile(dir.resolve("missing.csv"), "3", "1"), "missing.csv");
    }

    @Test
    void rejectsNonPositiveStepsOrDt() throws IOException {
        Path x0 = x0(row(profile()));
        assertBadInput(fromProfile(x0, "0", "1"), "--steps must be at least 1, got 0");
        assertBadInput(fromProfile(x0, "-2", "1"), "--steps must be at least 1, got -2");
        assertBadInput(fromProfile(x0, "3", "0"), "--dt must be positive, got 0.0");
        assertBadInput(fromProfile(x0, "3", "-1"), "--dt must be positive, got -1.0");
    }

    @Test
    void rejectsOptionsThatDoNotApply() throws IOException {
        Path x0 = x0(row(profile()));
        String out = dir.resolve("G.csv").toString();
        assertBadInput(CliRun.of("simulate", "glycolysis", "--transient", "10", "--steps", "2", "--dt", "1", "--out", out),
                "--transient applies to kuramoto-sivashinsky only, not to glycolysis");
        assertBadInput(CliRun.of("simulate", "kuramoto-sivashinsky", "--x0", x0.toString(), "--transient", "10", "--steps", "2", "--dt", "1",
                "--out", out), "--transient applies to random initial profiles");
        assertBadInput(CliRun.of("simulate", "kuramoto-sivashinsky", "--x0", x0.toString(), "--trajectories", "3", "--steps", "2", "--dt", "1",
                "--out", out), "--x0 starts one trajectory");
        assertBadInput(CliRun.of("simulate", "kuramoto-sivashinsky", "--perturbation", "0.1", "--steps", "2", "--dt", "1", "--out", out),
                "--perturbation applies to robertson and ieee39 only, not to kuramoto-sivashinsky");
        assertBadInput(CliRun.of("simulate", "kuramoto-sivashinsky", "--transient", "-1", "--steps", "2", "--dt", "1", "--out", out),
                "--transient must not be negative, got -1.0");
    }
}
