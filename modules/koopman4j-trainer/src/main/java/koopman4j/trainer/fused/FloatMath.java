package koopman4j.trainer.fused;

/**
 * exp and tanh in float32 as a fixed sequence of IEEE additions, multiplications and one division
 * (Cephes' expf and tanhf: Cody–Waite reduction, minimax polynomials; about 1 ulp), which
 * {@link VectorKernels} repeats lane by lane. The JDK's vectorised exp and tanh give other roundings
 * when C2 compiles a loop than when it is interpreted, so a run's result depended on when the JIT woke;
 * with these a training step gives the same bits interpreted, compiled, in any vector width or none.
 */
final class FloatMath {

    static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2²³: x + M − M rounds x to the nearest integer (|x| < 2²²). */
    static final float ROUND = 12582912f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float MIN_ARG = -87.33654f;
    static final float MAX_ARG = 88.37626f;
    static final float P0 = 1.9875691500E-4f;
    static final float P1 = 1.3981999507E-3f;
    static final float P2 = 8.3334519073E-3f;
    static final float P3 = 4.1665795894E-2f;
    static final float P4 = 1.6666665459E-1f;
    static final float P5 = 5.0000001201E-1f;
    /** Below this |x|, tanh is its odd polynomial; above, 1 − 2/(e^{2|x|} + 1). */
    static final float TANH_SMALL = 0.625f;
    static final float T0 = -5.70498872745E-3f;
    static final float T1 = 2.06390887954E-2f;
    static final float T2 = -5.37397155531E-2f;
    static final float T3 = 1.33314422036E-1f;
    static final float T4 = -3.33332819422E-1f;

    private FloatMath() {
    }

    /** e^x (arguments clamped to [−87.34, 88.38], where e^x is a normal float). */
    static float exp(float v) {
        float x = Math.min(Math.max(v, MIN_ARG), MAX_ARG);
        float n = (x * LOG2E + ROUND) - ROUND;
        float r = (x - n * LN2_HI) - n * LN2_LO;
        float p = ((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5;
        float y = (p * (r * r) + r) + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    static float tanh(float x) {
        float a = Math.abs(x);
        if (a < TANH_SMALL) {
            float z = x * x;
            float p = (((T0 * z + T1) * z + T2) * z + T3) * z + T4;
            return (p * z) * x + x;
        }
        float t = 1f - 2f / (exp(a + a) + 1f);
        return x < 0 ? -t : t;
    }
}
