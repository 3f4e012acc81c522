package koopman4j.trainer.fused;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import koopman4j.layers.Activation;

/**
 * The elementwise work of a float64 training step ({@link SpNodeStep}) on contiguous {@link Block}s.
 * With the Vector API (module {@code jdk.incubator.vector}) the bulk of each pass runs in SIMD lanes and
 * a scalar loop finishes the tail; without it the scalar loop does all, with the same results up to
 * rounding.
 *
 * <p>tanh is computed as e/(e + 2) with e = expm1(2x), |x| clamped to 20 (where tanh is 1 in double):
 * JDK 17 vectorises expm1 (about 3 ns a value here) but not tanh (36 ns, slower than the scalar
 * {@code Math.tanh}), and the expm1 form keeps full relative accuracy near 0. ELU is expm1(x) below 0.
 */
final class DoubleKernels {

    private static final boolean VECTOR = Kernels.VECTOR;
    private static final int D = Double.BYTES;
    private static final double TANH_SATURATION = 20;

    private DoubleKernels() {
    }

    /** out = act(pre + bias) row by row (act null: the affine map alone); out may be pre. Contiguous blocks. */
    static void biasActivation(Activation act, Block pre, Block bias, Block out) {
        ByteBuffer p = pre.bytes();
        ByteBuffer o = out.bytes();
        ByteBuffer b = bias.bytes();
        int b0 = bias.rowByte(0);
        int w = pre.cols();
        for (int r = 0; r < pre.rows(); r++) {
            int p0 = pre.rowByte(r);
            int o0 = out.rowByte(r);
            int done = VECTOR ? Simd.biasActivation(act, p, p0, b, b0, o, o0, w) : 0;
            for (int j = done; j < w; j++) {
                o.putDouble(o0 + j * D, activate(act, p.getDouble(p0 + j * D) + b.getDouble(b0 + j * D)));
            }
        }
    }

    static double activate(Activation act, double x) {
        if (act == null) {
            return x;
        }
        return switch (act) {
            case ELU -> x >= 0 ? x : Math.expm1(x);
            case RELU -> Math.max(x, 0);
            case TANH -> {
                double e = Math.expm1(2 * Math.max(-TANH_SATURATION, Math.min(TANH_SATURATION, x)));
                yield e / (e + 2);
            }
            case CRELU -> throw new IllegalArgumentException("crelu is not a float64 fused activation");
        };
    }

    /** dPre = dOut ∘ act'(pre), the derivative read from the output: elu' = out + 1 below 0, relu' = [out > 0], tanh' = 1 − out². */
    static void activationBackward(Activation act, Block dOut, Block out, Block dPre) {
        int len = (int) dPre.size();
        ByteBuffer g = dOut.bytes();
        ByteBuffer o = out.bytes();
        ByteBuffer d = dPre.bytes();
        int g0 = dOut.rowByte(0);
        int o0 = out.rowByte(0);
        int d0 = dPre.rowByte(0);
        int done = VECTOR ? Simd.activationBackward(act, g, g0, o, o0, d, d0, len) : 0;
        for (int j = done; j < len; j++) {
            double y = o.getDouble(o0 + j * D);
            double dy = g.getDouble(g0 + j * D);
            d.putDouble(d0 + j * D, switch (act) {
                case ELU -> y > 0 ? dy : dy * (y + 1);
                case RELU -> y > 0 ? dy : 0;
                case TANH -> dy * (1 - y * y);
                case CRELU -> throw new IllegalArgumentException("crelu is not a float64 fused activation");
            });
        }
    }

    /** y += a·x (same sizes, contiguous). */
    static void axpy(double a, Block x, Block y) {
        int len = (int) y.size();
        ByteBuffer xb = x.bytes();
        ByteBuffer yb = y.bytes();
        int x0 = x.rowByte(0);
        int y0 = y.rowByte(0);
        int done = VECTOR ? Simd.axpy(a, xb, x0, yb, y0, len) : 0;
        for (int j = done; j < len; j++) {
            yb.putDouble(y0 + j * D, yb.getDouble(y0 + j * D) + a * xb.getDouble(x0 + j * D));
        }
    }

