package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;

/** {@link KuramotoSivashinsky#derivatives}: spectral u_x and u_xx against the closed form of trigonometric profiles. */
class KuramotoSivashinskyDerivativesTest {

    private static final double L = 22;
    private static final int N = 64;

    @Test
    void derivativesOfATrigonometricProfileAreExactToRounding() {
        // u = 1.5 + 2 sin(q1 x) − 0.7 cos(q5 x) + 0.3 sin(q20 x), q_k = 2πk/L
        double[] u = new double[N];
        double[] ux = new double[N];
        double[] uxx = new double[N];
        for (int j = 0; j < N; j++) {
            double x = j * L / N;
            double q1 = 2 * Math.PI / L;
            double q5 = 5 * q1;
            double q20 = 20 * q1;
            u[j] = 1.5 + 2 * Math.sin(q1 * x) - 0.7 * Math.cos(q5 * x) + 0.3 * Math.sin(q20 * x);
            ux[j] = 2 * q1 * Math.cos(q1 * x) + 0.7 * q5 * Math.sin(q5 * x) + 0.3 * q20 * Math.cos(q20 * x);
            uxx[j] = -2 * q1 * q1 * Math.sin(q1 * x) + 0.7 * q5 * q5 * Math.cos(q5 * x) - 0.3 * q20 * q20 * Math.sin(q20 * x);
        }
        double[][] d = KuramotoSivashinsky.derivatives(u, L);
        for (int j = 0; j < N; j++) {
            assertEquals(ux[j], d[0][j], 1e-12, "u_x at " + j);
            assertEquals(uxx[j], d[1][j], 1e-11, "u_xx at " + j);
        }
    }

    @Test
    void theNyquistModeHasNoFirstDerivativeAndItsOwnSecond() {
        // cos(π j) = (−1)^j is the Nyquist mode: q = πN/L; on the grid its sine partner vanishes, so u_x = 0, u_xx = −q² u
        double[] u = new double[N];
        for (int j = 0; j < N; j++) {
            u[j] = j % 2 == 0 ? 1 : -1;
        }
        double q = Math.PI * N / L;
        double[][] d = KuramotoSivashinsky.derivatives(u, L);
        for (int j = 0; j < N; j++) {
            assertEquals(0, d[0][j], 1e-12);
            assertEquals(-q * q * u[j], d[1][j], 1e-10 * q * q);
        }
    }

    @Test
    void rejectsAGridThatIsNotAPowerOfTwo() {
        assertEquals("kuramoto-sivashinsky: spectral derivatives need a power-of-2 number of grid values (at least 4), got 63",
                assertThrows(InvalidDataException.class, () -> KuramotoSivashinsky.derivatives(new double[63], L)).getMessage());
    }
}
