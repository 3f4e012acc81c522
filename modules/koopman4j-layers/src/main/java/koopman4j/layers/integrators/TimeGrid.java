package koopman4j.layers.integrators;

import java.util.Arrays;
import koopman4j.core.data.InvalidDataException;

/**
 * The observation times t₀ &lt; t₁ &lt; … &lt; t_K shared by a batch of trajectories, with the steps
 * h_k = t_{k+1} − t_k an integrator takes and the trapezoid weights of the time-integrated loss (seed 001,
 * eq. 20). Any spacing is allowed; trajectories on different grids go into different batches.
 */
public final class TimeGrid {
    private final double[] times;

    private TimeGrid(double[] times) {
        this.times = times;
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
        return new TimeGrid(times.clone());
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

    /** The trapezoid weights of eq. 20: w₀ = h₀/2, w_k = (h_{k−1} + h_k)/2, w_K = h_{K−1}/2. */
    public double[] trapezoidWeights() {
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
        return o instanceof TimeGrid other && Arrays.equals(times, other.times);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(times);
    }

    @Override
    public String toString() {
        return "TimeGrid" + Arrays.toString(times);
    }
}
