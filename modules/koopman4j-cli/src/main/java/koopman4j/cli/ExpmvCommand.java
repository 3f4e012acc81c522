package koopman4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.MatrixFiles;
import koopman4j.core.linalg.Expmv;
import koopman4j.core.linalg.Nd4jGemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code expmv}: exp(tA)·B by Al-Mohy & Higham's truncated Taylor method (seed 001, eq. 18–19). */
@Command(name = "expmv", mixinStandardHelpOptions = true, description = "exp(tA)·B without forming exp(tA) (Al-Mohy & Higham 2011).")
final class ExpmvCommand implements Callable<Integer> {

    @Option(names = "--matrix", required = true, description = "A, square: .csv (rows, no header) or 2-d .npy")
    Path matrix;

    @Option(names = "--vectors", required = true, description = "B, one vector per column: .csv or .npy")
    Path vectors;

    @Option(names = "--t", required = true, description = "time t")
    double t;

    @Option(names = "--precision", defaultValue = "double", description = "single or double (default ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--out", required = true, description = "exp(tA)·B as .npy (or .csv)")
    Path out;

    @Override
    public Integer call() {
        double[][] a = MatrixFiles.read(matrix);
        double[][] b = MatrixFiles.read(vectors);
        double[][] x = switch (precision.toLowerCase(Locale.ROOT)) {
            case "double" -> Expmv.apply(a, b, t, new Nd4jGemm());
            case "single" -> toDouble(Expmv.apply(toFloat(a), toFloat(b), t, new Nd4jGemm()));
            default -> throw new InvalidDataException("--precision must be single or double, got '" + precision + "'");
        };
        MatrixFiles.write(x, out);
        System.err.printf("wrote exp(%g·A)·B (%d x %d) to %s%n", t, x.length, x[0].length, out);
        return 0;
    }

    private static float[][] toFloat(double[][] a) {
        float[][] f = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            f[i] = new float[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                f[i][j] = (float) a[i][j];
            }
        }
        return f;
    }

    private static double[][] toDouble(float[][] f) {
        double[][] a = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            a[i] = new double[f[i].length];
            for (int j = 0; j < f[i].length; j++) {
                a[i][j] = f[i][j];
            }
        }
        return a;
    }
}
