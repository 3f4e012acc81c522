package koopman4j.systems;

import java.util.List;
import java.util.Random;

/**
 * A benchmark dynamical system dx/dt = f(x) with named states and a distribution of initial states,
 * simulated by {@link Simulator}.
 */
public interface ContinuousSystem {

    /** The name used on the command line and in configs, e.g. "glycolysis". */
    String name();

    List<String> stateNames();

    default int dimension() {
        return stateNames().size();
    }

    /** Writes f(x) into {@code dxdt}. */
    void derivative(double[] x, double[] dxdt);

    /** One initial state, at t = 0, drawn from the system's documented distribution. */
    double[] sampleInitialState(Random rng);

    /**
     * Whether the system is stiff: its Jacobian has eigenvalues far apart in magnitude, so an explicit
     * integrator is held to tiny steps by stability, not accuracy. {@link Simulator} integrates stiff
     * systems with {@link Rodas4}, the others with Dormand–Prince 8(5,3).
     */
    default boolean stiff() {
        return false;
    }

    /**
     * Writes the Jacobian ∂f/∂x at {@code x} into {@code jac} ({@code jac[i][j]} = ∂f_i/∂x_j), as the
     * stiff integrator needs it. This default uses forward differences with the increment
     * √(u·max(10⁻⁵, |x_j|)) of Hairer &amp; Wanner's codes (u the machine epsilon), accurate to about
     * √u relative; stiff systems should override it with the analytic Jacobian, which Rosenbrock methods
     * need for their full order.
     */
    default void jacobian(double[] x, double[][] jac) {
        int n = x.length;
        double[] f0 = new double[n];
        double[] f1 = new double[n];
        double[] shifted = x.clone();
        derivative(x, f0);
        for (int j = 0; j < n; j++) {
            double delta = Math.sqrt(Math.ulp(1.0) * Math.max(1e-5, Math.abs(x[j])));
            shifted[j] = x[j] + delta;
            derivative(shifted, f1);
            for (int i = 0; i < n; i++) {
                jac[i][j] = (f1[i] - f0[i]) / delta;
            }
            shifted[j] = x[j];
        }
    }
}
