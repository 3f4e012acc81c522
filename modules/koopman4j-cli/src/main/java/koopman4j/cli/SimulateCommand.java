package koopman4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.systems.BuiltInSystems;
import koopman4j.systems.ContinuousSystem;
import koopman4j.systems.Robertson;
import koopman4j.systems.Simulator;
import koopman4j.systems.SwingNetwork;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code simulate}: sample trajectories of a built-in system into a CSV or NPY file. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Sample trajectories of a built-in system (uniform grid or given times) from initial states at t = 0.")
final class SimulateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SYSTEM", description = "built-in system, e.g. glycolysis")
    String system;

    @Option(names = "--trajectories", required = true, description = "number of trajectories")
    int trajectories;

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

    @Option(names = "--observe", split = ",", description = "keep only these states (1-based), e.g. 1,3,5")
    List<Integer> observe;

    @Option(names = "--out", required = true, description = "output file (.csv or .npy)")
    Path out;

    @Override
    public Integer call() {
        double[] times = grid.times != null ? grid.times : Simulator.uniformTimes(grid.uniform.steps, grid.uniform.dt);
        if (times.length < 2) {
            throw new InvalidDataException("--times: give at least two sample times");
        }
        ContinuousSystem sampled = perturbation == null ? BuiltInSystems.byName(system) : BuiltInSystems.byName(system, perturbation);
        TrajectorySet data = new Simulator(sampled).simulate(trajectories, times, seed);
        if (observe != null && !observe.isEmpty()) {
            data = data.observe(observe.stream().mapToInt(Integer::intValue).toArray());
        }
        TrajectoryFiles.write(data, out);
        System.err.printf("wrote %d trajectories x %d samples of %s to %s%n", data.size(), times.length, data.names(), out);
        return 0;
    }
}
