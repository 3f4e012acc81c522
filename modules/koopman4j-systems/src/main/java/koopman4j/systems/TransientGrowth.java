package koopman4j.systems;

import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;

/**
 * The weakly nonlinear system with transient growth of seed 001, §5.1, eq. 21: dx/dt = Ax + ε·sin(x)
 * (sin component-wise) with A = A_bump = [[−2, 10], [0, −2]] (eq. 23): both eigenvalues are −2, yet
 * the numerical abscissa γ(A) = −2 + 5 > 0, so ‖e^{tA}‖₂ first grows (to 1.92 at t ≈ 0.46), then decays.
 *
 * <p>The paper does not give its initial-state distribution; we draw x₀ uniform in [−2, 2]², wide
 * enough that sin(x) is far from linear for ε = 1.
 */
public final class TransientGrowth implements ContinuousSystem {

    /** A_bump of eq. 23. */
    public static final double[][] A_BUMP = {{-2, 10}, {0, -2}};
    static final double INITIAL_HALF_WIDTH = 2;

    private final double epsilon;

    public TransientGrowth(double epsilon) {
        if (!Double.isFinite(epsilon)) {
            throw new InvalidDataException("transient-growth: ε must be finite, got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public String name() {
        return epsilon == 0 ? "transient-growth-linear" : "transient-growth";
    }

    @Override
    public List<String> stateNames() {
        return List.of("x1", "x2");
    }

    @Override
    public void derivative(double[] x, double[] dxdt) {
        dxdt[0] = A_BUMP[0][0] * x[0] + A_BUMP[0][1] * x[1] + epsilon * Math.sin(x[0]);
        dxdt[1] = A_BUMP[1][0] * x[0] + A_BUMP[1][1] * x[1] + epsilon * Math.sin(x[1]);
    }

    @Override
    public double[] sampleInitialState(Random rng) {
        return new double[] {
            INITIAL_HALF_WIDTH * (2 * rng.nextDouble() - 1), INITIAL_HALF_WIDTH * (2 * rng.nextDouble() - 1)};
    }
}
