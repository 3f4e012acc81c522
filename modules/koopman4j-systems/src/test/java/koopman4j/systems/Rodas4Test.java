package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;

class Rodas4Test {

    /**
     * y' = Ay with A = [[−1, 1], [0, −10⁴]]: eigenvalues −1 and −10⁴, so the fast mode dies within
     * 10⁻³ while the slow one lives to t ≈ 10. Closed form: y2 = y2(0)·e^{−10⁴t},
     * y1 = y1(0)·e^{−t} + y2(0)·(e^{−t} − e^{−10⁴t}) / (10⁴ − 1).
     */
    private static final class StiffLinear implements ContinuousSystem {
        static final double FAST = 1e4;
        private final boolean analyticJacobian;

        StiffLinear(boolean analyticJacobian) {
            this.analyticJacobian = analyticJacobian;
        }

        @Override
        public String name() {
            return "stiff-linear";
        }

        @Override
        public List<String> stateNames() {
            return List.of("y1", "y2");
        }

        @Override
        public boolean stiff() {
            return true;
        }

        @Override
        public void derivative(double[] y, double[] d) {
            d[0] = -y[0] + y[1];
            d[1] = -FAST * y[1];
        }

        @Override
        public void jacobian(double[] y, double[][] jac) {
            if (!analyticJacobian) {
                ContinuousSystem.super.jacobian(y, jac);
                return;
            }
            jac[0][0] = -1;
            jac[0][1] = 1;
            jac[1][0] = 0;
            jac[1][1] = -FAST;
        }

        @Override
        public double[] sampleInitialState(Random rng) {
            return new double[] {1, 1};
        }

        static double[] exact(double[] y0, double t) {
            double slow = Math.exp(-t);
            double fast = Math.exp(-FAST * t);
            return new double[] {y0[0] * slow + y0[1] * (slow - fast) / (FAST - 1), y0[1] * fast};
        }
    }

    private static final double[] Y0 = {1, 1};
    private static final double[] TIMES = {1e-5, 1e-3, 0.1, 1, 5, 10};

    /** The largest error against the closed form, in units of atol + rtol·|y|. */
    private static double weightedError(double[][] states, double rtol, double atol) {
        double worst = 0;
        for (int k = 0; k < TIMES.length; k++) {
            double[] exact = StiffLinear.exact(Y0, TIMES[k]);
            for (int i = 0; i < exact.length; i++) {
                worst = Math.max(worst, Math.abs(states[k][i] - exact[i]) / (atol + rtol * Math.abs(exact[i])));
            }
        }
        return worst;
    }

    @Test
    void matchesClosedFormOfStiffLinearSystemAndAgreesWithItselfAtHundredfoldTighterTolerance() {
        double rtol = 1e-6;
        double atol = 1e-9;
        Rodas4.Solution loose = Rodas4.integrate(new StiffLinear(true), 0, Y0, TIMES, Rodas4.Options.of(rtol, atol, 2));
        Rodas4.Solution tight = Rodas4.integrate(new StiffLinear(true), 0, Y0, TIMES, Rodas4.Options.of(rtol / 100, atol / 100, 2));
        double looseError = weightedError(loose.states(), rtol, atol);
        double tightError = weightedError(tight.states(), rtol / 100, atol / 100);
        System.out.printf("stiff linear: %d steps, error %.2f tol; at tol/100: %d steps, error %.2f tol/100%n",
                loose.statistics().steps(), looseError, tight.statistics().steps(), tightError);
        // The global error stays within a small multiple of the requested tolerance at both settings...
        assertTrue(looseError < 5, "error " + looseError + " × tolerance");
        assertTrue(tightError < 5, "error " + tightError + " × tolerance/100");
        // ...so the two runs agree to within the looser tolerance.
        for (int k = 0; k < TIMES.length; k++) {
            for (int i = 0; i < 2; i++) {
                double scale = atol + rtol * Math.abs(tight.states()[k][i]);
                assertEquals(tight.states()[k][i], loose.states()[k][i], 5 * scale, "y" + (i + 1) + " at t=" + TIMES[k]);
            }
        }
    }

    @Test
    void finiteDifferenceJacobianReachesTheSameAccuracy() {
        double rtol = 1e-8;
        double atol = 1e-11;
        Rodas4.Solution s = Rodas4.integrate(new StiffLinear(false), 0, Y0, TIMES, Rodas4.Options.of(rtol, atol, 2));
        assertTrue(weightedError(s.states(), rtol, atol) < 5);
    }

    @Test
    void stepsGrowFarBeyondTheFastTimeScale() {
        // An explicit method would need h < 2.8·10⁻⁴ for stability all the way to t = 10: > 3·10⁴ steps.
        Rodas4.Solution s = Rodas4.integrate(new StiffLinear(true), 0, Y0, new double[] {10}, Rodas4.Options.of(1e-6, 1e-9, 2));
        assertTrue(s.statistics().steps() < 200, s.statistics().toString());
        assertEquals(s.statistics().steps(), s.statistics().jacobians());
        assertEquals(s.statistics().steps() + s.statistics().rejectedSteps(), s.statistics().factorisations());
    }

