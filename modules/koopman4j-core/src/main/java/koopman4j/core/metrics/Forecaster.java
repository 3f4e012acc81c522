package koopman4j.core.metrics;

import koopman4j.core.data.TrajectorySet;

/**
 * What every koopman4j model offers to the error metrics: a one-step map and a rollout from one
 * state, both in the original units of the observed states. Rows are states: the measured states, or
 * for a model with a delay embedding its delay vectors, of which the predictions are the leading
 * (current) columns.
 */
public interface Forecaster {

    /**
     * The measured trajectories as this model's states (e.g. delay-embedded, starting where enough past
     * is available); the identity for a model of the measured states themselves.
     */
    default TrajectorySet prepare(TrajectorySet measured) {
        return measured;
    }

    /** x_{k+1} predicted from each row x_k: the leading columns of the model's next state. */
    double[][] step(double[][] states);

    /**
     * Predicted x_1 … x_horizon from each initial row x_0, as {@code [row][k-1][state]}; the model's
     * own multi-step forecast (Deep DMD: ψ_k = K^k ψ(x₀), read back from the first n entries).
     */
    double[][][] rollout(double[][] initial, int horizon);
}
