package koopman4j.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The one data set type of koopman4j: named states and a list of trajectories of equal state
 * dimension (lengths and step sizes may differ). Immutable.
 */
public record TrajectorySet(List<String> names, List<Trajectory> trajectories) {

    public TrajectorySet {
        names = List.copyOf(names);
        trajectories = List.copyOf(trajectories);
        if (trajectories.isEmpty()) {
            throw new InvalidDataException("data set has no trajectories");
        }
        for (int i = 0; i < trajectories.size(); i++) {
            if (trajectories.get(i).dimension() != names.size()) {
                throw new InvalidDataException("trajectory " + i + " has " + trajectories.get(i).dimension()
                        + " states but the data set names " + names.size() + " " + names);
            }
        }
    }

    public int size() {
        return trajectories.size();
    }

    public int dimension() {
        return names.size();
    }

    public Trajectory get(int i) {
        return trajectories.get(i);
    }

    /** Total number of one-step pairs (x_k, x_{k+1}) over all trajectories. */
    public int pairCount() {
        int c = 0;
        for (Trajectory t : trajectories) {
            c += t.length() - 1;
        }
        return c;
    }

    /** Rows of x_k for every one-step pair, in trajectory order. */
    public double[][] pairSources() {
        return pairRows(0);
    }

    /** Rows of x_{k+1} for every one-step pair, aligned with {@link #pairSources()}. */
    public double[][] pairTargets() {
        return pairRows(1);
    }

    private double[][] pairRows(int offset) {
        double[][] rows = new double[pairCount()][];
        int r = 0;
        for (Trajectory t : trajectories) {
            for (int k = 0; k + 1 < t.length(); k++) {
                rows[r++] = t.states()[k + offset].clone();
            }
        }
        return rows;
    }

    /**
     * Keeps the given states (1-based, as users number species) in that order.
     */
    public TrajectorySet observe(int[] oneBased) {
        int[] cols = new int[oneBased.length];
        List<String> kept = new ArrayList<>();
        for (int j = 0; j < oneBased.length; j++) {
            if (oneBased[j] < 1 || oneBased[j] > dimension()) {
                throw new InvalidDataException("observe: state " + oneBased[j] + " is out of range 1.." + dimension());
            }
            cols[j] = oneBased[j] - 1;
            kept.add(names.get(cols[j]));
        }
        List<Trajectory> ts = new ArrayList<>();
        for (Trajectory t : trajectories) {
            ts.add(t.select(cols));
        }
        return new TrajectorySet(kept, ts);
    }

    /**
     * Every trajectory from sample {@code first} on (0-based), e.g. to score forecasts started on an
     * attractor rather than at the initial states; each must keep at least two samples.
     */
    public TrajectorySet fromSample(int first) {
        if (first < 0) {
            throw new InvalidDataException("first sample must be ≥ 0, got " + first);
        }
        List<Trajectory> ts = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            if (t.length() < first + 2) {
                throw new InvalidDataException("trajectory " + (i + 1) + " has " + t.length() + " samples; starting at sample "
                        + first + " needs at least " + (first + 2));
            }
            ts.add(t.tail(first));
        }
        return new TrajectorySet(names, ts);
    }

    /**
     * Every state multiplied entry by entry by {@code factors} (one per state, each finite and non-zero), e.g. to
     * bring components of very different size to O(1) for training (seed 001 §5.2 trains on 10⁴·y2); dividing by
     * the same factors undoes it ({@link #unscaled}).
     */
    public TrajectorySet scaled(double[] factors) {
        checkFactors(factors);
        return map(factors, false);
    }

    /** The inverse of {@link #scaled}: every state divided entry by entry by {@code factors}. */
    public TrajectorySet unscaled(double[] factors) {
        checkFactors(factors);
        return map(factors, true);
    }

    private void checkFactors(double[] factors) {
        if (factors.length != dimension()) {
            throw new InvalidDataException("scale has " + factors.length + " factors for " + dimension() + " states " + names);
        }
        for (int i = 0; i < factors.length; i++) {
            if (!Double.isFinite(factors[i]) || factors[i] == 0) {
                throw new InvalidDataException("scale factor of " + names.get(i) + " must be finite and non-zero, got " + factors[i]);
            }
        }
    }

    private TrajectorySet map(double[] factors, boolean divide) {
        List<Trajectory> ts = new ArrayList<>();
        for (Trajectory t : trajectories) {
            double[][] states = new double[t.length()][];
            for (int k = 0; k < states.length; k++) {
                states[k] = t.states()[k].clone();
                for (int i = 0; i < factors.length; i++) {
                    states[k][i] = divide ? states[k][i] / factors[i] : states[k][i] * factors[i];
                }
            }
            ts.add(new Trajectory(t.times(), states));
        }
        return new TrajectorySet(names, ts);
    }

    /** A held-out split by whole trajectories, shuffled by {@code seed}. */
    public record Split(TrajectorySet train, TrajectorySet test) { }

    /**
     * Splits by trajectory: round(testFraction·size) trajectories (at least one, at most size−1)
     * go to the test set.
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new InvalidDataException("testFraction must be in (0, 1), got " + testFraction);
        }
        if (size() < 2) {
            throw new InvalidDataException("cannot split " + size() + " trajectory into train and test; need at least 2");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        int nTest = (int) Math.max(1, Math.min(size() - 1, Math.round(testFraction * size())));
        List<Trajectory> test = new ArrayList<>();
        List<Trajectory> train = new ArrayList<>();
        for (int j = 0; j < order.size(); j++) {
            (j < nTest ? test : train).add(trajectories.get(order.get(j)));
        }
        return new Split(new TrajectorySet(names, train), new TrajectorySet(names, test));
    }

    /** The uniform sampling step shared by every trajectory, or NaN when steps differ. */
    public double uniformStep() {
        double dt = Double.NaN;
        for (Trajectory t : trajectories) {
            double[] ts = t.times();
            for (int k = 1; k < ts.length; k++) {
                double h = ts[k] - ts[k - 1];
                if (Double.isNaN(dt)) {
                    dt = h;
                } else if (Math.abs(h - dt) > 1e-9 * Math.max(1, Math.abs(dt)) + 1e-6 * Math.abs(dt)) {
                    return Double.NaN;
                }
            }
        }
        return dt;
    }
}
