package koopman4j.trainer.fused;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import koopman4j.layers.Activation;

/**
 * The SIMD bulk of {@link Kernels}' spans (Java's Vector API; exp and tanh go to the JDK's vectorised
 * math routines): each method handles the longest prefix of whole vectors and returns its length, the
 * caller finishes the tail. Loaded only when {@link Kernels#VECTOR} is true.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int F = Float.BYTES;

    private VectorKernels() {
    }

    static int biasActivation(Activation act, ByteBuffer pre, int p0, ByteBuffer bias, int b0, ByteBuffer out, int o0, int len) {
        int bound = S.loopBound(len);
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector x = load(pre, p0 + j * F).add(load(bias, b0 + j * F));
            switch (act) {
                case ELU -> x.blend(x.lanewise(VectorOperators.EXP).sub(1f), x.compare(VectorOperators.LT, 0f)).intoByteBuffer(out, o0 + j * F, ORDER);
                case RELU -> x.max(0f).intoByteBuffer(out, o0 + j * F, ORDER);
                case TANH -> x.lanewise(VectorOperators.TANH).intoByteBuffer(out, o0 + j * F, ORDER);
                case CRELU -> {
                    x.max(0f).intoByteBuffer(out, o0 + j * F, ORDER);
                    x.neg().max(0f).intoByteBuffer(out, o0 + (len + j) * F, ORDER);
                }
            }
        }
        return bound;
    }

    static int activationBackward(Activation act, ByteBuffer dOut, int g0, ByteBuffer out, int o0, ByteBuffer dPre, int d0, int len) {
        int bound = S.loopBound(len);
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector y = load(out, o0 + j * F);
            FloatVector dy = load(dOut, g0 + j * F);
            FloatVector d = switch (act) {
                case ELU -> dy.mul(y.add(1f)).blend(dy, y.compare(VectorOperators.GT, 0f));
                case RELU -> dy.blend(0f, y.compare(VectorOperators.LE, 0f));
                case TANH -> dy.mul(y.mul(y).neg().add(1f));
                case CRELU -> {
                    VectorMask<Float> negative = load(out, o0 + (len + j) * F).compare(VectorOperators.GT, 0f);
                    FloatVector dNeg = load(dOut, g0 + (len + j) * F).blend(0f, negative.not());
                    yield dy.blend(0f, y.compare(VectorOperators.LE, 0f)).sub(dNeg);
                }
            };
            d.intoByteBuffer(dPre, d0 + j * F, ORDER);
        }
        return bound;
    }

    /** Length of the prefix of a span of {@code len} floats that the methods here handle. */
    static int loopBound(int len) {
        return S.loopBound(len);
    }

    /** Σ weights[j]·e[j]² over the first loopBound(len) floats of a row, which become 2·weights[j]·e[j]. */
    static double weightedSquares(ByteBuffer e, int e0, float[] weights, int len) {
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < S.loopBound(len); j += S.length()) {
            FloatVector v = load(e, e0 + j * F);
            FloatVector wv = v.mul(FloatVector.fromArray(S, weights, j));
            sum = wv.fma(v, sum);
            wv.mul(2f).intoByteBuffer(e, e0 + j * F, ORDER);
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }

    /** y += x. */
    static int add(ByteBuffer x, int x0, ByteBuffer y, int y0, int len) {
        int bound = S.loopBound(len);
        for (int j = 0; j < bound; j += S.length()) {
            load(y, y0 + j * F).add(load(x, x0 + j * F)).intoByteBuffer(y, y0 + j * F, ORDER);
        }
        return bound;
    }

    /** out = x + y. */
    static int sum(ByteBuffer x, int x0, ByteBuffer y, int y0, ByteBuffer out, int o0, int len) {
        int bound = S.loopBound(len);
        for (int j = 0; j < bound; j += S.length()) {
            load(x, x0 + j * F).add(load(y, y0 + j * F)).intoByteBuffer(out, o0 + j * F, ORDER);
        }
        return bound;
    }

    /** y += a·x. */
    static int axpy(float a, ByteBuffer x, int x0, ByteBuffer y, int y0, int len) {
        int bound = S.loopBound(len);
        for (int j = 0; j < bound; j += S.length()) {
            load(x, x0 + j * F).fma(FloatVector.broadcast(S, a), load(y, y0 + j * F)).intoByteBuffer(y, y0 + j * F, ORDER);
        }
        return bound;
    }

    private static FloatVector load(ByteBuffer b, int byteIndex) {
        return FloatVector.fromByteBuffer(S, b, byteIndex, ORDER);
    }
}
