package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;

class SwingNetworkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void synchronousStateOfIeee39IsAnEquilibrium() {
        SwingNetwork system = SwingNetwork.ieee39(SwingNetwork.DEFAULT_DISTURBANCE);
        assertTrue(system.equilibriumResidual() < 1e-12, "‖f(x*)‖ = " + system.equilibriumResidual());
        // and the simulator keeps it there
        double[] xStar = system.synchronousState();
        double[][] x = new Simulator(system).integrate(xStar, new double[] {0, 5});
        for (int i = 0; i < xStar.length; i++) {
            assertEquals(xStar[i], x[1][i], 1e-9, system.stateNames().get(i));
        }
    }

    @Test
    void refusesANetworkWhoseSynchronousStateIsNotAnEquilibrium() {
        EffectiveNetwork en = EffectiveNetwork.ieee39();
        double[] delta = en.synchronousDelta().clone();
        delta[0] += 0.1;
        EffectiveNetwork moved = new EffectiveNetwork("moved.json", en.omegaR(), en.h(), en.d(), en.a(), en.k(), en.gamma(), delta,
                en.synchronousNu());
        var e = assertThrows(InvalidDataException.class, () -> SwingNetwork.of("moved", moved, 0.5));
        assertTrue(e.getMessage().startsWith("moved.json: synchronous_state is not an equilibrium of the swing model: ‖f(x*)‖ = "),
                e.getMessage());
    }

    @Test
    void ieee39HasNineRelativeAnglesAndTenSpeeds() {
        ContinuousSystem system = BuiltInSystems.byName("ieee39");
        assertEquals(19, system.dimension());
        assertEquals("delta1", system.stateNames().get(0));
        assertEquals("delta9", system.stateNames().get(8));
        assertEquals("omega1", system.stateNames().get(9));
        assertEquals("omega10", system.stateNames().get(18));
    }

    @Test
    void derivativeMatchesHandComputationForTwoGenerators() {
        EffectiveNetwork two = new EffectiveNetwork("two", 300, new double[] {2, 5}, new double[] {4, 10}, new double[] {1.5, -1.2},
                new double[][] {{9, 3}, {3, 9}}, new double[][] {{0, -0.1}, {-0.1, 0}}, new double[] {0, 0}, new double[] {0, 0});
        SwingNetwork system = new SwingNetwork("two", two, 0.5);
        double[] x = {0.4, 0.7, -0.2}; // δ₁ − δ₂, ν₁, ν₂
        double[] f = new double[3];
        system.derivative(x, f);
        assertEquals(0.7 - -0.2, f[0], 1e-15);
        // (2H/ω_R) dν/dt = A − (D/ω_R) ν − K sin(δ₁ − δ₂ − γ)
        assertEquals((1.5 - 4 * 0.7 / 300 - 3 * Math.sin(0.4 + 0.1)) * 300 / (2 * 2), f[1], 1e-12);
        assertEquals((-1.2 - 10 * -0.2 / 300 - 3 * Math.sin(-0.4 + 0.1)) * 300 / (2 * 5), f[2], 1e-12);
    }

    /**
     * With D = 0 and γ = 0 the flow is Hamiltonian: E = Σᵢ (Hᵢ/ω_R) νᵢ² − Σᵢ Aᵢ δᵢ − Σ_{i<j} Kᵢⱼ cos(δᵢ − δⱼ)
     * is constant (dE/dt = Σᵢ νᵢ (Aᵢ − Σⱼ Kᵢⱼ sin(δᵢ − δⱼ)) − Σᵢ Aᵢ νᵢ + Σ_{i<j} Kᵢⱼ sin(δᵢ − δⱼ)(νᵢ − νⱼ) = 0
     * for symmetric K). E needs the absolute angles, so the reference angle δₙ is integrated beside the model.
     */
    @Test
    void losslessUndampedNetworkConservesEnergyToIntegratorTolerance() {
        EffectiveNetwork en = EffectiveNetwork.ieee39();
        int n = en.generators();
        EffectiveNetwork lossless = new EffectiveNetwork("lossless", en.omegaR(), en.h(), new double[n], en.a(), en.k(),
                new double[n][n], en.synchronousDelta(), en.synchronousNu());
        double[][] states = withReferenceAngle(new SwingNetwork("lossless", lossless, 0.5), 10, 0.01, 3);
        double e0 = energy(lossless, states[0]);
        double scale = energyScale(lossless, states);
        double drift = 0;
        for (double[] x : states) {
            drift = Math.max(drift, Math.abs(energy(lossless, x) - e0));
        }
        // at the simulator's rtol of 1e-11 the drift is about 4e-13 of the largest term (which reaches 6e4 in 10 s)
        assertTrue(drift < 1e-10 * scale, "energy drift " + drift + " on terms of size " + scale);
    }

    @Test
    void dampingMakesTheEnergyDecrease() {
        EffectiveNetwork en = EffectiveNetwork.ieee39();
        int n = en.generators();
        EffectiveNetwork damped = new EffectiveNetwork("damped", en.omegaR(), en.h(), en.d(), en.a(), en.k(),
                new double[n][n], en.synchronousDelta(), en.synchronousNu());
        double[][] states = withReferenceAngle(new SwingNetwork("damped", damped, 0.5), 5, 0.05, 4);
        double tolerance = 1e-9 * energyScale(damped, states);
        for (int k = 1; k < states.length; k++) {
            // dE/dt = −Σᵢ Dᵢ νᵢ² / ω_R ≤ 0
            assertTrue(energy(damped, states[k]) <= energy(damped, states[k - 1]) + tolerance, "E rose at sample " + k);
        }
        assertTrue(energy(damped, states[states.length - 1]) < energy(damped, states[0]) - 1e3 * tolerance);
    }

    @Test
    void dampedSwingSettlesBackToTheSynchronousState() {
        SwingNetwork system = SwingNetwork.ieee39(SwingNetwork.DEFAULT_DISTURBANCE);
        double[] x0 = system.sampleInitialState(new Random(5));
        double[][] x = new Simulator(system).integrate(x0, new double[] {0, 20});
        double[] xStar = system.synchronousState();
        double moved = 0;
        for (int i = 0; i < 9; i++) {
            moved = Math.max(moved, Math.abs(x0[i] - xStar[i]));
            assertEquals(xStar[i], x[1][i], 1e-3, "delta" + (i + 1) + " after 20 s");
        }
        assertTrue(moved > 0.1, "the disturbance moved the angles by " + moved);
    }

    @Test
    void initialStatesDisturbOnlyTheRelativeAnglesByAtMostD() {
        SwingNetwork system = SwingNetwork.ieee39(0.3);
        double[] xStar = system.synchronousState();
        Random rng = new Random(11);
        double largest = 0;
        for (int s = 0; s < 200; s++) {
            double[] x = system.sampleInitialState(rng);
            for (int i = 0; i < 9; i++) {
                largest = Math.max(largest, Math.abs(x[i] - xStar[i]));
            }
            for (int i = 9; i < 19; i++) {
                assertEquals(xStar[i], x[i], 0, "speeds start synchronous");
            }
        }
        assertTrue(largest <= 0.3 && largest > 0.29, "largest disturbance " + largest);
        assertArrayEquals(system.sampleInitialState(new Random(2)), system.sampleInitialState(new Random(2)));
    }

    @Test
    void rejectsNetworkFileWithMissingField() throws IOException {
        ObjectNode root = shippedNetwork();
        root.remove("gamma");
        assertBadNetwork(root, "net.json: field 'gamma' is missing");
        root = shippedNetwork();
        ((ObjectNode) root.get("synchronous_state")).remove("nu");
        assertBadNetwork(root, "net.json: field 'synchronous_state.nu' is missing");
    }

    @Test
    void rejectsNonSymmetricCouplingMatrix() throws IOException {
        ObjectNode root = shippedNetwork();
        ((ArrayNode) root.get("K").get(2)).set(5, 0.5);
        assertBadNetwork(root, "net.json: K must be symmetric, but K[2][5] = 0.5 and K[5][2] = 1.04788");
    }

    @Test
    void rejectsNonFiniteValuesAndWrongSizes() throws IOException {
        ObjectNode root = shippedNetwork();
        String text = JSON.writeValueAsString(root).replace("\"H\":[42.0,", "\"H\":[1e999,");
        var e = assertThrows(InvalidDataException.class, () -> EffectiveNetwork.read(text, "net.json"));
        assertEquals("net.json: H[0] is Infinity, expected a finite number", e.getMessage());
        root = shippedNetwork();
        ((ArrayNode) root.get("A")).remove(9);
        assertBadNetwork(root, "net.json: A has 9 entries, expected 10 (one per generator, as H)");
        root = shippedNetwork();
        ((ArrayNode) root.get("D")).set(3, "fast");
        assertBadNetwork(root, "net.json: D[3] is \"fast\", expected a number");
    }

    @Test
    void rejectsDisturbanceThatIsNotAFinitePositiveAngle() {
        for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 0, -0.1}) {
            var e = assertThrows(InvalidDataException.class, () -> BuiltInSystems.byName("ieee39", d));
            assertEquals("ieee39: --perturbation must be a finite angle > 0 rad, got " + d, e.getMessage());
        }
        var e = assertThrows(InvalidDataException.class, () -> BuiltInSystems.byName("glycolysis", 0.5));
        assertEquals("--perturbation applies to robertson and ieee39 only, not to glycolysis", e.getMessage());
        assertEquals(0.2, ((SwingNetwork) BuiltInSystems.byName("ieee39", 0.2)).disturbance());
    }

    private static void assertBadNetwork(ObjectNode root, String message) throws IOException {
        String text = JSON.writeValueAsString(root);
        var e = assertThrows(InvalidDataException.class, () -> EffectiveNetwork.read(text, "net.json"));
        assertEquals(message, e.getMessage());
    }

    private static ObjectNode shippedNetwork() throws IOException {
        try (InputStream in = SwingNetworkTest.class.getResourceAsStream(EffectiveNetwork.IEEE39_RESOURCE)) {
            return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Samples every dt over [0, span] of [model state, δₙ] from a drawn initial state, dδₙ/dt = νₙ integrated beside the model. */
    private static double[][] withReferenceAngle(SwingNetwork model, double span, double dt, long seed) {
        int m = model.dimension();
        ContinuousSystem augmented = new ContinuousSystem() {
            public String name() {
                return model.name() + "+reference angle";
            }

            public List<String> stateNames() {
                List<String> names = new ArrayList<>(model.stateNames());
                names.add("deltaRef");
                return names;
            }

            public void derivative(double[] x, double[] dxdt) {
                model.derivative(x, dxdt);
                dxdt[m] = x[m - 1];
            }

            public double[] sampleInitialState(Random rng) {
                double[] x = Arrays.copyOf(model.sampleInitialState(rng), m + 1);
                x[m] = model.network().synchronousDelta()[model.network().generators() - 1];
                return x;
            }
        };
        return new Simulator(augmented).simulate(1, Simulator.uniformTimes((int) Math.round(span / dt), dt), seed).get(0).states();
    }

    /** The three sums of E at state [δᵢ − δₙ (i &lt; n), νᵢ, δₙ], as {kinetic, injection, coupling}. */
    private static double[] energyTerms(EffectiveNetwork en, double[] x) {
        int n = en.generators();
        double[] delta = new double[n];
        for (int i = 0; i < n; i++) {
            delta[i] = (i < n - 1 ? x[i] : 0) + x[2 * n - 1];
        }
        double kinetic = 0;
        double injection = 0;
        double coupling = 0;
        for (int i = 0; i < n; i++) {
            double nu = x[n - 1 + i];
            kinetic += en.h()[i] / en.omegaR() * nu * nu;
            injection -= en.a()[i] * delta[i];
            for (int j = i + 1; j < n; j++) {
                coupling -= en.k()[i][j] * Math.cos(delta[i] - delta[j]);
            }
        }
        return new double[] {kinetic, injection, coupling};
    }

    private static double energy(EffectiveNetwork en, double[] x) {
        double[] t = energyTerms(en, x);
        return t[0] + t[1] + t[2];
    }

    private static double energyScale(EffectiveNetwork en, double[][] states) {
        double scale = 0;
        for (double[] x : states) {
            for (double t : energyTerms(en, x)) {
                scale = Math.max(scale, Math.abs(t));
            }
        }
        return scale;
    }
}
