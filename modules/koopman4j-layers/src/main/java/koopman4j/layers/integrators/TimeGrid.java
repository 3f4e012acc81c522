package koopman4j.layers.integrators;

import java.util.Arrays;
import koopman4j.core.data.InvalidDataException;

/**
 * The observation times t₀ &lt; t₁ &lt; … &lt; t_K shared by a batch of trajectories, with the steps
 * h_k = t_{k+1} − t_k an integrator takes and the trapezoid weights of the time-integrated loss (seed 001,
 * eq. 20). Any spacing is allowed; trajectories on different grids go into different batches.
 *
 * <p>Eq. 20 is a trapezoid rule in t. On a log-spaced grid (seed 001 §5.2: t from 4·10⁻⁶ to 4·10⁶) its weights
 * grow with t, so the last samples outweigh the first by 10¹²; {@link #inLogTime} keeps the steps and takes
 * the trapezoid rule in log t instead, for ∫ MSE d(log t): every decade of time counts alike.
 */
public final class TimeGrid {
    private final double[] times;
    /** The trapezoid weights in log t, or null for eq. 20's trapezoid rule in t. */
    private final double[] logWeights;

    private TimeGrid(double[] times, double[] logWeights) {
        this.times = times;
        this.logWeights = logWeights;
    }

    /** The grid of these times; {@code where} names them in error messages (e.g. "trajectory 3"). */
    public static TimeGrid of(String where, double... times) {
        if (times == null || times.length < 2) {
            throw new InvalidDataException(where + ": time grid has " + (times == null ? 0 : times.length)
                    + " time(s), expected at least 2");
        }
        for (int k = 0; k < times.length; k++) {
            if (!Double.isFinite(times[k])) {
                throw new InvalidDataException(where + ": time t[" + k + "] is " + times[k] + ", expected a finite number");
            }
            if (k > 0 && !(times[k] > times[k - 1])) {
                throw new InvalidDataException(where + ": time t[" + k + "] = " + times[k] + " is not after t[" + (k - 1) + "] = "
                        + times[k - 1] + "; the time grid must be strictly increasing");
            }
        }
        return new TimeGrid(times.clone(), null);
    }

    /**
     * The same times and steps with the loss weighted by the trapezoid rule in log t, where the grid's t_k stands for
     * the absolute time {@code origin} + t_k (e.g. a trajectory sampled from 4·10⁻⁶ on, its grid counted from its
     * first sample): w₀ = ½ log(τ₁/τ₀), w_k = ½ log(τ_{k+1}/τ_{k−1}), w_K = ½ log(τ_K/τ_{K−1}), τ_k = origin + t_k.
     */
    public TimeGrid inLogTime(double origin) {
        double first = origin + times[0];
        if (!(first > 0) || !Double.isFinite(first)) {
            throw new InvalidDataException("log-time loss weights need times after t = 0: the grid starts at t = " + first);
        }
        double[] w = new double[times.length];
        for (int k = 0; k + 1 < times.length; k++) {
            double d = Math.log((origin + times[k + 1]) / (origin + times[k])) / 2;
            w[k] += d;
            w[k + 1] += d;
        }
        return new TimeGrid(times, w);
    }

    /** Whether {@link #trapezoidWeights} are taken in log t ({@link #inLogTime}). */
    public boolean logTime() {
        return logWeights != null;
    }

    /** t₀, t₀ + dt, …, t₀ + steps·dt (for deployment with a fixed step). */
    public static TimeGrid uniform(double t0, double dt, int steps) {
        if (steps < 1) {
            throw new InvalidDataException("uniform time grid: steps is " + steps + ", expected at least 1");
        }
        Checks.step("uniform time grid", dt);
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            t[k] = t0 + k * dt;
        }
        return of("uniform time grid", t);
    }

    public double[] times() {
        return times.clone();
    }

    public double time(int k) {
        return times[k];
    }

    /** K, the number of steps. */
    public int steps() {
        return times.length - 1;
    }

    /** h_k = t_{k+1} − t_k. */
    public double step(int k) {
        return times[k + 1] - times[k];
    }

    /**
     * The trapezoid weights of eq. 20: w₀ = h₀/2, w_k = (h_{k−1} + h_k)/2, w_K = h_{K−1}/2; in log t instead for a grid
     * from {@link #inLogTime}.
     */
    public double[] trapezoidWeights() {
        if (logWeights != null) {
            return logWeights.clone();
        }
        int k = steps();
        double[] w = new double[k + 1];
        for (int i = 0; i < k; i++) {
            w[i] += step(i) / 2;
            w[i + 1] += step(i) / 2;
        }
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeGrid other && Arrays.equals(times, other.times) && Arrays.equals(logWeights, other.logWeights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(times) + Arrays.hashCode(logWeights);
    }

    @Override
    public String toString() {
        return "TimeGrid" + Arrays.toString(times) + (logWeights == null ? "" : " (loss in log t)");
    }
}
