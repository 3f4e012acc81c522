package koopman4j.trainer.fused;

import java.nio.ByteBuffer;
import koopman4j.layers.Activation;

/**
 * The elementwise work of a training step on {@link Block}s: bias and activation, their derivatives,
 * column sums, squared errors. Each kernel walks spans of consecutive floats (a whole block when it is
 * contiguous, else one row at a time); {@link VectorKernels} does the bulk of a span with SIMD when
 * the JVM has the Vector API (module {@code jdk.incubator.vector}), and the scalar loop here does the
 * rest — all of it without that module, with the same results up to rounding.
 */
final class Kernels {

    /** Whether the Vector API is there: {@code --add-modules jdk.incubator.vector} (bin/koopman4j sets it). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private static final int F = Float.BYTES;
    /** Threads for the activation passes: OMP_NUM_THREADS, as for ND4J and OpenBLAS, else one per core. */
    static final int THREADS = threads();
    /** Below this many elements a second thread costs more than it saves. */
    private static final long PARALLEL_ELEMENTS = 1 << 16;

    private Kernels() {
    }

    /** out = act(pre + bias), row by row; out may be pre (not for CReLU, whose out is twice as wide). */
    static void biasActivation(Activation act, Block pre, Block bias, Block out) {
        int half = pre.rows() / 2;
        if (THREADS > 1 && pre.size() >= PARALLEL_ELEMENTS) {
            inParallel(() -> biasActivationRows(act, pre.rows(0, half), bias, out.rows(0, half)),
                    () -> biasActivationRows(act, pre.rows(half, pre.rows()), bias, out.rows(half, out.rows())));
        } else {
            biasActivationRows(act, pre, bias, out);
        }
    }

    private static void biasActivationRows(Activation act, Block pre, Block bias, Block out) {
        ByteBuffer p = pre.bytes();
        ByteBuffer o = out.bytes();
        ByteBuffer b = bias.bytes();
        int bb = bias.rowByte(0);
        int w = pre.cols();
        for (int r = 0; r < pre.rows(); r++) {
            int pr = pre.rowByte(r);
            int or = out.rowByte(r);
            int done = VECTOR ? VectorKernels.biasActivation(act, p, pr, b, bb, o, or, w) : 0;
            for (int j = done; j < w; j++) {
                float x = p.getFloat(pr + j * F) + b.getFloat(bb + j * F);
                switch (act) {
                    case ELU -> o.putFloat(or + j * F, x >= 0 ? x : FloatMath.exp(x) - 1); // libnd4j's elu, e^x − 1
                    case RELU -> o.putFloat(or + j * F, Math.max(x, 0f));
                    case TANH -> o.putFloat(or + j * F, FloatMath.tanh(x));
                    case CRELU -> {
                        o.putFloat(or + j * F, Math.max(x, 0f));
                        o.putFloat(or + (w + j) * F, Math.max(-x, 0f));
                    }
                }
            }
        }
    }

    /** c += bias on every row. */
    static void addBias(Block c, Block bias) {
        ByteBuffer cb = c.bytes();
        ByteBuffer b = bias.bytes();
        int bb = bias.rowByte(0);
        for (int r = 0; r < c.rows(); r++) {
            int cr = c.rowByte(r);
            int done = VECTOR ? VectorKernels.add(b, bb, cb, cr, c.cols()) : 0;
            for (int j = done; j < c.cols(); j++) {
                cb.putFloat(cr + j * F, cb.getFloat(cr + j * F) + b.getFloat(bb + j * F));
            }
        }
    }

    /**
     * dPre = dOut ∘ act'(pre), with the derivative read from the activation's output {@code out}:
     * elu' = 1 or out + 1, relu' = [out > 0], tanh' = 1 − out²; for CReLU dPre = dOut₁[out₁ > 0] − dOut₂[out₂ > 0].
     */
    static void activationBackward(Activation act, Block dOut, Block out, Block dPre) {
        int half = dPre.rows() / 2;
        if (THREADS > 1 && dPre.size() >= PARALLEL_ELEMENTS) {
            inParallel(() -> activationBackwardRows(act, dOut.rows(0, half), out.rows(0, half), dPre.rows(0, half)),
                    () -> activationBackwardRows(act, dOut.rows(half, dOut.rows()), out.rows(half, out.rows()), dPre.rows(half, dPre.rows())));
        } else {
            activationBackwardRows(act, dOut, out, dPre);
        }
    }

    private static void activationBackwardRows(Activation act, Block dOut, Block out, Block dPre) {
        int w = dPre.cols();
        boolean whole = act != Activation.CRELU && dOut.contiguous() && out.contiguous() && dPre.contiguous();
        int spans = whole ? 1 : dPre.rows();
        int len = whole ? (int) dPre.size() : w;
        ByteBuffer g = dOut.bytes();
        ByteBuffer o = out.bytes();
        ByteBuffer d = dPre.bytes();
        for (int r = 0; r < spans; r++) {
            int gr = dOut.rowByte(r);
            int or = out.rowByte(r);
            int dr = dPre.rowByte(r);
            int done = VECTOR ? VectorKernels.activationBackward(act, g, gr, o, or, d, dr, len) : 0;
            for (int j = done; j < len; j++) {
                float y = o.getFloat(or + j * F);
                float dy = g.getFloat(gr + j * F);
                float v = switch (act) {
                    case ELU -> y > 0 ? dy : dy * (y + 1);
                    case RELU -> y > 0 ? dy : 0f;
                    case TANH -> dy * (1 - y * y);
                    case CRELU -> (y > 0 ? dy : 0f) - (o.getFloat(or + (w + j) * F) > 0 ? g.getFloat(gr + (w + j) * F) : 0f);
                };
                d.putFloat(dr + j * F, v);
            }
        }
    }

