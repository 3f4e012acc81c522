package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class MatrixFilesTest {

    @TempDir
    Path dir;

    // references from outside this code: numpy.save output, made with NumPy 2.4

    /** {@code numpy.array([[0.5, -1.25, 2], [0.003, 1e20, -0.0]], dtype=numpy.float32)}. */
    private static final String NUMPY_FLOAT32 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzog"
            + "KDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACgvwAAAECmm0Q77Hi"
            + "tYAAAAIA=";

    /** {@code numpy.array([1.5, -2.0, 3.25])}. */
    private static final String NUMPY_VECTOR = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzog"
            + "KDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAADAAAA"
            + "AAAAACkA=";

    /** {@code numpy.array([[1.0, -2.5, 0.1], [3e-300, -0.0, 7.0]])}. */
    private static final String NUMPY_FLOAT64 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzog"
            + "KDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAATAmpm"
            + "ZmZmZuT+DtjrSlxLAAQAAAAAAAACAAAAAAAAAHEA=";

    /** An NPY format 1.0 file assembled byte by byte from the format description. */
    private static byte[] npy(String dict, byte[] data) {
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        return b.putShort((short) header.length).put(header).put(data).array();
    }

    private static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
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

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path csv(String name, String text) throws IOException {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String readError(Path p) {
        return assertThrows(InvalidDataException.class, () -> MatrixFiles.read(p)).getMessage();
    }

    private static String writeError(double[][] a, Path p) {
        return assertThrows(InvalidDataException.class, () -> MatrixFiles.write(a, p)).getMessage();
    }

    /** Values over the whole double range, with signed zeros and subnormals, to test exactness. */
    private static double[][] randomMatrix(Random rng, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = Math.scalb(rng.nextGaussian(), rng.nextInt(2100) - 1075);
            }
        }
        a[0][0] = -0.0;
        a[rows - 1][cols - 1] = Double.MIN_VALUE;
        return a;
    }

    @Test
    void roundTripIsExactForCsvAndNpy() {
        double[][] a = randomMatrix(new Random(1), 7, 5);
        for (String name : List.of("a.csv", "a.npy", "A.NPY")) {
            Path p = dir.resolve(name);
            MatrixFiles.write(a, p);
            double[][] read = MatrixFiles.read(p);
            for (int i = 0; i < a.length; i++) {
                // bitwise, so that -0.0 and 0.0 differ
                assertArrayEquals(Arrays.stream(a[i]).mapToLong(Double::doubleToRawLongBits).toArray(),
                        Arrays.stream(read[i]).mapToLong(Double::doubleToRawLongBits).toArray(), name + " row " + i);
            }
        }
    }

    @Test
    void writesNpyByteForByteAsNumpySaveDoes() throws IOException {
        Path p = dir.resolve("a.npy");
        MatrixFiles.write(new double[][] {{1.0, -2.5, 0.1}, {3e-300, -0.0, 7.0}}, p);
        assertArrayEquals(Base64.getDecoder().decode(NUMPY_FLOAT64), Files.readAllBytes(p));
    }

    @Test
    void writesCsvRowsWithDoubleToString() throws IOException {
        Path p = dir.resolve("a.csv");
        MatrixFiles.write(new double[][] {{1, -2.5}, {0.1, 1e-300}}, p);
        assertEquals("1.0,-2.5\n0.1,1.0E-300\n", Files.readString(p));
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFileBehind() throws IOException {
        Path p = csv("a.csv", "old");
        MatrixFiles.write(new double[][] {{1}}, p);
        MatrixFiles.write(new double[][] {{2}}, dir.resolve("b.npy"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("a.csv", "b.npy"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals("1.0\n", Files.readString(p));
    }

    @Test
    void readsFloat32WrittenByNumpy() throws IOException {
        Path p = file("f4.npy", Base64.getDecoder().decode(NUMPY_FLOAT32));
        assertArrayEquals(new double[][] {{0.5, -1.25, 2}, {(double) 0.003f, (double) 1e20f, -0.0}}, MatrixFiles.read(p));
    }

    @Test
    void readsOneDimensionalNpyAsAColumn() throws IOException {
        Path p = file("v.npy", Base64.getDecoder().decode(NUMPY_VECTOR));
        assertArrayEquals(new double[][] {{1.5}, {-2.0}, {3.25}}, MatrixFiles.read(p));
    }

    @Test
    void readsCsvWithCommentsBlankLinesSpacesAndByteOrderMark() throws IOException {
        Path p = csv("a.csv", "\uFEFF# A, a 2 x 3 matrix\n\n 1, 2.5 ,-3e-2\n   \n  # more\n4,5,6\r\n");
        assertArrayEquals(new double[][] {{1, 2.5, -0.03}, {4, 5, 6}}, MatrixFiles.read(p));
    }

    @Test
    void rejectsCsvCellThatIsNotANumber() throws IOException {
        Path p = csv("a.csv", "# header\n1,2\n3,x\n");
        assertEquals(p + " line 3: column 2 is 'x', expected a number", readError(p));
        p = csv("b.csv", "1,,2\n");
        assertEquals(p + " line 1: column 2 is '', expected a number", readError(p));
    }

    @Test
    void rejectsCsvRowOfDifferentLength() throws IOException {
        Path p = csv("a.csv", "\n1,2,3\n4,5,6\n7,8\n");
        assertEquals(p + " line 4: 2 values, expected 3 like line 2", readError(p));
        p = csv("b.csv", "1,2\n3,4,\n");
        assertEquals(p + " line 2: 3 values, expected 2 like line 1", readError(p));
    }

    @Test
    void rejectsCsvNaNAndInfinityNamingTheirPlace() throws IOException {
        Path p = csv("a.csv", "1,2\n3,nan\n");
        assertEquals(p + " line 2: column 2 is 'nan', expected a finite number", readError(p));
        p = csv("b.csv", "-Infinity,2\n");
        assertEquals(p + " line 1: column 1 is '-Infinity', expected a finite number", readError(p));
        p = csv("c.csv", "1e400\n");
        assertEquals(p + " line 1: column 1 is '1e400', expected a finite number", readError(p));
    }

    @Test
    void rejectsEmptyCsv() throws IOException {
        Path p = csv("a.csv", "");
        assertEquals(p + ": file is empty; expected rows of comma-separated numbers", readError(p));
        p = csv("b.csv", "# nothing\n\n");
        assertEquals(p + ": no rows, only blank and # comment lines; expected rows of comma-separated numbers", readError(p));
    }

    @Test
    void rejectsCsvThatIsNotUtf8() throws IOException {
        Path p = file("a.csv", new byte[] {'1', ',', (byte) 0xFF, '\n'});
        assertEquals(p + ": not UTF-8 text", readError(p));
    }

    @Test
    void rejectsMissingFilesAndDirectories() throws IOException {
        assertEquals(dir.resolve("a.csv") + ": no such file", readError(dir.resolve("a.csv")));
        assertEquals(dir.resolve("a.npy") + ": no such file", readError(dir.resolve("a.npy")));
        Path folder = Files.createDirectory(dir.resolve("b.npy"));
        assertEquals(folder + ": is a directory, expected a file", readError(folder));
    }

    @Test
    void rejectsOtherExtensions() {
        assertEquals(dir.resolve("a.txt") + ": cannot read or write '.txt' files; a matrix must be .csv or .npy",
                readError(dir.resolve("a.txt")));
        assertEquals(dir.resolve("a") + ": cannot read or write a file without extension; a matrix must be .csv or .npy",
                writeError(new double[][] {{1}}, dir.resolve("a")));
    }

    @Test
    void rejectsNpyThatIsNotAMatrix() throws IOException {
        Path p = file("a.npy", npy(dict("<f8", "(2, 3, 4)"), new byte[8 * 24]));
        assertEquals(p + ": expected a 2-d matrix, got shape (2, 3, 4)", readError(p));
        p = file("b.npy", npy(dict("<f8", "()"), float64(1)));
        assertEquals(p + ": expected a 2-d matrix, got shape ()", readError(p));
    }

    @Test
    void rejectsEmptyNpy() throws IOException {
        Path p = file("a.npy", new byte[0]);
        assertEquals(p + ": file is empty; expected an NPY array", readError(p));
        p = file("b.npy", npy(dict("<f8", "(0, 3)"), new byte[0]));
        assertEquals(p + ": shape (0, 3) is empty; expected at least 1 row and 1 column", readError(p));
        p = file("c.npy", npy(dict("<f8", "(0,)"), new byte[0]));
        assertEquals(p + ": shape (0,) is empty; expected at least 1 row and 1 column", readError(p));
    }

    @Test
    void rejectsNpyWithNaNOrInfinityNamingItsIndex() throws IOException {
        Path p = file("a.npy", npy(dict("<f8", "(2, 3)"), float64(1, 2, 3, 4, 5, Double.NaN)));
        assertEquals(p + ": value [1, 2] is NaN; expected a finite number", readError(p));
        p = file("b.npy", npy(dict("<f4", "(3,)"), float32(1, Float.POSITIVE_INFINITY, 3)));
        assertEquals(p + ": value [1] is Infinity; expected a finite number", readError(p));
    }

    @Test
    void rejectsNpyFaultsThroughTheSharedHeaderChecks() throws IOException {
        Path p = file("a.npy", "1,2\n3,4\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(p + ": not an NPY file (it does not start with \\x93NUMPY)", readError(p));
        p = file("b.npy", npy(dict("<i8", "(1, 2)"), float64(1, 2)));
        assertEquals(p + ": unsupported dtype '<i8'; expected little-endian float32 '<f4' or float64 '<f8'", readError(p));
        p = file("c.npy", npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", float64(1, 2, 3, 4)));
        assertTrue(readError(p).startsWith(p + ": the array is in Fortran order (fortran_order: True); save it in C order"));
        p = file("d.npy", npy(dict("<f8", "(2, 2)"), float64(1, 2, 3)));
        assertEquals(p + ": truncated: shape (2, 2) of '<f8' needs 32 bytes of data, the file has 24", readError(p));
        p = file("e.npy", npy(dict("<f4", "(1, 2)"), float64(1, 2)));
        assertEquals(p + ": 8 bytes after the data of shape (1, 2); the header's shape or dtype does not match the data",
                readError(p));
    }

    @Test
    void refusesToWriteMatricesThatWouldNotReadBack() {
        Path p = dir.resolve("x.npy");
        assertEquals(p + ": cannot write an empty matrix (0 rows, 0 columns)", writeError(new double[0][], p));
        assertEquals(p + ": cannot write an empty matrix (2 rows, 0 columns)", writeError(new double[2][0], p));
        assertEquals(p + ": cannot write a ragged matrix: row 1 has length 1, row 0 has length 2",
                writeError(new double[][] {{1, 2}, {3}}, p));
        assertEquals(p + ": cannot write value [1, 0] = NaN; only finite values are written, so that the file reads back",
                writeError(new double[][] {{1}, {Double.NaN}}, p));
        assertTrue(Files.notExists(p));
    }
}
