package koopman4j.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Windows of a fixed number of steps cut from long trajectories: the training data of seed 001 §5.3
 * (structure-preserving NODEs, arXiv:2503.01775), one long Kuramoto–Sivashinsky trajectory sampled every
 * 1.0 and cut into windows of 8 steps. A window is addressed by its number; window w is {@code steps + 1}
 * consecutive samples of one trajectory, starting every {@code stride} samples.
 */
public final class TrajectoryWindows {

    private final TrajectorySet source;
    private final int steps;
    /** For each window: its trajectory and first sample. */
    private final int[] trajectory;
    private final int[] first;

    private TrajectoryWindows(TrajectorySet source, int steps, int[] trajectory, int[] first) {
        this.source = source;
        this.steps = steps;
        this.trajectory = trajectory;
        this.first = first;
    }

    /**
     * The windows of {@code steps} steps starting at samples 0, stride, 2·stride, … of every trajectory of
     * {@code set} ({@code role} names the set in the message when a trajectory is shorter than one window).
     */
    public static TrajectoryWindows of(TrajectorySet set, int steps, int stride, String role) {
        if (steps < 1 || stride < 1) {
            throw new InvalidDataException("data.window: steps and stride must be at least 1, got " + steps + " and " + stride);
        }
        List<int[]> found = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            int length = set.get(i).length();
            if (length < steps + 1) {
                throw new InvalidDataException("data.window.steps: a window of " + steps + " steps needs " + (steps + 1) + " samples; "
                        + role + " trajectory " + (i + 1) + " has " + length);
            }
            for (int s = 0; s + steps < length; s += stride) {
                found.add(new int[] {i, s});
            }
        }
        int[] trajectory = new int[found.size()];
        int[] first = new int[found.size()];
        for (int w = 0; w < found.size(); w++) {
            trajectory[w] = found.get(w)[0];
            first[w] = found.get(w)[1];
        }
        return new TrajectoryWindows(set, steps, trajectory, first);
    }

    public int size() {
        return trajectory.length;
    }

    public int steps() {
        return steps;
    }

    /** Sample k (0 ≤ k ≤ steps) of window w, not copied. */
    public double[] state(int w, int k) {
        return source.get(trajectory[w]).states()[first[w] + k];
    }

    /** The windows as trajectories of their own (times as in the source). */
    public TrajectorySet asSet() {
        List<Trajectory> ts = new ArrayList<>(size());
        for (int w = 0; w < size(); w++) {
            Trajectory t = source.get(trajectory[w]);
            ts.add(new Trajectory(Arrays.copyOfRange(t.times(), first[w], first[w] + steps + 1),
                    Arrays.copyOfRange(t.states(), first[w], first[w] + steps + 1)));
        }
        return new TrajectorySet(source.names(), ts);
    }
}
