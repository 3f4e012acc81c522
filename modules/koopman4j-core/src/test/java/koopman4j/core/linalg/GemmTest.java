package koopman4j.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GemmTest {
    private static final int[][] SHAPES = {{1, 1, 1}, {7, 3, 5}, {9, 13, 300}, {130, 70, 90}, {17, 64, 1}, {200, 150, 120}};

    @Test
    void plainJavaProductMatchesTripleLoop() {
        assertMatchesTripleLoop(Gemm.plainJava());
    }

    @Test
    void nd4jProductMatchesTripleLoop() {
        assertMatchesTripleLoop(new Nd4jGemm());
    }

    @Test
    void expmvGivesTheSameResultWithEitherProduct() {
        double[][] a = Matrices.gaussian(40, 40, 0.2, 1);
        double[][] b = Matrices.gaussian(40, 6, 1, 2);
        double[][] java = Expmv.apply(a, b, 1, Gemm.plainJava());
        double[][] nd4j = Expmv.apply(a, b, 1, new Nd4jGemm());
        assertEquals(0, Matrices.relativeError(nd4j, java), 1e-14);
        float[][] java32 = Expmv.apply(Matrices.toFloat(a), Matrices.toFloat(b), 1, Gemm.plainJava());
        float[][] nd4j32 = Expmv.apply(Matrices.toFloat(a), Matrices.toFloat(b), 1, new Nd4jGemm());
        assertEquals(0, Matrices.relativeError(nd4j32, Matrices.toDouble(java32)), 1e-6);
    }

    private static void assertMatchesTripleLoop(Gemm gemm) {
        Random random = new Random(3);
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int inner = shape[1];
            int cols = shape[2];
            double[] a = random.doubles(rows * inner, -1, 1).toArray();
            double[] b = random.doubles(inner * cols, -1, 1).toArray();
            double[] c = new double[rows * cols];
            Gemm.Left64 left = gemm.left(a, rows, inner);
            left.times(b, cols, c);
            left.times(b, cols, c);                                  // a second use of the same binding
            float[] af = new float[a.length];
            float[] bf = new float[b.length];
            for (int i = 0; i < a.length; i++) {
                af[i] = (float) a[i];
            }
            for (int i = 0; i < b.length; i++) {
                bf[i] = (float) b[i];
            }
            float[] cf = new float[rows * cols];
            gemm.left(af, rows, inner).times(bf, cols, cf);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    double sumF = 0;
                    for (int k = 0; k < inner; k++) {
                        sum += a[i * inner + k] * b[k * cols + j];
                        sumF += af[i * inner + k] * (double) bf[k * cols + j];
                    }
                    String where = gemm.name() + " " + rows + "x" + inner + "x" + cols + " [" + i + "][" + j + "]";
                    assertEquals(sum, c[i * cols + j], 1e-13 * inner, where);
                    assertEquals(sumF, cf[i * cols + j], 1e-6 * inner, where + " float");
                }
            }
        }
    }
}
