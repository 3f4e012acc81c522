package koopman4j.core.metrics;

/**
 * What every koopman4j model offers to the error metrics: a one-step map and a rollout from one
 * state, both in the original units of the observed states. Rows are states.
 */
public interface Forecaster {

    /** x_{k+1} predicted from each row x_k. */
    double[][] step(double[][] states);

    /**
     * Predicted x_1 … x_horizon from each initial row x_0, as {@code [row][k-1][state]}; the model's
     * own multi-step forecast (Deep DMD: ψ_k = K^k ψ(x₀), read back from the first n entries).
     */
    double[][][] rollout(double[][] initial, int horizon);
}
