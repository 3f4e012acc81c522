package koopman4j.core.data;

import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * The delay vectors along a forecast that starts from {@code initial} (rows: delay vectors), for a model
     * used as a nonlinear map (re-encoding its own forecasts).
     */
    public Register register(double[][] initial) {
        return new Register(initial);
    }

    /**
     * Builds each next delay vector [y_{k+1}, y_{k+1−lag}, …] from the best values at hand: the initial
     * vector's entries and the current values forecast at earlier steps, like a shift register. Samples the
     * initial vector skips (those between its entries when lag > 1) take the lagged entries of the first
     * forecast that needs them. (Re-encoding the model's whole forecast delay vector would replace past values
     * that are known by forecasts of them.)
     */
    public final class Register {
        /**
         * [row][sample mod (history + 1)][state]: the known or forecast values of the last history + 1 samples,
         * null where none yet. A slot is taken over by the sample history + 1 later, after the last step that
         * reads its value; samples before the initial vector's oldest never exist, so no slot holds a stale one.
         */
        private final double[][][] window;
        private final int observed;
        /** The sample of the latest current value; the initial vector's is history(). */
        private int current;

        private Register(double[][] initial) {
            int columns = initial.length == 0 ? 0 : initial[0].length;
            if (columns % (delays + 1) != 0) {
                throw new InvalidDataException("a delay vector of " + (delays + 1) + " blocks cannot have " + columns + " entries");
            }
            observed = columns / (delays + 1);
            window = new double[initial.length][history() + 1][];
            current = history();
            for (int r = 0; r < initial.length; r++) {
                for (int j = 0; j <= delays; j++) {
                    window[r][slot(current - j * lag)] = Arrays.copyOfRange(initial[r], j * observed, (j + 1) * observed);
                }
            }
        }

        /** The next delay vectors from the model's forecast ones (rows, original units); one call per step. */
        public double[][] next(double[][] forecast) {
            current++;
            double[][] out = new double[forecast.length][];
            for (int r = 0; r < forecast.length; r++) {
                double[][] v = window[r];
                v[slot(current)] = Arrays.copyOf(forecast[r], observed);
                out[r] = new double[observed * (delays + 1)];
                for (int j = 0; j <= delays; j++) {
                    int at = slot(current - j * lag);
                    if (v[at] == null) {
                        v[at] = Arrays.copyOfRange(forecast[r], j * observed, (j + 1) * observed);
                    }
                    System.arraycopy(v[at], 0, out[r], j * observed, observed);
                }
            }
            return out;
        }

        private int slot(int sample) {
            return sample % (history() + 1);
        }
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
