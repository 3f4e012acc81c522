package koopman4j.systems;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Classical swing dynamics of a power grid (Deep DMD, seed 000 §3.3, eq. 12–13) in the
 * effective-network form of Nishikawa &amp; Motter (2015), parameters from an {@link EffectiveNetwork}:
 * <pre>
 *   dδᵢ/dt = νᵢ
 *   dνᵢ/dt = ( (ω_R/2)·Aᵢ − (Dᵢ/2)·νᵢ − (ω_R/2)·Σ_{j≠i} Kᵢⱼ sin(δᵢ − δⱼ − γᵢⱼ) ) / Hᵢ
 * </pre>
 * Built in as {@code ieee39}: the 10-generator New England system (MATPOWER case39).
 *
 * <p><b>States: 2n − 1 (19 for ieee39)</b>, in this order: the rotor angles relative to the reference
 * generator n, {@code delta1} … {@code delta(n−1)} = δᵢ − δₙ (rad), then the speeds of all n generators,
 * {@code omega1} … {@code omega(n)} = νᵢ (rad/s, deviation from ω_R). Neither 2n − 2 nor 2n: only
 * angle differences enter the dynamics, so the absolute angles (2n states) carry a direction that drifts
 * at the synchronous frequency and is never at rest, and the reference's relative angle is identically
 * zero; but the damping Dᵢνᵢ/(2Hᵢ) acts on each speed itself and Dᵢ/Hᵢ differs between generators
 * (Hₙ = 500 s against 24–42 s), so the relative speeds νᵢ − νₙ (2n − 2 states) do not form a closed
 * system. The 2n − 1 states above do, and the synchronous state (all νᵢ equal) is an equilibrium of them.
 *
 * <p><b>Initial states</b> (eq. 13): the impulse Δᵢδ(t) added to dδᵢ/dt jumps the relative angles at
 * t = 0, so x₀ is the synchronous state with every relative angle moved by Δᵢ ~ U[−d, d] independently
 * (speeds synchronous). The default d = {@value #DEFAULT_DISTURBANCE} rad swings the angles well into the
 * nonlinear range of the sines while the grid stays synchronous (in 1000 draws no speed exceeded 6 rad/s;
 * at d = 1 rad, 3 of 30 draws slipped poles, speeds near 50 rad/s).
 *
 * <p>With D = 0 and γ = 0 the model is Hamiltonian, with energy (in the absolute angles δᵢ)
 * E = Σᵢ (Hᵢ/ω_R) νᵢ² − Σᵢ Aᵢ δᵢ − Σ_{i&lt;j} Kᵢⱼ cos(δᵢ − δⱼ), conserved because K is symmetric.
 */
public final class SwingNetwork implements ContinuousSystem {

    private static final Logger LOG = LogManager.getLogger(SwingNetwork.class);

    /** d, the half-width (rad) of the uniform disturbance of each relative rotor angle. */
    public static final double DEFAULT_DISTURBANCE = 0.5;
    /** Largest ‖f(x*)‖₂ accepted for the synchronous state (the shipped file gives about 1e-13). */
    public static final double EQUILIBRIUM_TOLERANCE = 1e-9;

    private final String name;
    private final EffectiveNetwork network;
    private final double disturbance;
    private final int n;

    /** Unchecked: the tests also build networks without an equilibrium (D = 0, γ = 0). */
    SwingNetwork(String name, EffectiveNetwork network, double disturbance) {
        this.name = name;
        this.network = network;
        this.disturbance = checkDisturbance(name, disturbance);
        this.n = network.generators();
    }

    /**
     * The swing dynamics of {@code network}, initial angles disturbed by up to ±{@code disturbance}
     * rad, after checking (and logging) that its synchronous state is an equilibrium.
     */
    public static SwingNetwork of(String name, EffectiveNetwork network, double disturbance) {
        SwingNetwork system = new SwingNetwork(name, network, disturbance);
        double residual = system.equilibriumResidual();
        if (!(residual <= EQUILIBRIUM_TOLERANCE)) {
            throw new InvalidDataException(network.source() + ": synchronous_state is not an equilibrium of the swing model: ‖f(x*)‖ = "
                    + residual + " > " + EQUILIBRIUM_TOLERANCE);
        }
        LOG.info("{}: the synchronous state is an equilibrium, ‖f(x*)‖ = {} ≤ {}; initial angles disturbed by up to ±{} rad",
                name, residual, EQUILIBRIUM_TOLERANCE, disturbance);
        return system;
    }

    /** The IEEE 39-bus system (checked as {@link #of}), initial angles disturbed by up to ±{@code disturbance} rad. */
    public static SwingNetwork ieee39(double disturbance) {
        checkDisturbance("ieee39", disturbance); // before anything is loaded or logged
        return of("ieee39", EffectiveNetwork.ieee39(), disturbance);
    }

    private static double checkDisturbance(String name, double disturbance) {
        if (!(disturbance > 0 && Double.isFinite(disturbance))) {
            throw new InvalidDataException(name + ": --perturbation must be a finite angle > 0 rad, got " + disturbance);
        }
        return disturbance;
    }

    @Override
    public String name() {
        return name;
    }

    public EffectiveNetwork network() {
        return network;
    }

    /** d, the half-width of the initial-angle disturbance (rad). */
    public double disturbance() {
        return disturbance;
    }

    /** delta1 … delta(n−1) (relative to generator n), then omega1 … omega(n). */
    @Override
    public List<String> stateNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            names.add("delta" + i);
        }
        for (int i = 1; i <= n; i++) {
            names.add("omega" + i);
        }
        return names;
    }

    @Override
    public void derivative(double[] x, double[] dxdt) {
        double omegaR = network.omegaR();
        double[][] k = network.k();
        double[][] gamma = network.gamma();
        for (int i = 0; i < n - 1; i++) {
            dxdt[i] = x[n - 1 + i] - x[2 * n - 2]; // d(δᵢ − δₙ)/dt = νᵢ − νₙ
        }
        for (int i = 0; i < n; i++) {
            double deltaI = i < n - 1 ? x[i] : 0;
            double coupling = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double deltaJ = j < n - 1 ? x[j] : 0;
                    coupling += k[i][j] * Math.sin(deltaI - deltaJ - gamma[i][j]);
                }
            }
            double nu = x[n - 1 + i];
            dxdt[n - 1 + i] = (0.5 * omegaR * (network.a()[i] - coupling) - 0.5 * network.d()[i] * nu) / network.h()[i];
        }
    }

    /** x* = (δ*ᵢ − δ*ₙ, ν*ᵢ) of the network file. */
    public double[] synchronousState() {
        double[] x = new double[2 * n - 1];
        double[] delta = network.synchronousDelta();
        for (int i = 0; i < n - 1; i++) {
            x[i] = delta[i] - delta[n - 1];
        }
        System.arraycopy(network.synchronousNu(), 0, x, n - 1, n);
        return x;
    }

    /** ‖f(x*)‖₂ at the synchronous state: 0 for an exact equilibrium. */
    public double equilibriumResidual() {
        double[] f = new double[2 * n - 1];
        derivative(synchronousState(), f);
        double s = 0;
        for (double v : f) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** The synchronous state with each relative angle moved by an independent U[−d, d] draw (eq. 13). */
    @Override
    public double[] sampleInitialState(Random rng) {
        double[] x = synchronousState();
        for (int i = 0; i < n - 1; i++) {
            x[i] += disturbance * (2 * rng.nextDouble() - 1);
        }
        return x;
    }
}
