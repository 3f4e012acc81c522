package koopman4j.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Time-delay coordinates for partially observed systems: the state at sample k becomes
 * [y_k, y_{k−lag}, …, y_{k−delays·lag}], so a model of a few measured species also sees their recent
 * past, which (Takens) determines the unmeasured ones. {@code delays = 0} is the identity.
 *
 * <p>Embedded trajectories start at sample {@link #history()} of the original ones, keep its times, and
 * hold the current observations in their leading columns; the names of the delayed copies are
 * {@code name(t-j·lag)} in samples.
 */
public record DelayEmbedding(int delays, int lag) {

    public static final DelayEmbedding NONE = new DelayEmbedding(0, 1);

    public DelayEmbedding {
        if (delays < 0) {
            throw new InvalidDataException("delays must be ≥ 0, got " + delays);
        }
        if (lag < 1) {
            throw new InvalidDataException("delay lag must be at least 1 sample, got " + lag);
        }
    }

    /** Samples of the past each embedded state needs: delays · lag. */
    public int history() {
        return delays * lag;
    }

    /** Columns of an embedded state for {@code observed} measured states. */
    public int dimension(int observed) {
        return observed * (delays + 1);
    }

    /** The names of the embedded columns. */
    public List<String> names(List<String> observed) {
        List<String> out = new ArrayList<>(observed);
        for (int j = 1; j <= delays; j++) {
            for (String name : observed) {
                out.add(name + "(t-" + j * lag + ")");
            }
        }
        return out;
    }

    /** Every trajectory embedded; each needs at least history + 2 samples to keep one pair. */
    public TrajectorySet embed(TrajectorySet data) {
        if (delays == 0) {
            return data;
        }
        List<Trajectory> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            Trajectory t = data.get(i);
            if (t.length() < history() + 2) {
                throw new InvalidDataException("trajectory " + i + " has " + t.length() + " samples; a delay embedding of "
                        + delays + " delays of " + lag + " sample(s) needs at least " + (history() + 2));
            }
            out.add(embed(t));
        }
        return new TrajectorySet(names(data.names()), out);
    }

    private Trajectory embed(Trajectory t) {
        int n = t.dimension();
        int length = t.length() - history();
        double[] times = new double[length];
        double[][] states = new double[length][dimension(n)];
        for (int k = 0; k < length; k++) {
            times[k] = t.times()[k + history()];
            for (int j = 0; j <= delays; j++) {
                System.arraycopy(t.states()[k + history() - j * lag], 0, states[k], j * n, n);
            }
        }
        return new Trajectory(times, states);
    }
}
