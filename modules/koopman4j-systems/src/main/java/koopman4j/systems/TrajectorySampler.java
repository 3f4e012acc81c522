package koopman4j.systems;

import java.util.List;
import java.util.function.IntConsumer;
import koopman4j.core.data.TrajectorySet;

/**
 * What {@code simulate} needs from a built-in system: trajectories from its own distribution of
 * initial states, or one trajectory from a given state. {@link Simulator} provides it for the ODE
 * systems ({@link ContinuousSystem}), {@link KuramotoSivashinsky} for the PDE with its own
 * spectral solver; {@link BuiltInSystems#sampler(String)} picks one by name.
 */
public interface TrajectorySampler {

    /** Names of the state components, the columns of the trajectories written. */
    List<String> stateNames();

    /**
     * {@code count} trajectories from initial states drawn with {@code seed} at t = 0, sampled at
     * {@code times} (non-negative, strictly increasing; a first time of 0 samples the initial state).
     */
    default TrajectorySet simulate(int count, double[] times, long seed) {
        return simulate(count, times, seed, done -> { });
    }

    /** The same, telling {@code finished} how many trajectories are done after each one (for a progress display). */
    TrajectorySet simulate(int count, double[] times, long seed, IntConsumer finished);

    /** The states at {@code times} (strictly increasing, times[0] the initial time) from {@code x0}. */
    double[][] integrate(double[] x0, double[] times);
}
