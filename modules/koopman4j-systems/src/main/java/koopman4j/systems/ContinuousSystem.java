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

    /** One initial state drawn from the system's documented distribution. */
    double[] sampleInitialState(Random rng);
}
