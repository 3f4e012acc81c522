package koopman4j.core.metrics;

/**
 * A continuous-time model (an ODE model such as the structure-preserving NODE of seed 001) that forecasts at
 * any later times, not only on one fixed step: what {@link ErrorMetrics#alongTrajectories} needs to score
 * trajectories sampled on non-uniform grids (seed 001 §5.2: 50 log-spaced times from 4·10⁻⁶ to 4·10⁶).
 */
public interface ContinuousForecaster extends Forecaster {

    /**
     * The model's states at every time of {@code times} (strictly increasing) from each initial row, given at
     * {@code times[0]}, as {@code [row][k][state]}: entry k = 0 is the model's own value at the initial time
     * (an autoencoder's reconstruction f_D(f_E(x₀)); x₀ itself for a model without one), entry k the forecast
     * after the steps t₁ − t₀, …, t_k − t_{k−1}. Original units of the observed states.
     */
    double[][][] forecast(double[][] initial, double[] times);
}
