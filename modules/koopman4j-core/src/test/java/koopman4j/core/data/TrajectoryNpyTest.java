package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryNpyTest {

    @TempDir
    Path dir;

    /** numpy.save of a float32 array of shape (2, 3, 2), made with NumPy 2.4: a reference from outside this code. */
    private static final String NUMPY_FLOAT32 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzog"
            + "KDIsIDMsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACgvwAAAEC"
            + "mm0Q77HitYAAAAIAAAOBAAAAAQQAAEEEAACBBAAAwQQAATEE=";

    /** An NPY file assembled byte by byte from the format description, independently of the writer. */
    private static byte[] npy(int major, String dict, byte[] data) {
        int preamble = 6 + 2 + (major == 1 ? 2 : 4);
        int pad = (64 - (preamble + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(preamble + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        return b.put(header).put(data).array();
    }

    private static byte[] float64(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    private static byte[] float32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static String f8(String shape) {
        return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static String readError(Path p) {
        return assertThrows(InvalidDataException.class, () -> TrajectoryNpy.read(p)).getMessage();
    }

    /** Three trajectories of 50 samples on the grid 0.5 + k·0.01, as a simulator would make them. */
    private static TrajectorySet gridData(Random rng) {
        double[] times = new double[50];
        for (int k = 0; k < times.length; k++) {
            times[k] = 0.5 + k * 0.01;
        }
        Trajectory[] ts = new Trajectory[3];
        for (int j = 0; j < ts.length; j++) {
            double[][] states = new double[times.length][4];
            for (double[] x : states) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = Math.scalb(rng.nextGaussian(), rng.nextInt(200) - 100);
                }
            }
            ts[j] = new Trajectory(times, states);
        }
        return new TrajectorySet(List.of("S1", "S2", "S3", "S4"), List.of(ts));
    }

    @Test
    void roundTripIsExactForDataOnAUniformGrid() throws IOException {
        TrajectorySet data = gridData(new Random(1));
        Path p = dir.resolve("data.npy");
        TrajectoryNpy.write(data, p);
        assertEquals(data, TrajectoryNpy.read(p));
        JsonNode sidecar = new ObjectMapper().readTree(dir.resolve("data.json").toFile());
        assertEquals(0.01, sidecar.get("dt").asDouble());
        assertEquals(0.5, sidecar.get("t0").asDouble());
        assertEquals("S4", sidecar.get("names").get(3).asText());
    }

    @Test
    void writesFloat64InCOrderWithA64ByteAlignedHeader() throws IOException {
        TrajectorySet data = new TrajectorySet(List.of("a", "b"), List.of(
                new Trajectory(new double[] {0, 1}, new double[][] {{1, 2}, {3, 4}}),
                new Trajectory(new double[] {0, 1}, new double[][] {{5, 6}, {7, 8}})));
        Path p = dir.resolve("small.npy");
        TrajectoryNpy.write(data, p);
        assertArrayEquals(npy(1, f8("(2, 2, 2)"), float64(1, 2, 3, 4, 5, 6, 7, 8)), Files.readAllBytes(p));
    }

    @Test
    void writeReplacesBothFilesAndLeavesNoTemporaryFileBehind() throws IOException {
        Path p = dir.resolve("data.npy");
        Files.writeString(p, "old");
        Files.writeString(dir.resolve("data.json"), "old");
        TrajectoryNpy.write(gridData(new Random(2)), p);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("data.json", "data.npy"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void readsFloat32WrittenByNumpy() throws IOException {
        Path p = file("numpy.npy", Base64.getDecoder().decode(NUMPY_FLOAT32));
        TrajectorySet data = TrajectoryNpy.read(p);
        assertEquals(List.of("x1", "x2"), data.names());
        assertArrayEquals(new double[] {0, 1, 2}, data.get(1).times());
        assertArrayEquals(new double[][] {{0.5, -1.25}, {2, (double) 0.003f}, {(double) 1e20f, -0.0}}, data.get(0).states());
        assertArrayEquals(new double[][] {{7, 8}, {9, 10}, {11, 12.75}}, data.get(1).states());
    }

    @Test
    void readsFloat32BuiltByHandWithSidecar() throws IOException {
        float[] values = {0.1f, -3e-20f, Float.MIN_VALUE, 1e30f, 0.2f, 0.3f};
        Path p = file("f4.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 2), }", float32(values)));
        Files.writeString(dir.resolve("f4.json"), "{\"dt\": 0.25, \"t0\": -1, \"names\": [\"u\", \"v\"]}");
        TrajectorySet data = TrajectoryNpy.read(p);
        assertEquals(List.of("u", "v"), data.names());
        assertArrayEquals(new double[] {-1, -0.75, -0.5}, data.get(0).times());
        double[] read = Arrays.stream(data.get(0).states()).flatMapToDouble(Arrays::stream).toArray();
        for (int i = 0; i < values.length; i++) {
            assertEquals((double) values[i], read[i]);
        }
    }

    @Test
    void readsVersion2HeaderWithDoubleQuotesAndPython2Longs() throws IOException {
        Path p = file("v2.npy", npy(2, "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (1L, 2L, 1L)}", float64(3, 4)));
        TrajectorySet data = TrajectoryNpy.read(p);
        assertArrayEquals(new double[][] {{3}, {4}}, data.get(0).states());
    }

    @Test
    void rejectsNpyOfWrongRank() throws IOException {
        Path p = file("x.npy", npy(1, f8("(10, 7)"), new byte[8 * 70]));
        assertEquals(p + ": expected a 3-d array [trajectories, time, state], got shape (10, 7)", readError(p));
        p = file("y.npy", npy(1, f8("(10,)"), new byte[80]));
        assertEquals(p + ": expected a 3-d array [trajectories, time, state], got shape (10,)", readError(p));
    }

    @Test
    void rejectsNpyWithTooFewTimeSamples() throws IOException {
        Path p = file("x.npy", npy(1, f8("(2, 1, 3)"), new byte[8 * 6]));
        assertEquals(p + ": shape (2, 1, 3) needs at least 1 trajectory, 2 time samples and 1 state", readError(p));
    }

    @Test
    void rejectsNpyInFortranOrder() throws IOException {
        Path p = file("x.npy", npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 2, 1), }", float64(1, 2)));
        assertTrue(readError(p).startsWith(p + ": the array is in Fortran order (fortran_order: True); save it in C order"));
    }

    @Test
    void rejectsNpyWithBadMagic() throws IOException {
        Path p = file("x.npy", "traj,t,x\n0,0,1\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(p + ": not an NPY file (it does not start with \\x93NUMPY)", readError(p));
    }

    @Test
    void rejectsNpyOfUnsupportedVersion() throws IOException {
        byte[] bytes = npy(1, f8("(1, 2, 1)"), float64(1, 2));
        bytes[6] = 3;
        Path p = file("x.npy", bytes);
        assertEquals(p + ": unsupported NPY format version 3.0; expected 1.0 or 2.0", readError(p));
    }

    @Test
    void rejectsNpyOfUnsupportedDtype() throws IOException {
        for (String descr : List.of(">f8", "<i8", "<f2", "|u1")) {
            Path p = file("x.npy", npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1, 2, 1), }", float64(1, 2)));
            assertEquals(p + ": unsupported dtype '" + descr + "'; expected little-endian float32 '<f4' or float64 '<f8'",
                    readError(p));
        }
    }

    @Test
    void rejectsNpyWithMalformedHeader() throws IOException {
        Path p = file("x.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': [1, 2, 1], }", float64(1, 2)));
        assertTrue(readError(p).startsWith(p + ": cannot parse NPY header {'descr'"));
        p = file("y.npy", npy(1, "{'descr': '<f8', 'shape': (1, 2, 1), }", float64(1, 2)));
        assertTrue(readError(p).startsWith(p + ": NPY header must have exactly the keys descr, fortran_order and shape"));
    }

    @Test
    void rejectsTruncatedNpy() throws IOException {
        byte[] whole = npy(1, f8("(3, 100, 7)"), new byte[8 * 2100]);
        Path p = file("x.npy", Arrays.copyOf(whole, 128 + 1200));
        assertEquals(p + ": truncated: shape (3, 100, 7) of '<f8' needs 16800 bytes of data, the file has 1200", readError(p));
        p = file("y.npy", Arrays.copyOf(whole, 40));
        assertEquals(p + ": truncated: the file ends inside the NPY header", readError(p));
    }

    @Test
    void rejectsNpyWithBytesAfterTheData() throws IOException {
        Path p = file("x.npy", npy(1, f8("(1, 2, 1)"), float64(1, 2, 3)));
        assertEquals(p + ": 8 bytes after the data of shape (1, 2, 1); the header's shape or dtype does not match the data",
                readError(p));
    }

    @Test
    void rejectsNpyWithNaNNamingItsPlace() throws IOException {
        double[] values = new double[2 * 3 * 2];
        values[2 * 3 + 2 * 2 + 1] = Double.NaN; // trajectory 1, time 2, state 1
        Path p = file("x.npy", npy(1, f8("(2, 3, 2)"), float64(values)));
        assertEquals(p + ": value [1, 2, 1] is NaN (trajectory 1, time index 2, state x2)", readError(p));
    }

    @Test
    void rejectsFloat32NpyWithInfinity() throws IOException {
        Path p = file("x.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 1), }",
                float32(1, Float.NEGATIVE_INFINITY)));
        assertEquals(p + ": value [0, 1, 0] is -Infinity (trajectory 0, time index 1, state x1)", readError(p));
    }

    @Test
    void rejectsSidecarWithNonPositiveStep() throws IOException {
        Path p = file("x.npy", npy(1, f8("(1, 2, 1)"), float64(1, 2)));
        Files.writeString(dir.resolve("x.json"), "{\"dt\": 0}");
        assertEquals(dir.resolve("x.json") + ": dt must be positive, got 0.0", readError(p));
    }

    @Test
    void rejectsSidecarWithWrongNumberOfNames() throws IOException {
        Path p = file("x.npy", npy(1, f8("(1, 2, 2)"), float64(1, 2, 3, 4)));
        Files.writeString(dir.resolve("x.json"), "{\"names\": [\"a\", \"b\", \"c\"]}");
        assertEquals(dir.resolve("x.json") + ": names must be an array of 2 strings, one per state in x.npy, got [\"a\",\"b\",\"c\"]",
                readError(p));
    }

    @Test
    void rejectsSidecarWithUnknownField() throws IOException {
        Path p = file("x.npy", npy(1, f8("(1, 2, 1)"), float64(1, 2)));
        Files.writeString(dir.resolve("x.json"), "{\"step\": 0.1}");
        assertEquals(dir.resolve("x.json") + ": unknown field 'step'; expected dt, t0, names", readError(p));
    }

    @Test
    void rejectsMalformedSidecarNamingLineAndColumn() throws IOException {
        Path p = file("x.npy", npy(1, f8("(1, 2, 1)"), float64(1, 2)));
        Files.writeString(dir.resolve("x.json"), "{\n  \"dt\": 0.1,\n  oops\n}");
        assertTrue(readError(p).startsWith(dir.resolve("x.json") + " line 3 column "), readError(p));
    }

    @Test
    void refusesToWriteTrajectoriesOfDifferentLengths() {
        TrajectorySet data = new TrajectorySet(List.of("x"), List.of(
                new Trajectory(new double[] {0, 1, 2}, new double[][] {{1}, {2}, {3}}),
                new Trajectory(new double[] {0, 1}, new double[][] {{1}, {2}})));
        String message = assertThrows(InvalidDataException.class, () -> TrajectoryNpy.write(data, dir.resolve("x.npy"))).getMessage();
        assertEquals(dir.resolve("x.npy") + ": trajectories differ in length (0 has 3 samples, 1 has 2);"
                + " NPY needs equal lengths and one uniform step, write a .csv file instead", message);
        assertTrue(Files.notExists(dir.resolve("x.npy")));
    }

    @Test
    void refusesToWriteNonUniformSteps() {
        TrajectorySet data = new TrajectorySet(List.of("x"), List.of(
                new Trajectory(new double[] {0, 1, 3}, new double[][] {{1}, {2}, {3}})));
        String message = assertThrows(InvalidDataException.class, () -> TrajectoryNpy.write(data, dir.resolve("x.npy"))).getMessage();
        assertTrue(message.startsWith(dir.resolve("x.npy") + ": trajectory 0 time 1 is 1.0, off the uniform grid"), message);
        assertTrue(message.endsWith("write a .csv file instead"), message);
    }

    @Test
    void refusesToWriteTrajectoriesStartingAtDifferentTimes() {
        TrajectorySet data = new TrajectorySet(List.of("x"), List.of(
                new Trajectory(new double[] {0, 1}, new double[][] {{1}, {2}}),
                new Trajectory(new double[] {1, 2}, new double[][] {{1}, {2}})));
        String message = assertThrows(InvalidDataException.class, () -> TrajectoryNpy.write(data, dir.resolve("x.npy"))).getMessage();
        assertTrue(message.startsWith(dir.resolve("x.npy") + ": trajectory 1 time 0 is 1.0, off the uniform grid"), message);
    }

    @Test
    void writesTimesSummedStepByStepOnTheirMeanGrid() {
        double[] times = new double[1001];
        for (int k = 1; k < times.length; k++) {
            times[k] = times[k - 1] + 0.1; // accumulates rounding, so no step reproduces every time exactly
        }
        double[][] states = new double[times.length][1];
        TrajectorySet data = new TrajectorySet(List.of("x"), List.of(new Trajectory(times, states)));
        Path p = dir.resolve("x.npy");
        TrajectoryNpy.write(data, p);
        double[] read = TrajectoryNpy.read(p).get(0).times();
        for (int k = 0; k < times.length; k++) {
            assertEquals(times[k], read[k], 1e-9);
        }
    }
}
