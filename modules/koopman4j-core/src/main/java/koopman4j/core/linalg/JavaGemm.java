package koopman4j.core.linalg;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Plain-Java C = A·B: panels of eight rows of C accumulate in L1-sized row buffers while one row of B
 * streams past (an axpy the JIT vectorises); panels run in parallel once a product is large enough.
 */
final class JavaGemm implements Gemm {
    static final JavaGemm INSTANCE = new JavaGemm();

    private static final int PANEL = 8;
    private static final int WIDTH = 256;
    private static final double PARALLEL_FLOPS = 1 << 22;

    private JavaGemm() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Left64 left(double[] a, int rows, int inner) {
        return (b, cols, c) -> forPanels(rows, inner, cols, panel -> panel64(a, b, c, panel, rows, inner, cols));
    }

    @Override
    public Left32 left(float[] a, int rows, int inner) {
        return (b, cols, c) -> forPanels(rows, inner, cols, panel -> panel32(a, b, c, panel, rows, inner, cols));
    }

    private static void forPanels(int rows, int inner, int cols, java.util.function.IntConsumer panel) {
        int panels = (rows + PANEL - 1) / PANEL;
        IntStream range = IntStream.range(0, panels);
        (2.0 * rows * inner * cols >= PARALLEL_FLOPS ? range.parallel() : range).forEach(panel);
    }

    private static void panel64(double[] a, double[] b, double[] c, int panel, int rows, int inner, int cols) {
        int i0 = panel * PANEL;
        int h = Math.min(PANEL, rows - i0);
        double[][] acc = new double[PANEL][Math.min(WIDTH, cols)];
        for (int j0 = 0; j0 < cols; j0 += WIDTH) {
            int w = Math.min(WIDTH, cols - j0);
            for (double[] row : acc) {
                Arrays.fill(row, 0.0);
            }
            if (h == PANEL) {
                double[] t0 = acc[0], t1 = acc[1], t2 = acc[2], t3 = acc[3];
                double[] t4 = acc[4], t5 = acc[5], t6 = acc[6], t7 = acc[7];
                for (int k = 0; k < inner; k++) {
                    int ak = i0 * inner + k;
                    double x0 = a[ak], x1 = a[ak + inner], x2 = a[ak + 2 * inner], x3 = a[ak + 3 * inner];
                    double x4 = a[ak + 4 * inner], x5 = a[ak + 5 * inner], x6 = a[ak + 6 * inner], x7 = a[ak + 7 * inner];
                    int bk = k * cols + j0;
                    for (int j = 0; j < w; j++) {
                        double bj = b[bk + j];
                        t0[j] += x0 * bj;
                        t1[j] += x1 * bj;
                        t2[j] += x2 * bj;
                        t3[j] += x3 * bj;
                        t4[j] += x4 * bj;
                        t5[j] += x5 * bj;
                        t6[j] += x6 * bj;
                        t7[j] += x7 * bj;
                    }
                }
            } else {
                for (int r = 0; r < h; r++) {
                    double[] t = acc[r];
                    for (int k = 0; k < inner; k++) {
                        double x = a[(i0 + r) * inner + k];
                        int bk = k * cols + j0;
                        for (int j = 0; j < w; j++) {
                            t[j] += x * b[bk + j];
                        }
                    }
                }
            }
            for (int r = 0; r < h; r++) {
                System.arraycopy(acc[r], 0, c, (i0 + r) * cols + j0, w);
            }
        }
    }

    private static void panel32(float[] a, float[] b, float[] c, int panel, int rows, int inner, int cols) {
        int i0 = panel * PANEL;
        int h = Math.min(PANEL, rows - i0);
        float[][] acc = new float[PANEL][Math.min(WIDTH, cols)];
        for (int j0 = 0; j0 < cols; j0 += WIDTH) {
            int w = Math.min(WIDTH, cols - j0);
            for (float[] row : acc) {
                Arrays.fill(row, 0f);
            }
            if (h == PANEL) {
                float[] t0 = acc[0], t1 = acc[1], t2 = acc[2], t3 = acc[3];
                float[] t4 = acc[4], t5 = acc[5], t6 = acc[6], t7 = acc[7];
                for (int k = 0; k < inner; k++) {
                    int ak = i0 * inner + k;
                    float x0 = a[ak], x1 = a[ak + inner], x2 = a[ak + 2 * inner], x3 = a[ak + 3 * inner];
                    float x4 = a[ak + 4 * inner], x5 = a[ak + 5 * inner], x6 = a[ak + 6 * inner], x7 = a[ak + 7 * inner];
                    int bk = k * cols + j0;
                    for (int j = 0; j < w; j++) {
                        float bj = b[bk + j];
                        t0[j] += x0 * bj;
                        t1[j] += x1 * bj;
                        t2[j] += x2 * bj;
                        t3[j] += x3 * bj;
                        t4[j] += x4 * bj;
                        t5[j] += x5 * bj;
                        t6[j] += x6 * bj;
                        t7[j] += x7 * bj;
                    }
                }
            } else {
                for (int r = 0; r < h; r++) {
                    float[] t = acc[r];
                    for (int k = 0; k < inner; k++) {
                        float x = a[(i0 + r) * inner + k];
                        int bk = k * cols + j0;
                        for (int j = 0; j < w; j++) {
                            t[j] += x * b[bk + j];
                        }
                    }
                }
            }
            for (int r = 0; r < h; r++) {
                System.arraycopy(acc[r], 0, c, (i0 + r) * cols + j0, w);
            }
        }
    }
}
