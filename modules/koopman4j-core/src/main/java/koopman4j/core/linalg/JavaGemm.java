package koopman4j.core.linalg;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Plain-Java C = A·B: a panel of four rows of C accumulates in L1-sized row buffers while four rows of B
 * stream past, so each buffer load and store carries four multiply-adds (axpys the JIT vectorises);
 * panels run in parallel on the common fork-join pool once a product is large enough.
 */
final class JavaGemm implements Gemm {
    static final JavaGemm INSTANCE = new JavaGemm();

    private static final int PANEL = 4;
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
            int k = 0;
            if (h == PANEL) {
                double[] t0 = acc[0], t1 = acc[1], t2 = acc[2], t3 = acc[3];
                for (; k + 4 <= inner; k += 4) {
                    int r0 = i0 * inner + k, r1 = r0 + inner, r2 = r1 + inner, r3 = r2 + inner;
                    double a00 = a[r0], a01 = a[r0 + 1], a02 = a[r0 + 2], a03 = a[r0 + 3];
                    double a10 = a[r1], a11 = a[r1 + 1], a12 = a[r1 + 2], a13 = a[r1 + 3];
                    double a20 = a[r2], a21 = a[r2 + 1], a22 = a[r2 + 2], a23 = a[r2 + 3];
                    double a30 = a[r3], a31 = a[r3 + 1], a32 = a[r3 + 2], a33 = a[r3 + 3];
                    int b0 = k * cols + j0, b1 = b0 + cols, b2 = b1 + cols, b3 = b2 + cols;
                    for (int j = 0; j < w; j++) {
                        double u0 = b[b0 + j], u1 = b[b1 + j], u2 = b[b2 + j], u3 = b[b3 + j];
                        t0[j] += a00 * u0 + a01 * u1 + a02 * u2 + a03 * u3;
                        t1[j] += a10 * u0 + a11 * u1 + a12 * u2 + a13 * u3;
                        t2[j] += a20 * u0 + a21 * u1 + a22 * u2 + a23 * u3;
                        t3[j] += a30 * u0 + a31 * u1 + a32 * u2 + a33 * u3;
                    }
                }
            }
            for (int r = 0; r < h; r++) {                                // what is left of k, or short panels
                double[] t = acc[r];
                for (int kk = k; kk < inner; kk++) {
                    double x = a[(i0 + r) * inner + kk];
                    int bk = kk * cols + j0;
                    for (int j = 0; j < w; j++) {
                        t[j] += x * b[bk + j];
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
            int k = 0;
            if (h == PANEL) {
                float[] t0 = acc[0], t1 = acc[1], t2 = acc[2], t3 = acc[3];
                for (; k + 4 <= inner; k += 4) {
                    int r0 = i0 * inner + k, r1 = r0 + inner, r2 = r1 + inner, r3 = r2 + inner;
                    float a00 = a[r0], a01 = a[r0 + 1], a02 = a[r0 + 2], a03 = a[r0 + 3];
                    float a10 = a[r1], a11 = a[r1 + 1], a12 = a[r1 + 2], a13 = a[r1 + 3];
                    float a20 = a[r2], a21 = a[r2 + 1], a22 = a[r2 + 2], a23 = a[r2 + 3];
                    float a30 = a[r3], a31 = a[r3 + 1], a32 = a[r3 + 2], a33 = a[r3 + 3];
                    int b0 = k * cols + j0, b1 = b0 + cols, b2 = b1 + cols, b3 = b2 + cols;
                    for (int j = 0; j < w; j++) {
                        float u0 = b[b0 + j], u1 = b[b1 + j], u2 = b[b2 + j], u3 = b[b3 + j];
                        t0[j] += a00 * u0 + a01 * u1 + a02 * u2 + a03 * u3;
                        t1[j] += a10 * u0 + a11 * u1 + a12 * u2 + a13 * u3;
                        t2[j] += a20 * u0 + a21 * u1 + a22 * u2 + a23 * u3;
                        t3[j] += a30 * u0 + a31 * u1 + a32 * u2 + a33 * u3;
                    }
                }
            }
            for (int r = 0; r < h; r++) {                                // what is left of k, or short panels
                float[] t = acc[r];
                for (int kk = k; kk < inner; kk++) {
                    float x = a[(i0 + r) * inner + kk];
                    int bk = kk * cols + j0;
                    for (int j = 0; j < w; j++) {
                        t[j] += x * b[bk + j];
                    }
                }
            }
            for (int r = 0; r < h; r++) {
                System.arraycopy(acc[r], 0, c, (i0 + r) * cols + j0, w);
            }
        }
    }
}
