package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;

class TransientGrowthTest {

    @Test
    void linearCaseMatchesClosedFormExponential() {
        // ε = 0: x(t) = e^{tA}x₀ = e^{−2t}[[1, 10t], [0, 1]]x₀ (A − (−2)I is nilpotent)
        TransientGrowth system = new TransientGrowth(0);
        double[] x0 = {0.7, -1.3};
        double[] times = {0, 0.1, 0.5, 1.0, 2.0, 5.0};
        double[][] sim = new Simulator(system).integrate(x0, times);
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            double e = Math.exp(-2 * t);
            assertEquals(e * (x0[0] + 10 * t * x0[1]), sim[k][0], 1e-10, "x1 at t=" + t);
            assertEquals(e * x0[1], sim[k][1], 1e-10, "x2 at t=" + t);
        }
    }

    @Test
    void normOfLinearFlowGrowsBeforeItDecays() {
        TransientGrowth system = new TransientGrowth(0);
        double[][] x = new Simulator(system).integrate(new double[] {0, 1}, new double[] {0, 0.5, 5});
        assertTrue(Math.hypot(x[1][0], x[1][1]) > 1.5, "transient growth at t = 0.5");
        assertTrue(Math.hypot(x[2][0], x[2][1]) < 1e-2, "decay by t = 5");
    }

    @Test
    void nonlinearDerivativeAddsEpsilonSine() {
        double[] d = new double[2];
        new TransientGrowth(1).derivative(new double[] {0.5, -0.25}, d);
        assertEquals(-2 * 0.5 + 10 * -0.25 + Math.sin(0.5), d[0], 1e-15);
        assertEquals(-2 * -0.25 + Math.sin(-0.25), d[1], 1e-15);
    }

    @Test
    void registeredUnderBothNamesWithInitialStatesInTheBox() {
        assertEquals(1.0, ((TransientGrowth) BuiltInSystems.byName("transient-growth")).epsilon());
        assertEquals(0.0, ((TransientGrowth) BuiltInSystems.byName("transient-growth-linear")).epsilon());
        Random rng = new Random(3);
        for (int i = 0; i < 100; i++) {
            for (double v : new TransientGrowth(1).sampleInitialState(rng)) {
                assertTrue(Math.abs(v) <= 2);
            }
        }
    }

    @Test
    void rejectsNonFiniteEpsilon() {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> new TransientGrowth(Double.NaN));
        assertEquals("transient-growth: ε must be finite, got NaN", e.getMessage());
    }
}
