package koopman4j.core.metrics;

import java.util.Arrays;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.TrajectorySet;

/**
 * A forecaster fitted to delay vectors (it predicts every entry of the next delay vector) seen as a
 * forecaster of the {@code measured} states: data are embedded for it, and only the current entries of
 * its predictions are scored. Used to give E-DMD the same delay coordinates as a Deep DMD model.
 */
public record OnDelayVectors(Forecaster inner, DelayEmbedding embedding, int measured) implements Forecaster {

    @Override
    public TrajectorySet prepare(TrajectorySet data) {
        return embedding.embed(data);
    }

    @Override
    public double[][] step(double[][] states) {
        double[][] next = inner.step(states);
        for (int r = 0; r < next.length; r++) {
            next[r] = Arrays.copyOf(next[r], measured);
        }
        return next;
    }

    @Override
    public double[][][] rollout(double[][] initial, int horizon) {
        double[][][] path = inner.rollout(initial, horizon);
        for (double[][] p : path) {
            for (int k = 0; k < p.length; k++) {
                p[k] = Arrays.copyOf(p[k], measured);
            }
        }
        return path;
    }
}
