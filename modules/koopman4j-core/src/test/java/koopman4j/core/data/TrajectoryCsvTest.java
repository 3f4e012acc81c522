package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryCsvTest {

    @TempDir
    Path dir;

    /** Values spread over the whole double range, including subnormals and −0.0, which text must carry exactly. */
    private static TrajectorySet awkwardData(Random rng) {
        int[] lengths = {2, 17, 5};
        Trajectory[] ts = new Trajectory[lengths.length];
        for (int j = 0; j < lengths.length; j++) {
            double[] times = new double[lengths[j]];
            double[][] states = new double[lengths[j]][3];
            double t = rng.nextGaussian();
            for (int k = 0; k < lengths[j]; k++) {
                t += Math.pow(10, 6 * rng.nextDouble() - 3); // step sizes vary by orders of magnitude
                times[k] = t;
                states[k][0] = rng.nextGaussian();
                states[k][1] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(2000) - 1000);
                states[k][2] = k == 0 ? -0.0 : Double.MIN_VALUE * k;
            }
            ts[j] = new Trajectory(times, states);
        }
        return new TrajectorySet(List.of("S1", "S2", "S3"), List.of(ts));
    }

    private Path csv(String... lines) throws IOException {
        Path p = dir.resolve("trajectories.csv");
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    private static String readError(Path p) {
        return assertThrows(InvalidDataException.class, () -> TrajectoryCsv.read(p)).getMessage();
    }

    @Test
    void roundTripIsExactForRaggedLengthsAndVaryingSteps() {
        TrajectorySet data = awkwardData(new Random(1));
        Path p = dir.resolve("data.csv");
        TrajectoryCsv.write(data, p);
        assertEquals(data, TrajectoryCsv.read(p));
    }

    @Test
    void writesHeaderThenRowsGroupedByZeroBasedTrajectoryId() throws IOException {
        TrajectorySet data = new TrajectorySet(List.of("a", "b"), List.of(
                new Trajectory(new double[] {0, 0.5}, new double[][] {{1, 2}, {3, 4}}),
                new Trajectory(new double[] {1, 2, 3}, new double[][] {{5, 6}, {7, 8}, {9, 1e-300}})));
        Path p = dir.resolve("out.csv");
        TrajectoryCsv.write(data, p);
        assertEquals(List.of("traj,t,a,b", "0,0.0,1.0,2.0", "0,0.5,3.0,4.0", "1,1.0,5.0,6.0", "1,2.0,7.0,8.0", "1,3.0,9.0,1.0E-300"),
                Files.readAllLines(p));
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFileBehind() throws IOException {
        Path p = dir.resolve("data.csv");
        Files.writeString(p, "old content");
        TrajectorySet data = awkwardData(new Random(2));
        TrajectoryCsv.write(data, p);
        assertEquals(data, TrajectoryCsv.read(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void writtenFileGetsTheSamePermissionsAsAnyNewFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path p = dir.resolve("data.csv");
        TrajectoryCsv.write(awkwardData(new Random(4)), p);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(p));
    }

    @Test
    void failedWriteLeavesTheTargetAndNoTemporaryFile() throws IOException {
        // a non-empty directory cannot be replaced by a file, so the final rename fails
        Path p = dir.resolve("busy.csv");
        Files.createDirectory(p);
        Files.writeString(p.resolve("keep.txt"), "kept");
        String message = assertThrows(InvalidDataException.class,
                () -> TrajectoryCsv.write(awkwardData(new Random(3)), p)).getMessage();
        assertTrue(message.startsWith(p + ": cannot write"), message);
        assertEquals("kept", Files.readString(p.resolve("keep.txt")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void refusesToWriteStateNamesThatWouldNotReadBack() {
        for (String bad : List.of("a,b", "say \"hi\"", " padded", "t", "")) {
            TrajectorySet data = new TrajectorySet(List.of(bad), List.of(
                    new Trajectory(new double[] {0, 1}, new double[][] {{1}, {2}})));
            String message = assertThrows(InvalidDataException.class,
                    () -> TrajectoryCsv.write(data, dir.resolve("x.csv"))).getMessage();
            assertTrue(message.contains("state name '" + bad + "' cannot be written to CSV"), message);
        }
        assertTrue(Files.notExists(dir.resolve("x.csv")));
    }

    @Test
    void readsTrajectoriesInFileOrderWithAnyIdsSpacesCrlfAndBlankLines() throws IOException {
        Path p = dir.resolve("t.csv");
        Files.writeString(p, "\uFEFFtraj, t ,x\r\n7,0,1\r\n7,0.1,2\r\n\r\n-3, 5, 3\r\n-3,6,4e0\r\n\r\n");
        TrajectorySet data = TrajectoryCsv.read(p);
        assertEquals(List.of("x"), data.names());
        assertEquals(new Trajectory(new double[] {0, 0.1}, new double[][] {{1}, {2}}), data.get(0));
        assertEquals(new Trajectory(new double[] {5, 6}, new double[][] {{3}, {4}}), data.get(1));
    }

    @Test
    void rejectsCsvWithNonNumericCell() throws IOException {
        Path p = csv("traj,t,S1,S2,S3", "0,0,1,2,3", "0,1,1,2,abc");
        assertEquals(p + " line 3: column S3 is 'abc', expected a number", readError(p));
    }

    @Test
    void rejectsCsvWithEmptyCell() throws IOException {
        Path p = csv("traj,t,S1,S2", "0,0,1,2", "0,,1,2");
        assertEquals(p + " line 3: column t is '', expected a number", readError(p));
    }

    @Test
    void rejectsCsvWithNaN() throws IOException {
        Path p = csv("traj,t,S1,S2", "0,0,1,2", "0,1,NaN,2");
        assertEquals(p + " line 3: column S1 is 'NaN', expected a finite number", readError(p));
    }

    @Test
    void rejectsCsvWithInfinityInJavaOrNumpySpelling() throws IOException {
        Path p = csv("traj,t,S1,S2", "0,0,1,-Infinity", "0,1,1,2");
        assertEquals(p + " line 2: column S2 is '-Infinity', expected a finite number", readError(p));
        p = csv("traj,t,S1,S2", "0,0,1,2", "0,inf,1,2");
        assertEquals(p + " line 3: column t is 'inf', expected a finite number", readError(p));
        p = csv("traj,t,S1,S2", "0,0,1,2", "0,1,1e999,2");
        assertEquals(p + " line 3: column S1 is '1e999', expected a finite number", readError(p));
    }

    @Test
    void rejectsCsvWithRowMissingAColumn() throws IOException {
        Path p = csv("traj,t,S1,S2,S3", "0,0,1,2,3", "0,1,1,2");
        assertEquals(p + " line 3: missing column S3 (row has 4 values, header has 5)", readError(p));
    }

    @Test
    void rejectsCsvWithRowHavingAnExtraColumn() throws IOException {
        Path p = csv("traj,t,S1", "0,0,1", "0,1,1,", "0,2,3");
        assertEquals(p + " line 3: extra value in column 4 (row has 4 values, header has 3)", readError(p));
    }

    @Test
    void rejectsCsvWhoseHeaderDoesNotStartWithTrajAndT() throws IOException {
        Path p = csv("id,time,S1", "0,0,1", "0,1,2");
        assertEquals(p + " line 1: header must be traj,t followed by at least one state name, got 'id,time,S1'", readError(p));
    }

    @Test
    void rejectsCsvWithoutStateColumns() throws IOException {
        Path p = csv("traj,t", "0,0", "0,1");
        assertTrue(readError(p).startsWith(p + " line 1: header must be traj,t followed by at least one state name"));
    }

    @Test
    void rejectsCsvWithDuplicateColumnNames() throws IOException {
        Path p = csv("traj,t,S1,S2,S1", "0,0,1,2,3", "0,1,1,2,3");
        assertEquals(p + " line 1: column name 'S1' appears twice (columns 3 and 5)", readError(p));
    }

    @Test
    void rejectsCsvWithUnnamedColumn() throws IOException {
        Path p = csv("traj,t,S1,,S3", "0,0,1,2,3", "0,1,1,2,3");
        assertEquals(p + " line 1: column 4 has no name", readError(p));
    }

    @Test
    void rejectsCsvWithNonIncreasingTime() throws IOException {
        Path p = csv("traj,t,S1", "4,0,1", "4,0.5,1", "4,0.5,2");
        assertEquals(p + " line 4: column t is 0.5, not after 0.5 on line 3; time must increase strictly within trajectory 4",
                readError(p));
        p = csv("traj,t,S1", "4,0,1", "4,0.5,1", "4,0.25,2");
        assertTrue(readError(p).startsWith(p + " line 4: column t is 0.25, not after 0.5 on line 3"));
    }

    @Test
    void acceptsTimeGoingBackWhenANewTrajectoryStarts() throws IOException {
        Path p = csv("traj,t,S1", "0,5,1", "0,6,1", "1,0,2", "1,1,2");
        assertEquals(2, TrajectoryCsv.read(p).size());
    }

    @Test
    void rejectsCsvWithTrajectoryOfOneSample() throws IOException {
        Path p = csv("traj,t,S1", "0,0,1", "0,1,1", "1,0,2", "2,0,3", "2,1,3");
        assertEquals(p + " line 4: trajectory 1 has only 1 sample; at least 2 are needed", readError(p));
    }

    @Test
    void rejectsCsvWhoseLastTrajectoryHasOneSample() throws IOException {
        Path p = csv("traj,t,S1", "0,0,1", "0,1,1", "1,0,2");
        assertEquals(p + " line 4: trajectory 1 has only 1 sample; at least 2 are needed", readError(p));
    }

    @Test
    void rejectsCsvWithNonIntegerTrajectoryId() throws IOException {
        Path p = csv("traj,t,S1", "0,0,1", "0.5,1,1");
        assertEquals(p + " line 3: column traj is '0.5', expected an integer trajectory id", readError(p));
    }

    @Test
    void rejectsCsvWithTrajectoryIdThatReappears() throws IOException {
        Path p = csv("traj,t,S1", "0,0,1", "0,1,1", "1,0,2", "1,1,2", "0,2,1");
        assertEquals(p + " line 6: trajectory 0 reappears after other trajectories (it started on line 2);"
                + " rows must be grouped by traj", readError(p));
    }

    @Test
    void rejectsEmptyCsv() throws IOException {
        Path p = dir.resolve("empty.csv");
        Files.writeString(p, "");
        assertEquals(p + ": file is empty; expected a header traj,t,<state names>", readError(p));
    }

    @Test
    void rejectsCsvWithHeaderOnly() throws IOException {
        Path p = csv("traj,t,S1", "", "");
        assertEquals(p + ": no data rows after the header", readError(p));
    }

    @Test
    void rejectsCsvThatIsNotUtf8Text() throws IOException {
        Path p = dir.resolve("binary.csv");
        Files.write(p, new byte[] {'t', 'r', 'a', 'j', ',', 't', ',', (byte) 0xFF, (byte) 0xFE, '\n'});
        assertEquals(p + ": not UTF-8 text", readError(p));
    }

    @Test
    void rejectsMissingCsv() {
        Path p = dir.resolve("absent.csv");
        assertEquals(p + ": no such file", readError(p));
    }

    @Test
    @Timeout(10)
    void readsTwoHundredThousandRowsWithoutSlowingDown() throws IOException {
        Path p = dir.resolve("big.csv");
        StringBuilder sb = new StringBuilder("traj,t,a,b,c\n");
        for (int j = 0; j < 100; j++) {
            for (int k = 0; k < 2000; k++) {
                sb.append(j).append(',').append(k * 0.01).append(",1.5,-2.25,").append(k).append('\n');
            }
        }
        Files.writeString(p, sb, StandardCharsets.UTF_8);
        TrajectorySet data = TrajectoryCsv.read(p);
        assertEquals(100, data.size());
        assertEquals(2000, data.get(99).length());
    }
}
