package koopman4j.trainer.fused;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import koopman4j.layers.Activation;

/**
 * The SIMD bulk of {@link Kernels}' spans (Java's Vector API; exp and tanh are {@link FloatMath}'s, lane
 * by lane the same operations, so a lane and the scalar tail round alike): each method handles the longest
 * prefix of whole vectors and returns its length, the caller finishes the tail. Loaded only when
 * {@link Kernels#VECTOR} is true.
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
                case ELU -> x.blend(exp(x).sub(1f), x.compare(VectorOperators.LT, 0f)).intoByteBuffer(out, o0 + j * F, ORDER);
                case RELU -> x.max(0f).intoByteBuffer(out, o0 + j * F, ORDER);
                case TANH -> tanh(x).intoByteBuffer(out, o0 + j * F, ORDER);
                case CRELU -> {
                    x.max(0f).intoByteBuffer(out, o0 + j * F, ORDER);
                    x.neg().max(0f).intoByteBuffer(out, o0 + (len + j) * F, ORDER);
                }
            }
        }
        return bound;
    }

    /** {@link FloatMath#exp}, lane by lane. */
    static FloatVector exp(FloatVector v) {
        FloatVector x = v.max(FloatMath.MIN_ARG).min(FloatMath.MAX_ARG);
        FloatVector n = x.mul(FloatMath.LOG2E).add(FloatMath.ROUND).sub(FloatMath.ROUND);
        FloatVector r = x.sub(n.mul(FloatMath.LN2_HI)).sub(n.mul(FloatMath.LN2_LO));
        FloatVector p = r.mul(FloatMath.P0).add(FloatMath.P1).mul(r).add(FloatMath.P2).mul(r).add(FloatMath.P3).mul(r)
                .add(FloatMath.P4).mul(r).add(FloatMath.P5);
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        IntVector e = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(e.reinterpretAsFloats());
    }

    /** {@link FloatMath#tanh}, lane by lane. */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.mul(FloatMath.T0).add(FloatMath.T1).mul(z).add(FloatMath.T2).mul(z).add(FloatMath.T3).mul(z).add(FloatMath.T4);
        FloatVector small = p.mul(z).mul(x).add(x);
        FloatVector t = exp(a.add(a)).add(1f);
        FloatVector large = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(t));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        return large.blend(small, a.compare(VectorOperators.LT, FloatMath.TANH_SMALL));
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