    /** y = x (same sizes, contiguous). */
    static void copy(Block x, Block y) {
        y.bytes().put(y.rowByte(0), x.bytes(), x.rowByte(0), (int) y.size() * D);
    }

    /** y = c everywhere (contiguous). */
    static void fill(Block y, double c) {
        int y0 = y.rowByte(0);
        for (int j = 0; j < y.size(); j++) {
            y.bytes().putDouble(y0 + j * D, c);
        }
    }

    /** Σ e², and e becomes its gradient scaled: e ← 2c·e (a squared-error term with weight c). */
    static double squaresAndGradient(Block e, double c) {
        int len = (int) e.size();
        ByteBuffer b = e.bytes();
        int e0 = e.rowByte(0);
        double sum = 0;
        for (int j = 0; j < len; j++) {
            double v = b.getDouble(e0 + j * D);
            sum += v * v;
            b.putDouble(e0 + j * D, 2 * c * v);
        }
        return sum;
    }

    /** x ∘= y elementwise (same sizes, contiguous). */
    static void multiply(Block y, Block x) {
        int len = (int) x.size();
        ByteBuffer xb = x.bytes();
        ByteBuffer yb = y.bytes();
        int x0 = x.rowByte(0);
        int y0 = y.rowByte(0);
        for (int j = 0; j < len; j++) {
            xb.putDouble(x0 + j * D, xb.getDouble(x0 + j * D) * yb.getDouble(y0 + j * D));
        }
    }

    /** The Vector API bulk of the passes above; loaded only when {@link Kernels#VECTOR} is true. */
    private static final class Simd {
        private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();

        static int biasActivation(Activation act, ByteBuffer pre, int p0, ByteBuffer bias, int b0, ByteBuffer out, int o0, int len) {
            int bound = S.loopBound(len);
            for (int j = 0; j < bound; j += S.length()) {
                DoubleVector x = load(pre, p0 + j * D).add(load(bias, b0 + j * D));
                DoubleVector y = act == null ? x : switch (act) {
                    case ELU -> x.blend(x.lanewise(VectorOperators.EXPM1), x.compare(VectorOperators.LT, 0));
                    case RELU -> x.max(0);
                    case TANH -> {
                        DoubleVector e = x.max(-TANH_SATURATION).min(TANH_SATURATION).mul(2).lanewise(VectorOperators.EXPM1);
                        yield e.div(e.add(2));
                    }
                    case CRELU -> throw new IllegalArgumentException("crelu is not a float64 fused activation");
                };
                y.intoByteBuffer(out, o0 + j * D, ORDER);
            }
            return bound;
        }

        static int activationBackward(Activation act, ByteBuffer dOut, int g0, ByteBuffer out, int o0, ByteBuffer dPre, int d0, int len) {
            int bound = S.loopBound(len);
            for (int j = 0; j < bound; j += S.length()) {
                DoubleVector y = load(out, o0 + j * D);
                DoubleVector dy = load(dOut, g0 + j * D);
                DoubleVector d = switch (act) {
                    case ELU -> dy.mul(y.add(1)).blend(dy, y.compare(VectorOperators.GT, 0));
                    case RELU -> dy.blend(0, y.compare(VectorOperators.LE, 0));
                    case TANH -> dy.mul(y.mul(y).neg().add(1));
                    case CRELU -> throw new IllegalArgumentException("crelu is not a float64 fused activation");
                };
                d.intoByteBuffer(dPre, d0 + j * D, ORDER);
            }
            return bound;
        }

        static int axpy(double a, ByteBuffer x, int x0, ByteBuffer y, int y0, int len) {
            int bound = S.loopBound(len);
            DoubleVector av = DoubleVector.broadcast(S, a);
            for (int j = 0; j < bound; j += S.length()) {
                load(x, x0 + j * D).fma(av, load(y, y0 + j * D)).intoByteBuffer(y, y0 + j * D, ORDER);
            }
            return bound;
        }

        private static DoubleVector load(ByteBuffer b, int byteIndex) {
            return DoubleVector.fromByteBuffer(S, b, byteIndex, ORDER);
        }
    }
}
