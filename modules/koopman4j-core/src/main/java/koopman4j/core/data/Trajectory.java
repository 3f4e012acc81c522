package koopman4j.core.data;

import java.util.Arrays;

/**
 * One sampled trajectory: strictly increasing times and the state at each time, {@code states[k][i]}
 * being state i at time k. Validated on construction; the arrays are defensively copied.
 */
public record Trajectory(double[] times, double[][] states) {

    public Trajectory {
        if (times.length != states.length) {
            throw new InvalidDataException("trajectory has " + times.length + " times but " + states.length + " states");
        }
        if (times.length < 2) {
            throw new InvalidDataException("trajectory has " + times.length + " sample(s); at least 2 are needed");
        }
        int n = states[0].length;
        for (int k = 0; k < times.length; k++) {
            if (states[k].length != n) {
                throw new InvalidDataException("trajectory sample " + k + " has " + states[k].length + " states, expected " + n);
            }
            if (!Double.isFinite(times[k])) {
                throw new InvalidDataException("trajectory time " + k + " is " + times[k]);
            }
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(states[k][i])) {
                    throw new InvalidDataException("trajectory sample " + k + " state " + i + " is " + states[k][i]);
                }
            }
            if (k > 0 && !(times[k] > times[k - 1])) {
                throw new InvalidDataException("trajectory time is not increasing at sample " + k + ": " + times[k - 1] + " then " + times[k]);
            }
        }
        times = times.clone();
        double[][] copy = new double[states.length][];
        for (int k = 0; k < states.length; k++) {
            copy[k] = states[k].clone();
        }
        states = copy;
    }

    public int length() {
        return times.length;
    }

    public int dimension() {
        return states[0].length;
    }

    /** The same trajectory with only the given state columns (0-based), in that order. */
    public Trajectory select(int[] columns) {
        double[][] s = new double[states.length][columns.length];
        for (int k = 0; k < states.length; k++) {
            for (int j = 0; j < columns.length; j++) {
                s[k][j] = states[k][columns[j]];
            }
        }
        return new Trajectory(times, s);
    }

    /** The first {@code count} samples. */
    public Trajectory head(int count) {
        return new Trajectory(Arrays.copyOf(times, count), Arrays.copyOf(states, count));
    }

    /** The samples from index {@code first} on. */
    public Trajectory tail(int first) {
        return new Trajectory(Arrays.copyOfRange(times, first, times.length), Arrays.copyOfRange(states, first, states.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trajectory t && Arrays.equals(times, t.times) && Arrays.deepEquals(states, t.states);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(times) + Arrays.deepHashCode(states);
    }

    @Override
    public String toString() {
        return "Trajectory[" + length() + " samples x " + dimension() + " states, t=" + times[0] + ".." + times[times.length - 1] + "]";
    }
}
