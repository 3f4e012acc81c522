package koopman4j.trainer.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link FloatMath}: within 2 ulp of the JDK's exp and tanh, and the vector lanes round exactly like the scalar code. */
class FloatMathTest {

    @Test
    void expAndTanhAreWithinTwoUlpOfTheJdk() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (rng.nextDouble(-87, 88));
            float e = (float) Math.exp(x);
            assertTrue(Math.abs(FloatMath.exp(x) - e) <= 2 * Math.ulp(e), "exp(" + x + ") = " + FloatMath.exp(x) + ", JDK " + e);
            float y = (float) (rng.nextDouble(-12, 12) * (i % 2 == 0 ? 1 : 1e-3));
            float t = (float) Math.tanh(y);
            assertTrue(Math.abs(FloatMath.tanh(y) - t) <= 2 * Math.ulp(t), "tanh(" + y + ") = " + FloatMath.tanh(y) + ", JDK " + t);
        }
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals(0f, FloatMath.tanh(0f));
        assertEquals(-1f, FloatMath.tanh(-50f));
    }

    @Test
    void vectorLanesGiveTheScalarBits() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[n];
        float[] e = new float[n];
        float[] t = new float[n];
        for (int round = 0; round < 20_000; round++) {
            for (int j = 0; j < n; j++) {
                x[j] = (float) (rng.nextDouble(-20, 20) * (round % 3 == 0 ? 1e-2 : 1));
            }
            FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0);
            VectorKernels.exp(v).intoArray(e, 0);
            VectorKernels.tanh(v).intoArray(t, 0);
            for (int j = 0; j < n; j++) {
                assertEquals(Float.floatToIntBits(FloatMath.exp(x[j])), Float.floatToIntBits(e[j]), "exp lane at " + x[j]);
                assertEquals(Float.floatToIntBits(FloatMath.tanh(x[j])), Float.floatToIntBits(t[j]), "tanh lane at " + x[j]);
            }
        }
    }
}
