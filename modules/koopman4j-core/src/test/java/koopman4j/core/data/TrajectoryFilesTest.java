package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryFilesTest {

    @TempDir
    Path dir;

    private static final TrajectorySet DATA = new TrajectorySet(List.of("a", "b"), List.of(
            new Trajectory(new double[] {0, 0.1, 0.2}, new double[][] {{1, 2}, {3, 4}, {5, 6}}),
            new Trajectory(new double[] {0, 0.1, 0.2}, new double[][] {{-1, -2}, {-3, -4}, {-5, -6}})));

    @Test
    void csvExtensionRoundTripsThroughCsv() throws IOException {
        Path p = dir.resolve("data.csv");
        TrajectoryFiles.write(DATA, p);
        assertTrue(Files.readString(p).startsWith("traj,t,a,b\n"));
        assertEquals(DATA, TrajectoryFiles.read(p));
    }

    @Test
    void npyExtensionRoundTripsThroughNpyWithSidecar() {
        Path p = dir.resolve("DATA.NPY");
        TrajectoryFiles.write(DATA, p);
        assertTrue(Files.exists(dir.resolve("DATA.json")));
        assertEquals(DATA, TrajectoryFiles.read(p));
    }

    @Test
    void rejectsUnknownExtension() {
        Path p = dir.resolve("data.txt");
        String message = assertThrows(InvalidDataException.class, () -> TrajectoryFiles.read(p)).getMessage();
        assertEquals(p + ": cannot read or write '.txt' files; trajectory data must be .csv or .npy", message);
        message = assertThrows(InvalidDataException.class, () -> TrajectoryFiles.write(DATA, dir.resolve("data"))).getMessage();
        assertEquals(dir.resolve("data") + ": cannot read or write a file without extension; trajectory data must be .csv or .npy",
                message);
    }

    @Test
    void rejectsMissingFile() {
        Path csv = dir.resolve("data.csv");
        assertEquals(csv + ": no such file", assertThrows(InvalidDataException.class, () -> TrajectoryFiles.read(csv)).getMessage());
        Path npy = dir.resolve("data.npy");
        assertEquals(npy + ": no such file", assertThrows(InvalidDataException.class, () -> TrajectoryFiles.read(npy)).getMessage());
    }

    @Test
    void rejectsDirectory() throws IOException {
        Path p = Files.createDirectory(dir.resolve("folder.csv"));
        assertEquals(p + ": is a directory, expected a file",
                assertThrows(InvalidDataException.class, () -> TrajectoryFiles.read(p)).getMessage());
    }
}
