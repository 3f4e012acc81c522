package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import koopman4j.core.data.TrajectorySet;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.GraggBulirschStoerIntegrator;
import org.junit.jupiter.api.Test;

class GlycolysisTest {

    private final Glycolysis system = new Glycolysis();

    /** An independent reference: Gragg–Bulirsch–Stoer extrapolation at much tighter tolerance. */
    private double[] reference(double[] x0, double t) {
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            public int getDimension() {
                return 7;
            }

            public double[] computeDerivatives(double time, double[] y) {
                double[] d = new double[7];
                system.derivative(y, d);
                return d;
            }
        };
        return new GraggBulirschStoerIntegrator(1e-14, 1, 1e-15, 1e-14)
                .integrate(ode, new ODEState(0, x0.clone()), t).getPrimaryState();
    }

    @Test
    void simulatorMatchesTighterIndependentIntegratorToAbout1e8() {
        Random rng = new Random(7);
        double[] times = {0, 0.01, 0.37, 1.0, 2.5, 5.0};
        for (int trial = 0; trial < 3; trial++) {
            double[] x0 = system.sampleInitialState(rng);
            double[][] sim = new Simulator(system).integrate(x0, times);
            for (int k = 1; k < times.length; k++) {
                double[] ref = reference(x0, times[k]);
                for (int i = 0; i < 7; i++) {
                    assertEquals(ref[i], sim[k][i], 1e-8 * Math.max(1, Math.abs(ref[i])), "t=" + times[k] + " S" + (i + 1));
                }
            }
        }
    }

    @Test
    void derivativeMatchesHandComputedValue() {
        double[] s = {1, 1, 0.1, 0.2, 0.1, 1, 0.07};
        double[] d = new double[7];
        system.derivative(s, d);
        double v1 = 100 * 1 * 1 / (1 + Math.pow(1 / 0.52, 4));
        assertEquals(2.5 - v1, d[0], 1e-12);
        assertEquals(0.1 * 13 * (0.2 - 0.07) - 1.8 * 0.07, d[6], 1e-12);
        double v2 = 6 * 1 * (1 - 0.1);
        double v3 = 16 * 0.1 * (4 - 1);
        assertEquals(v2 - v3, d[2], 1e-12);
    }

    @Test
    void oscillatesWithPeriodNearOnePointOneSeven() {
        TrajectorySet data = new Simulator(system).simulate(1, Simulator.uniformTimes(2000, 0.01), 3);
        double[][] x = data.get(0).states();
        // upward crossings of S6's mean after the transient give the period
        double mean = 0;
        for (int k = 1000; k <= 2000; k++) {
            mean += x[k][5];
        }
        mean /= 1001;
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int k = 1001; k <= 2000; k++) {
            if (x[k - 1][5] < mean && x[k][5] >= mean) {
                double t = (k - 1 + (mean - x[k - 1][5]) / (x[k][5] - x[k - 1][5])) * 0.01;
                if (first < 0) {
                    first = t;
                } else {
                    crossings++;
                }
                last = t;
            }
        }
        double period = (last - first) / crossings;
        assertTrue(Math.abs(period - 1.17) < 0.05, "period " + period);
    }

    @Test
    void simulationIsReproducibleFromSeed() {
        double[] times = Simulator.uniformTimes(20, 0.01);
        assertEquals(new Simulator(system).simulate(3, times, 11), new Simulator(system).simulate(3, times, 11));
    }
}