    @Test
    void returnsTheInitialStateAtTheInitialTimeAndEveryRequestedTime() {
        double[] times = {0, 0.25, 0.5};
        Rodas4.Solution s = Rodas4.integrate(new StiffLinear(true), 0, Y0, times, Rodas4.Options.of(1e-8, 1e-11, 2));
        assertEquals(3, s.states().length);
        assertArrayEquals(Y0, s.states()[0]);
        // Landing exactly on t = 0.25 gives the same state at 0.5 as restarting there would.
        double[] restarted = Rodas4.integrate(new StiffLinear(true), 0.25, s.states()[1], new double[] {0.5},
                Rodas4.Options.of(1e-8, 1e-11, 2)).states()[0];
        assertArrayEquals(StiffLinear.exact(Y0, 0.5), restarted, 1e-9);
        assertArrayEquals(StiffLinear.exact(Y0, 0.5), s.states()[2], 1e-9);
    }

    @Test
    void failsCleanlyWhenTheSolutionBlowsUp() {
        // y' = y² from y(0) = 1 is 1/(1 − t): it has no value at t = 2.
        ContinuousSystem blowUp = new ContinuousSystem() {
            @Override
            public String name() {
                return "blow-up";
            }

            @Override
            public List<String> stateNames() {
                return List.of("y");
            }

            @Override
            public void derivative(double[] y, double[] d) {
                d[0] = y[0] * y[0];
            }

            @Override
            public double[] sampleInitialState(Random rng) {
                return new double[] {1};
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Rodas4.integrate(blowUp, 0, new double[] {1}, new double[] {2}, Rodas4.Options.of(1e-6, 1e-6, 1)));
        assertTrue(e.getMessage().startsWith("Rodas4: step size"), e.getMessage());
        assertTrue(e.getMessage().contains("(blow-up)"), e.getMessage());
    }

    @Test
    void rejectsZeroNegativeOrNonFiniteTolerances() {
        assertEquals("tolerance rtol must be positive and finite, got 0.0",
                assertThrows(InvalidDataException.class, () -> Rodas4.Options.of(0, 1e-9, 2)).getMessage());
        assertEquals("tolerance atol must be positive and finite, got -1.0E-9",
                assertThrows(InvalidDataException.class, () -> Rodas4.Options.of(1e-6, -1e-9, 2)).getMessage());
        assertEquals("tolerance rtol must be positive and finite, got NaN",
                assertThrows(InvalidDataException.class, () -> Rodas4.Options.of(Double.NaN, 1e-9, 2)).getMessage());
        assertEquals("tolerance atol of state 2 must be positive and finite, got 0.0",
                assertThrows(InvalidDataException.class,
                        () -> new Rodas4.Options(new double[] {1e-6, 1e-6}, new double[] {1e-9, 0}, 10)).getMessage());
        assertEquals("tolerance rtol must be positive and finite, got 0.0",
                assertThrows(InvalidDataException.class, () -> new Simulator(new StiffLinear(true), 0, 1e-9)).getMessage());
    }

    @Test
    void rejectsUnorderedOrNegativeTimeSpans() {
        StiffLinear system = new StiffLinear(true);
        Rodas4.Options options = Rodas4.Options.of(1e-6, 1e-9, 2);
        assertEquals("Rodas4 (stiff-linear): output times must increase: 2.0 then 1.0",
                assertThrows(InvalidDataException.class, () -> Rodas4.integrate(system, 0, Y0, new double[] {2, 1}, options)).getMessage());
        assertEquals("Rodas4 (stiff-linear): output times must increase: 1.0 then 1.0",
                assertThrows(InvalidDataException.class, () -> Rodas4.integrate(system, 0, Y0, new double[] {1, 1}, options)).getMessage());
        assertEquals("Rodas4 (stiff-linear): output time -1.0 is before the initial time 0.0",
                assertThrows(InvalidDataException.class, () -> Rodas4.integrate(system, 0, Y0, new double[] {-1, 1}, options)).getMessage());
        assertEquals("Rodas4 (stiff-linear): output time 2 is Infinity",
                assertThrows(InvalidDataException.class,
                        () -> Rodas4.integrate(system, 0, Y0, new double[] {1, Double.POSITIVE_INFINITY}, options)).getMessage());
        assertEquals("Rodas4 (stiff-linear): no output times",
                assertThrows(InvalidDataException.class, () -> Rodas4.integrate(system, 0, Y0, new double[0], options)).getMessage());
    }

    @Test
    void rejectsNonFiniteOrMisshapenInitialState() {
        StiffLinear system = new StiffLinear(true);
        Rodas4.Options options = Rodas4.Options.of(1e-6, 1e-9, 2);
        assertEquals("Rodas4 (stiff-linear): initial y2 is NaN",
                assertThrows(InvalidDataException.class,
                        () -> Rodas4.integrate(system, 0, new double[] {1, Double.NaN}, new double[] {1}, options)).getMessage());
        assertEquals("Rodas4 (stiff-linear): initial time is NaN",
                assertThrows(InvalidDataException.class, () -> Rodas4.integrate(system, Double.NaN, Y0, new double[] {1}, options)).getMessage());
        assertEquals("Rodas4 (stiff-linear): the system has 2 states, but the initial state has 3 and the tolerances 2",
                assertThrows(InvalidDataException.class,
                        () -> Rodas4.integrate(system, 0, new double[] {1, 1, 1}, new double[] {1}, options)).getMessage());
    }
}
