package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import org.junit.jupiter.api.Test;

class RobertsonTest {

    // The reference values quoted for this benchmark in the stiff-solver literature; those at t = 10¹¹ are
    // problem ROBER of Mazzia & Magherini's "Test Set for Initial Value Problem Solvers" (Univ. of Bari).
    private static final double[] AT_40 = {0.7158270687, 9.185534764e-6, 0.2841637457};
    private static final double[] AT_1E11 = {2.083340149701255e-8, 8.333360770334713e-14, 0.9999999791665050};

    private static void assertRelative(double[] expected, double[] actual, double tol, String where) {
        for (int i = 0; i < expected.length; i++) {
            double rel = Math.abs(actual[i] / expected[i] - 1);
            assertTrue(rel <= tol, "y" + (i + 1) + " at " + where + ": " + actual[i] + " vs " + expected[i] + " (relative " + rel + ")");
        }
    }

    @Test
    void reproducesPublishedValuesAtT40AndT1e11() {
        // atol = rtol × each component's smallest magnitude on [0, 10¹¹] (y1 2·10⁻⁸, y2 8·10⁻¹⁴, y3 1):
        // y2 must be resolved far below its final 8·10⁻¹⁴.
        double rtol = 1e-10;
        Rodas4.Options options = new Rodas4.Options(new double[] {rtol, rtol, rtol}, new double[] {1e-18, 1e-24, 1e-10}, 1_000_000);
        Rodas4.Solution s = Rodas4.integrate(new Robertson(0), 0, new double[] {1, 0, 0}, new double[] {40, 1e11}, options);
        System.out.println("Robertson to t = 1e11 at rtol " + rtol + ": " + s.statistics());
        assertRelative(AT_40, s.states()[0], 1e-7, "t = 40");
        assertRelative(AT_1E11, s.states()[1], 1e-7, "t = 1e11");
    }

    @Test
    void reachesT1e11InUnderFiveHundredStepsAtModerateTolerance() {
        // Stability alone would hold an explicit method to h ≈ 10⁻⁴ (the fast eigenvalue is about −10⁴).
        double rtol = 1e-6;
        Rodas4.Options options = new Rodas4.Options(new double[] {rtol, rtol, rtol}, new double[] {1e-14, 1e-20, 1e-6}, 1_000_000);
        Rodas4.Solution s = Rodas4.integrate(new Robertson(0), 0, new double[] {1, 0, 0}, new double[] {40, 1e11}, options);
        assertTrue(s.statistics().steps() < 500, s.statistics().toString());
        assertRelative(AT_40, s.states()[0], 1e-5, "t = 40");
        assertRelative(AT_1E11, s.states()[1], 1e-5, "t = 1e11");
    }

    @Test
    void unperturbedSimulationSamplesTheReferenceSolutionAtExactlyTheGivenTimes() {
        double[] times = {4e-6, 40, 4e6};
        TrajectorySet data = new Simulator(new Robertson(0)).simulate(2, times, 5);
        assertEquals(List.of("y1", "y2", "y3"), data.names());
        for (Trajectory t : data.trajectories()) {
            assertArrayEquals(times, t.times());
            assertRelative(AT_40, t.states()[1], 1e-7, "t = 40 (simulator defaults)");
            assertEquals(1.0, t.states()[2][0] + t.states()[2][1] + t.states()[2][2], 1e-12, "mass at t = 4e6");
        }
        assertEquals(data.trajectories().get(0), data.trajectories().get(1));
    }

    @Test
    void perturbedInitialStatesAreNonNegativeOnTheSimplexAndWithinEpsilon() {
        Random rng = new Random(7);
        for (double eps : new double[] {1e-3, Robertson.MAX_PERTURBATION}) {
            Robertson system = new Robertson(eps);
            for (int j = 0; j < 1000; j++) {
                double[] y0 = system.sampleInitialState(rng);
                assertTrue(y0[0] >= 0 && y0[1] >= 0 && y0[2] >= 0, "ε = " + eps);
                assertTrue(y0[1] <= eps && y0[2] <= eps && 1 - y0[0] <= 2 * eps, "ε = " + eps);
                assertEquals(1.0, y0[0] + y0[1] + y0[2], 1e-15);
            }
        }
        assertArrayEquals(new double[] {1, 0, 0}, new Robertson(0).sampleInitialState(rng));
    }

    @Test
    void derivativeConservesMassAndAnalyticJacobianMatchesFiniteDifferences() {
        Robertson system = new Robertson(0);
        ContinuousSystem differenced = new ContinuousSystem() {
            @Override
            public String name() {
                return system.name();
            }

            @Override
            public List<String> stateNames() {
                return system.stateNames();
            }

            @Override
            public void derivative(double[] x, double[] dxdt) {
                system.derivative(x, dxdt);
            }

            @Override
            public double[] sampleInitialState(Random rng) {
                return system.sampleInitialState(rng);
            }
        };
        double[] y = {0.7, 3e-5, 0.3};
        double[] d = new double[3];
        system.derivative(y, d);
        assertEquals(0, d[0] + d[1] + d[2], 1e-15);
        double[][] analytic = new double[3][3];
        double[][] numeric = new double[3][3];
        system.jacobian(y, analytic);
        differenced.jacobian(y, numeric);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // forward differences are good to about √u ≈ 1.5·10⁻⁸ times the curvature: 10⁻⁵ relative here
                assertEquals(analytic[i][j], numeric[i][j], 1e-5 * (1 + Math.abs(analytic[i][j])), "J[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void registeredAsStiffWithAnOptionalPerturbation() {
        ContinuousSystem byName = BuiltInSystems.byName("robertson");
        assertTrue(byName.stiff());
        assertEquals(Robertson.DEFAULT_PERTURBATION, ((Robertson) byName).perturbation());
        assertEquals(0.01, ((Robertson) BuiltInSystems.byName("robertson", 0.01)).perturbation());
        assertTrue(BuiltInSystems.names().contains("robertson"));
        assertEquals("--perturbation applies to robertson and ieee39 only, not to glycolysis",
                assertThrows(InvalidDataException.class, () -> BuiltInSystems.byName("glycolysis", 0.01)).getMessage());
    }

    @Test
    void rejectsPerturbationThatMakesAConcentrationNegative() {
        assertEquals("robertson: --perturbation -0.01 would make y2 and y3 negative; it must be in [0, 0.5]",
                assertThrows(InvalidDataException.class, () -> new Robertson(-0.01)).getMessage());
        assertEquals("robertson: --perturbation 0.6 can make y1 = 1 − ε·(u2 + u3) negative; it must be in [0, 0.5]",
                assertThrows(InvalidDataException.class, () -> new Robertson(0.6)).getMessage());
        assertThrows(InvalidDataException.class, () -> new Robertson(Double.NaN));
    }

    @Test
    void simulatorRejectsNegativeOrUnorderedSampleTimes() {
        Simulator simulator = new Simulator(new Robertson(0));
        assertEquals("sample times must not be negative (initial states are drawn at t = 0), got -1.0",
                assertThrows(InvalidDataException.class, () -> simulator.simulate(1, new double[] {-1, 1}, 1)).getMessage());
        assertEquals("sample times must increase: 40.0 then 4.0",
                assertThrows(InvalidDataException.class, () -> simulator.simulate(1, new double[] {4e-6, 40, 4}, 1)).getMessage());
        assertEquals("no sample times", assertThrows(InvalidDataException.class, () -> simulator.simulate(1, new double[0], 1)).getMessage());
    }
}
