package koopman4j.core.linalg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import koopman4j.benchmarks.BenchResult;
import koopman4j.core.data.InvalidDataException;

/**
 * The SciPy peer's expmv problem (benchmarks/peers/scipy_expmv.py), timed: for each n, A = N(0,1)/√n
 * (n × n), B = N(0,1) (n × cols), X = e^{A}B, in float64 and float32. The peer's inputs come from
 * numpy's generator, so {@code inputs} may name the directory its {@code --save DIR} wrote
 * ({@code A_<n>.npy}, {@code B_<n>.npy}); without it A and B are drawn from {@code java.util.Random}
 * seeded 2718281 + n, the same distribution. Each result names the path the cost model took; where that
 * is the dense one, the Taylor path is timed as well, to compare like with like.
 */
public final class ExpmvBenchmark {
    private static final int WARMUP_CALLS = 2;
    private static final int WARMUP_MAX_CALLS = 200;
    private static final long WARMUP_NANOS = 1_000_000_000L;

    private ExpmvBenchmark() {
    }

    /** Generated inputs, plain-Java products. */
    public static List<BenchResult> run(int[] sizes, int cols, int repeats) {
        return run(sizes, cols, repeats, null, Gemm.plainJava());
    }

    /** Inputs from the peer's {@code --save} directory when {@code inputs} is not null; products by {@code gemm}. */
    public static List<BenchResult> run(int[] sizes, int cols, int repeats, Path inputs, Gemm gemm) {
        List<BenchResult> results = new ArrayList<>();
        for (int n : sizes) {
            Random random = new Random(2718281 + n);                     // A first, then B, as the peer draws them
            double[][] a = inputs == null ? gaussian(n, n, 1 / Math.sqrt(n), random) : readMatrix(inputs.resolve("A_" + n + ".npy"), n, n);
            double[][] b = inputs == null ? gaussian(n, cols, 1, random) : readMatrix(inputs.resolve("B_" + n + ".npy"), n, cols);
            String source = inputs == null ? "seeded" : "npy";
            double[] flatA = RowMajor.square("bench", "A", a);
            double[] flatB = RowMajor.block("bench", "B", b, n);
            String path64 = path(flatA, n, cols, Precision.DOUBLE);
            results.add(time(params(n, cols, "float64", gemm, path64, source), repeats, () -> Expmv.apply(a, b, 1.0, gemm)));
            if (path64.equals("dense")) {
                results.add(time(params(n, cols, "float64", gemm, "taylor (forced)", source), repeats,
                        () -> taylor(Blocks.float64(gemm), flatA, flatB, n, cols)));
            }
            float[][] af = toFloat(a);
            float[][] bf = toFloat(b);
            results.add(time(params(n, cols, "float32", gemm, path(flatA, n, cols, Precision.SINGLE), source), repeats,
                    () -> Expmv.apply(af, bf, 1.0, gemm)));
        }
        return results;
    }

    /** Warms up for two calls, then on for a second or 200 calls, so that the JIT has compiled the loops; then times. */
    private static BenchResult time(Map<String, Object> params, int repeats, Runnable action) {
        long start = System.nanoTime();
        for (int i = 0; i < WARMUP_CALLS || (i < WARMUP_MAX_CALLS && System.nanoTime() - start < WARMUP_NANOS); i++) {
            action.run();
        }
        return BenchResult.measure("expmv", params, 0, repeats, action);
    }

    private static String path(double[] a, int n, int cols, Precision precision) {
        Expmv.Plan plan = Expmv.plan(a, n, 1.0, precision, cols);
        return Expmv.denseIsCheaper(plan, Expmv.denseNorm(a, n, 1.0), n, cols, precision) ? "dense" : "taylor";
    }

    private static <V> V taylor(Blocks<V> ops, V a, V b, int n, int cols) {
        return Expmv.taylor(ops, a, b, n, cols, 1.0, Expmv.plan(ops.toDouble(a), n, 1.0, ops.precision(), cols));
    }

    private static Map<String, Object> params(int n, int cols, String dtype, Gemm gemm, String path, String inputs) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("n", n);
        p.put("cols", cols);
        p.put("dtype", dtype);
        p.put("gemm", gemm.name());
        p.put("path", path);
        p.put("inputs", inputs);
        return p;
    }

    private static double[][] gaussian(int rows, int cols, double scale, Random random) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * random.nextGaussian();
            }
        }
        return x;
    }

    private static float[][] toFloat(double[][] x) {
        float[][] f = new float[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                f[i][j] = (float) x[i][j];
            }
        }
        return f;
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A 2-d little-endian float64 C-order NPY array (format versions 1–3) of the expected shape. */
    static double[][] readMatrix(Path file, int rows, int cols) {
        ByteBuffer buf;
        try {
            buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new InvalidDataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (buf.remaining() < 10 || buf.get() != (byte) 0x93 || buf.get() != 'N' || buf.get() != 'U' || buf.get() != 'M' || buf.get() != 'P' || buf.get() != 'Y') {
            throw new InvalidDataException(file + ": not an NPY file (no \\x93NUMPY magic)");
        }
        int major = buf.get();
        buf.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        if (headerLength < 0 || headerLength > buf.remaining()) {
            throw new InvalidDataException(file + ": NPY header length " + headerLength + " runs past the end of the file");
        }
        byte[] headerBytes = new byte[headerLength];
        buf.get(headerBytes);
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        String descr = field(file, header, DESCR, "descr");
        if (!descr.equals("<f8")) {
            throw new InvalidDataException(file + ": dtype '" + descr + "', expected '<f8' (little-endian float64)");
        }
        if (field(file, header, FORTRAN, "fortran_order").equals("True")) {
            throw new InvalidDataException(file + ": fortran_order is True, expected C order");
        }
        String shape = field(file, header, SHAPE, "shape").replace(" ", "");
        if (!shape.equals(rows + "," + cols)) {
            throw new InvalidDataException(file + ": shape (" + shape + "), expected (" + rows + ", " + cols + ")");
        }
        if (buf.remaining() != 8L * rows * cols) {
            throw new InvalidDataException(file + ": " + buf.remaining() + " data bytes, expected " + 8L * rows * cols);
        }
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            buf.asDoubleBuffer().get(row);
            buf.position(buf.position() + 8 * cols);
        }
        return x;
    }

    private static String field(Path file, String header, Pattern pattern, String name) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new InvalidDataException(file + ": NPY header has no '" + name + "'");
        }
        return m.group(1);
    }
}
