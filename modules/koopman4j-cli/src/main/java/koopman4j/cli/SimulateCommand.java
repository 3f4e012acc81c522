package koopman4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.MatrixFiles;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.systems.BuiltInSystems;
import koopman4j.systems.EffectiveNetwork;
import koopman4j.systems.KuramotoSivashinsky;
import koopman4j.systems.Robertson;
import koopman4j.systems.Simulator;
import koopman4j.systems.SwingNetwork;
import koopman4j.systems.TrajectorySampler;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code simulate}: sample trajectories of a built-in system into a CSV or NPY file, from initial states
 * drawn at t = 0 or from one given state ({@code --x0}); any {@link TrajectorySampler} will do.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Sample trajectories of a built-in system (uniform grid or given times) from initial states at t = 0.")
final class SimulateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SYSTEM", description = "built-in system, e.g. glycolysis")
    String system;

    @Option(names = "--trajectories", description = "number of trajectories from random initial states (default 1)")
    Integer trajectories;

    @Option(names = "--x0", paramLabel = "FILE", description = "start one trajectory from this state: a CSV of one row, a value per state"
            + " (kuramoto-sivashinsky: u0,…,u63)")
    Path x0;

    @Option(names = "--transient", paramLabel = "T", description = "kuramoto-sivashinsky: time run from each random profile before t = 0"
            + " (default " + KuramotoSivashinsky.DEFAULT_TRANSIENT + ")")
    Double transientTime;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Grid grid;

    static final class Grid {
        @ArgGroup(exclusive = false)
        Uniform uniform;

        @Option(names = "--times", split = ",", description = "sample times t1,t2,… (increasing, not negative)")
        double[] times;
    }

    static final class Uniform {
        @Option(names = "--steps", required = true, description = "steps after the initial sample")
        int steps;

        @Option(names = "--dt", required = true, description = "sampling step")
        double dt;
    }

    @Option(names = "--seed", defaultValue = "1", description = "seed of the initial states (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--perturbation", description = "robertson: size ε of the perturbation of (1, 0, 0), 0 for the reference solution"
            + " (default " + Robertson.DEFAULT_PERTURBATION + "); ieee39: initial rotor angles disturbed by up to ±ε rad (default "
            + SwingNetwork.DEFAULT_DISTURBANCE + ")")
    Double perturbation;

    @Option(names = "--network", paramLabel = "FILE", description = "ieee39: simulate this effective network (JSON: omega_R, H, D, A,"
            + " K, gamma, synchronous_state; the format of the shipped MATPOWER case39 file) instead of case39")
    Path network;

    @Option(names = "--observe", split = ",", description = "keep only these states (1-based), e.g. 1,3,5")
    List<Integer> observe;

    @Option(names = "--out", required = true, description = "output file (.csv or .npy)")
    Path out;

    @ParentCommand
    Koopman4j root;

    @Override
    public Integer call() {
        double[] times = grid.times != null ? grid.times : Simulator.uniformTimes(grid.uniform.steps, grid.uniform.dt);
        if (times.length < 2) {
            throw new InvalidDataException("--times: give at least two sample times");
        }
        TrajectorySampler sampler = sampler();
        TrajectorySet data;
        if (x0 != null) {
            if (trajectories != null && trajectories != 1) {
                throw new InvalidDataException("--x0 starts one trajectory; drop --trajectories " + trajectories);
            }
            if (times[0] != 0) {
                throw new InvalidDataException("with --x0 the sample times start at 0, the time of the given state; got " + times[0]);
            }
            double[] state = initialState(sampler.stateNames());
            data = new TrajectorySet(sampler.stateNames(), List.of(new Trajectory(times, sampler.integrate(state, times))));
        } else {
            int count = trajectories == null ? 1 : trajectories;
            Progress progress = root.progress();
            progress.start("simulate", 0);
            data = sampler.simulate(count, times, seed, done -> progress.update(done, count, "trajectories", ""));
            progress.clear();
        }
        if (observe != null && !observe.isEmpty()) {
            data = data.observe(observe.stream().mapToInt(Integer::intValue).toArray());
        }
        TrajectoryFiles.write(data, out);
        System.err.printf("wrote %d trajectories x %d samples of %s to %s%n", data.size(), times.length, data.names(), out);
        return 0;
    }

    private TrajectorySampler sampler() {
        if (transientTime != null) {
            if (!KuramotoSivashinsky.NAME.equals(system)) {
                throw new InvalidDataException("--transient applies to " + KuramotoSivashinsky.NAME + " only, not to " + system);
            }
            if (x0 != null) {
                throw new InvalidDataException("--transient applies to random initial profiles; with --x0 the run starts at the given profile");
            }
            return new KuramotoSivashinsky(transientTime);
        }
        if (network != null) {
            if (!"ieee39".equals(system)) {
                throw new InvalidDataException("--network applies to ieee39 only, not to " + system);
            }
            return new Simulator(SwingNetwork.of(system, EffectiveNetwork.read(network),
                    perturbation == null ? SwingNetwork.DEFAULT_DISTURBANCE : perturbation));
        }
        return perturbation == null ? BuiltInSystems.sampler(system) : new Simulator(BuiltInSystems.byName(system, perturbation));
    }

    /** The one row of {@code --x0}; MatrixFiles has already refused non-numbers, naming line and column. */
    private double[] initialState(List<String> names) {
        double[][] rows = MatrixFiles.read(x0);
        String expected = "--x0 takes one row of " + names.size() + " values (" + names.get(0) + ", …, " + names.get(names.size() - 1) + ")";
        if (rows.length != 1) {
            throw new InvalidDataException(x0 + ": " + rows.length + " rows; " + expected);
        }
        if (rows[0].length != names.size()) {
            throw new InvalidDataException(x0 + ": " + rows[0].length + " values; " + expected);
        }
        return rows[0];
    }
}