    /**
     * Σ_{r,j} weights[j]·e[r,j]², and e becomes its gradient 2·weights[j]·e[r,j]: one pass for a
     * weighted squared-error term and the start of its backward pass.
     */
    static double weightedSquares(Block e, float[] weights) {
        ByteBuffer eb = e.bytes();
        double sum = 0;
        for (int r = 0; r < e.rows(); r++) {
            int er = e.rowByte(r);
            double rowSum = VECTOR ? VectorKernels.weightedSquares(eb, er, weights, e.cols()) : 0;
            for (int j = VECTOR ? VectorKernels.loopBound(e.cols()) : 0; j < e.cols(); j++) {
                float v = eb.getFloat(er + j * F);
                rowSum += weights[j] * v * v;
                eb.putFloat(er + j * F, 2 * weights[j] * v);
            }
            sum += rowSum;
        }
        return sum;
    }

    /** y += a·x (same shapes). */
    static void axpy(float a, Block x, Block y) {
        boolean whole = x.contiguous() && y.contiguous();
        int spans = whole ? 1 : y.rows();
        int len = whole ? (int) y.size() : y.cols();
        ByteBuffer xb = x.bytes();
        ByteBuffer yb = y.bytes();
        for (int r = 0; r < spans; r++) {
            int xr = x.rowByte(r);
            int yr = y.rowByte(r);
            int done = VECTOR ? VectorKernels.axpy(a, xb, xr, yb, yr, len) : 0;
            for (int j = done; j < len; j++) {
                yb.putFloat(yr + j * F, yb.getFloat(yr + j * F) + a * xb.getFloat(xr + j * F));
            }
        }
    }

    /** out = x + y (same shapes): a residual layer's output. */
    static void sum(Block x, Block y, Block out) {
        boolean whole = x.contiguous() && y.contiguous() && out.contiguous();
        int spans = whole ? 1 : out.rows();
        int len = whole ? (int) out.size() : out.cols();
        for (int r = 0; r < spans; r++) {
            int xr = x.rowByte(r);
            int yr = y.rowByte(r);
            int or = out.rowByte(r);
            int done = VECTOR ? VectorKernels.sum(x.bytes(), xr, y.bytes(), yr, out.bytes(), or, len) : 0;
            for (int j = done; j < len; j++) {
                out.bytes().putFloat(or + j * F, x.bytes().getFloat(xr + j * F) + y.bytes().getFloat(yr + j * F));
            }
        }
    }

    /** y = x (same shapes). */
    static void copy(Block x, Block y) {
        for (int r = 0; r < y.rows(); r++) {
            int xr = x.rowByte(r);
            int yr = y.rowByte(r);
            y.bytes().put(yr, x.bytes(), xr, y.cols() * F);
        }
    }

    /** y = c everywhere. */
    static void fill(Block y, float c) {
        for (int r = 0; r < y.rows(); r++) {
            int yr = y.rowByte(r);
            for (int j = 0; j < y.cols(); j++) {
                y.bytes().putFloat(yr + j * F, c);
            }
        }
    }

    /** y = 0. */
    /** Whether every entry of x is finite (no NaN, no ±∞). */
    static boolean allFinite(Block x) {
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < x.cols(); j++) {
                if (!Float.isFinite(x.get(r, j))) {
                    return false;
                }
            }
        }
        return true;
    }

    static void zero(Block y) {
        fill(y, 0f);
    }

    /** out = a − b (same shapes). */
    static void difference(Block a, Block b, Block out) {
        copy(a, out);
        axpy(-1f, b, out);
    }

    /** x ∘= mask (same shapes, contiguous): inverted dropout. */
    static void multiply(Block mask, Block x) {
        ByteBuffer m = mask.bytes();
        ByteBuffer xb = x.bytes();
        for (long i = 0; i < x.size(); i++) {
            int mi = (int) ((mask.offset() + i) * F);
            int xi = (int) ((x.offset() + i) * F);
            xb.putFloat(xi, xb.getFloat(xi) * m.getFloat(mi));
        }
    }

    /** Runs two halves of a pass at once: the second on the common fork-join pool, the first here. */
    private static void inParallel(Runnable first, Runnable second) {
        java.util.concurrent.ForkJoinTask<?> other = java.util.concurrent.ForkJoinPool.commonPool().submit(second);
        first.run();
        other.join();
    }

    private static int threads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            return omp == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(omp.trim()));
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Rows of a row-major float[] (length rows·cols) into a block. */
    static void load(float[] source, Block y) {
        java.nio.FloatBuffer floats = y.bytes().asFloatBuffer();
        for (int r = 0; r < y.rows(); r++) {
            floats.put(y.rowByte(r) / F, source, r * y.cols(), y.cols());
        }
    }
}
