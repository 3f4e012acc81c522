package koopman4j.core.linalg;

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
import java.util.List;
import koopman4j.benchmarks.BenchResult;
import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpmvBenchmarkTest {

    @Test
    void smallRunTimesBothPrecisions(@TempDir Path dir) {
        List<BenchResult> results = ExpmvBenchmark.run(new int[] {8, 16}, 4, 2);
        assertTrue(results.size() >= 4);
        for (BenchResult r : results) {
            assertEquals("expmv", r.name());
            assertTrue(r.p10Ms() <= r.medianMs() && r.medianMs() <= r.p90Ms());
            assertEquals("seeded", r.params().get("inputs"));
        }
        assertEquals(List.of("float64", "float32"), results.stream().filter(r -> r.params().get("n").equals(8))
                .map(r -> (String) r.params().get("dtype")).distinct().toList());
    }

    @Test
    void readsTheArraysThePeerSaves(@TempDir Path dir) throws IOException {
        double[][] a = {{1.5, -2}, {0.25, 1e-300}};
        double[][] b = {{1, 2, 3}, {4, 5, 6}};
        writeNpy(dir.resolve("A_2.npy"), a);
        writeNpy(dir.resolve("B_2.npy"), b);
        assertArrayEquals(a, ExpmvBenchmark.readMatrix(dir.resolve("A_2.npy"), 2, 2));
        assertArrayEquals(b, ExpmvBenchmark.readMatrix(dir.resolve("B_2.npy"), 2, 3));
        List<BenchResult> results = ExpmvBenchmark.run(new int[] {2}, 3, 1, dir, Gemm.plainJava());
        assertEquals("npy", results.get(0).params().get("inputs"));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> ExpmvBenchmark.readMatrix(dir.resolve("B_2.npy"), 2, 2));
        assertEquals(dir.resolve("B_2.npy") + ": shape (2,3), expected (2, 2)", e.getMessage());
    }

    /** An NPY v1.0 file as numpy.save writes it: magic, header padded to 64 bytes, little-endian float64. */
    private static void writeNpy(Path file, double[][] x) throws IOException {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + x.length + ", " + x[0].length + "), }";
        int padded = (10 + header.length() + 1 + 63) / 64 * 64 - 10;
        header = header + " ".repeat(padded - header.length() - 1) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + padded + 8 * x.length * x[0].length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) padded);
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        for (double[] row : x) {
            for (double v : row) {
                buf.putDouble(v);
            }
        }
        Files.write(file, buf.array());
    }
}
