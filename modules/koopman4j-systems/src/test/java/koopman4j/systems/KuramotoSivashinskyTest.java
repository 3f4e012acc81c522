package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectorySet;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.junit.jupiter.api.Test;

/** The Kuramoto–Sivashinsky solver against closed forms, an independent integrator and itself. */
class KuramotoSivashinskyTest {

    private static final double L = KuramotoSivashinsky.DEFAULT_LENGTH;
    private static final int N = KuramotoSivashinsky.DEFAULT_POINTS;

    private static KuramotoSivashinsky withStep(double h) {
        return new KuramotoSivashinsky(L, N, h, 0, true);
    }

    private static double relativeL2(double[] u, double[] reference) {
        double num = 0;
        double den = 0;
        for (int j = 0; j < u.length; j++) {
            num += (u[j] - reference[j]) * (u[j] - reference[j]);
            den += reference[j] * reference[j];
        }
        return Math.sqrt(num / den);
    }

    /** A state on the attractor: a random profile run for t = 100. */
    private static double[] attractorState(long seed) {
        KuramotoSivashinsky ks = new KuramotoSivashinsky();
        return ks.integrate(ks.randomProfile(new Random(seed)), new double[] {0, 100})[1];
    }

    private static double[] integerTimes(int last) {
        return Simulator.uniformTimes(last, 1.0);
    }

    @Test
    void meanOfUIsConservedToRounding() {
        double[] u0 = new KuramotoSivashinsky().randomProfile(new Random(3));
        for (int j = 0; j < N; j++) {
            u0[j] += 0.3;
        }
        double[][] u = new KuramotoSivashinsky().integrate(u0, integerTimes(50));
        for (int s = 0; s < u.length; s++) {
            double mean = 0;
            for (double value : u[s]) {
                mean += value / N;
            }
            assertEquals(0.3, mean, 1e-13, "mean of u at t = " + s);
        }
    }

    @Test
    void linearPartMatchesClosedFormModeByMode() {
        // u_t = −u_xx − u_xxxx: cos(q x + φ) decays or grows as exp((q² − q⁴) t); k = 32 is the Nyquist mode.
        int[] k = {0, 1, 2, 3, 5, 8, 31, 32};
        double[] c = {0.2, 1.0, -0.7, 0.5, 0.9, 0.4, 0.3, 0.25};
        double[] phase = {0, 0.3, 1.1, -0.4, 2.0, 0.7, 1.3, 0};
        double[] x = new KuramotoSivashinsky().grid();
        double[] times = {0, 0.5, 1, 2, 5, 10};
        double[][] exact = new double[times.length][N];
        for (int s = 0; s < times.length; s++) {
            for (int m = 0; m < k.length; m++) {
                double q = 2 * Math.PI * k[m] / L;
                for (int j = 0; j < N; j++) {
                    exact[s][j] += c[m] * Math.exp((q * q - q * q * q * q) * times[s]) * Math.cos(q * x[j] + phase[m]);
                }
            }
        }
        double[][] u = new KuramotoSivashinsky(L, N, KuramotoSivashinsky.DEFAULT_STEP, 0, false).integrate(exact[0], times);
        for (int s = 1; s < times.length; s++) {
            double scale = 0;
            for (double value : exact[s]) {
                scale = Math.max(scale, Math.abs(value));
            }
            for (int j = 0; j < N; j++) {
                assertEquals(exact[s][j], u[s][j], 1e-12 * scale, "u" + j + " at t = " + times[s]);
            }
        }
    }

    @Test
    void etdrk4ConvergesAtFourthOrderOnASmoothWeaklyNonlinearRun() {
        // Small amplitude keeps the stiff modes' nonlinear forcing small, so the asymptotic order shows
        // (at attractor amplitude the observed order is about 3 for these steps: class comment).
        double[] u0 = attractorState(1);
        for (int j = 0; j < N; j++) {
            u0[j] *= 0.01;
        }
        double h = 1.0 / 16;
        double[] t = {0, 1};
        double[] reference = withStep(h / 16).integrate(u0, t)[1];
        double[] error = new double[3];
        for (int m = 0; m < 3; m++) {
            error[m] = relativeL2(withStep(h / (1 << m)).integrate(u0, t)[1], reference);
        }
        for (int m = 0; m < 2; m++) {
            double order = Math.log(error[m] / error[m + 1]) / Math.log(2);
            assertTrue(order > 3.5 && order < 4.5, "observed order " + order + " from errors " + error[m] + ", " + error[m + 1]);
        }
    }

    @Test
    void defaultStepAgreesWithHalfTheStepToOneInAMillionUpToT20() {
        double[] times = integerTimes(20);
        for (long seed = 1; seed <= 3; seed++) {
            double[] u0 = attractorState(seed);
            double[][] coarse = new KuramotoSivashinsky().integrate(u0, times);
            double[][] fine = withStep(KuramotoSivashinsky.DEFAULT_STEP / 2).integrate(u0, times);
            for (int s = 1; s < times.length; s++) {
                double error = relativeL2(coarse[s], fine[s]);
                assertTrue(error < 1e-6, "seed " + seed + ", t = " + s + ": relative L2 " + error);
            }
        }
    }

    @Test
    void agreesWithDormandPrinceOnAnIndependentlyWrittenRightHandSide() {
        double[] u0 = attractorState(2);
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return N;
            }

            @Override
            public double[] computeDerivatives(double t, double[] u) {
                return galerkinRightHandSide(u);
            }
        };
        double[] reference = new DormandPrince853Integrator(1e-8, 1, 1e-13, 1e-13).integrate(ode, new ODEState(0, u0), 5).getPrimaryState();
        double error = relativeL2(new KuramotoSivashinsky().integrate(u0, new double[] {0, 5})[1], reference);
        assertTrue(error < 1e-7, "relative L2 at t = 5: " + error);
    }

    private static final double[] COS = new double[N];
    private static final double[] SIN = new double[N];

    static {
        for (int p = 0; p < N; p++) {
            COS[p] = Math.cos(2 * Math.PI * p / N);
            SIN[p] = Math.sin(2 * Math.PI * p / N);
        }
    }

    /** The same semi-discretisation by a naive O(N²) DFT: −u_xx − u_xxxx − ½(u²)_x, the last for |k| ≤ N/3. */
    private static double[] galerkinRightHandSide(double[] u) {
        double[] out = new double[N];
        for (int k = -N / 2; k < N / 2; k++) {
            double uRe = 0;
            double uIm = 0;
            double sqRe = 0;
            double sqIm = 0;
            for (int j = 0; j < N; j++) {
                int p = Math.floorMod(-j * k, N);
                uRe += u[j] * COS[p];
                uIm += u[j] * SIN[p];
                sqRe += u[j] * u[j] * COS[p];
                sqIm += u[j] * u[j] * SIN[p];
            }
            double q = 2 * Math.PI * k / L;
            double lambda = q * q - q * q * q * q;
            double halfQ = 3 * Math.abs(k) <= N ? q / 2 : 0;
            double dRe = lambda * uRe + halfQ * sqIm;
            double dIm = Math.abs(k) == N / 2 ? 0 : lambda * uIm - halfQ * sqRe;
            for (int j = 0; j < N; j++) {
                int p = Math.floorMod(j * k, N);
                out[j] += (dRe * COS[p] - dIm * SIN[p]) / N;
            }
        }
        return out;
    }

    @Test
    void maxLinearGrowthRateForL22IsTheSecondModes() {
        // By hand: q_k = 2πk/22; q² − q⁴ = 0.0749 (k = 1), 0.2198 (k = 2), 0.1952 (k = 3), −0.398 (k = 4).
        double q2 = 2 * Math.PI * 2 / 22;
        assertEquals(q2 * q2 - Math.pow(q2, 4), KuramotoSivashinsky.maxLinearGrowthRate(22, 64), 1e-15);
        assertEquals(0.2198171623, KuramotoSivashinsky.maxLinearGrowthRate(22, 64), 1e-10);
        // A domain too short for any unstable mode: the largest rate is that of the mean, 0.
        assertEquals(0.0, KuramotoSivashinsky.maxLinearGrowthRate(2 * Math.PI * 0.9, 64));
    }

    @Test
    void simulateSamplesReproducibleAttractorStatesAfterTheTransient() {
        KuramotoSivashinsky ks = new KuramotoSivashinsky();
        TrajectorySet data = ks.simulate(2, Simulator.uniformTimes(5, 1.0), 7);
        assertEquals(List.of("u0", "u1"), data.names().subList(0, 2));
        assertEquals(N, data.names().size());
        assertEquals(2, data.size());
        assertEquals(data, ks.simulate(2, Simulator.uniformTimes(5, 1.0), 7));
        for (double[] u : data.trajectories().get(0).states()) {
            double rms = Math.sqrt(Arrays.stream(u).map(v -> v * v).sum() / N);
            assertTrue(rms > 0.5 && rms < 2.5, "rms of u on the attractor: " + rms);
        }
    }

    @Test
    void rejectsProfilesOfTheWrongSizeOrNotFinite() {
        KuramotoSivashinsky ks = new KuramotoSivashinsky();
        assertEquals("kuramoto-sivashinsky: the initial profile has 63 values, expected 64",
                assertThrows(InvalidDataException.class, () -> ks.integrate(new double[63], new double[] {0, 1})).getMessage());
        double[] nan = new double[N];
        nan[5] = Double.NaN;
        assertEquals("kuramoto-sivashinsky: u5 of the initial profile is NaN",
                assertThrows(InvalidDataException.class, () -> ks.integrate(nan, new double[] {0, 1})).getMessage());
        assertThrows(InvalidDataException.class, () -> new KuramotoSivashinsky(-1));
    }
}
