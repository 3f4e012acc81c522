package koopman4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.Forecaster;
import koopman4j.layers.DeepKoopman;
import koopman4j.layers.spnode.StructurePreservingNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code predict}: roll a saved model out from one state. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Roll a saved model out from one state into a CSV.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model directory")
    Path model;

    @Option(names = "--x0", required = true, split = ",",
            description = "initial state a,b,c,… (a delay-embedded model: its delay vector y_k, then y_(k-lag), …)")
    double[] x0;

    @Option(names = "--steps", description = "steps to predict (or --times)")
    Integer steps;

    @Option(names = "--times", split = ",", description = "sp-node: forecast at these times t0,t1,… (increasing; x0 is the state at t0),"
            + " e.g. log-spaced, instead of --steps and --dt")
    double[] times;

    @Option(names = "--dt", description = "time step: any for an sp-node model, the model's own for Deep DMD (default: the model's)")
    Double dt;

    @Option(names = "--out", required = true, description = "output CSV")
    Path out;

    @Override
    public Integer call() {
        if (times != null) {
            return alongTimes();
        }
        if (steps == null) {
            throw new InvalidDataException("give --steps (and optionally --dt), or --times for an sp-node model");
        }
        if (steps < 1) {
            throw new InvalidDataException("--steps must be at least 1, got " + steps);
        }
        for (double v : x0) {
            if (!Double.isFinite(v)) {
                throw new InvalidDataException("--x0 has a non-finite entry " + v);
            }
        }
        Forecaster m = Models.load(model);
        double step;
        List<String> names;
        List<String> inputs;
        if (m instanceof StructurePreservingNode node) {
            // an ODE model forecasts with any step: --dt when given, else the step it was saved with
            m = dt == null ? node : node.withStep(dt);
            step = dt == null ? node.dt() : dt;
            names = node.stateNames();
            inputs = names;
        } else if (m instanceof DeepKoopman deep) {
            if (dt != null && Math.abs(dt - deep.dt()) > 1e-9 * deep.dt()) {
                throw new InvalidDataException("--dt " + dt + " differs from the model's step " + deep.dt() + "; a Koopman matrix is tied to its step");
            }
            step = deep.dt();
            names = deep.stateNames();
            inputs = deep.inputNames();
        } else {
            throw new InvalidDataException(model + ": predict needs a Deep DMD or sp-node model");
        }
        if (x0.length != inputs.size()) {
            throw new InvalidDataException("--x0 has " + x0.length + " entries but the model has " + inputs.size() + " states " + inputs);
        }
        double[][][] path = m.rollout(new double[][] {x0}, steps);
        double[] times = new double[steps + 1];
        double[][] states = new double[steps + 1][];
        states[0] = java.util.Arrays.copyOf(x0, names.size());
        for (int k = 1; k <= steps; k++) {
            times[k] = k * step;
            states[k] = path[0][k - 1];
        }
        TrajectoryFiles.write(new TrajectorySet(names, List.of(new Trajectory(times, states))), out);
        System.err.printf("wrote %d predicted steps to %s%n", steps, out);
        return 0;
    }

    /** {@code --times}: an sp-node forecast from x0 at times[0] to each later time, with the steps between them. */
    private Integer alongTimes() {
        if (steps != null || dt != null) {
            throw new InvalidDataException("--times gives the forecast times itself; drop --steps and --dt");
        }
        if (times.length < 2) {
            throw new InvalidDataException("--times: give at least two times (x0 is the state at the first)");
        }
        for (int k = 0; k < times.length; k++) {
            if (!Double.isFinite(times[k]) || k > 0 && !(times[k] > times[k - 1])) {
                throw new InvalidDataException("--times must be finite and increasing: " + (k == 0 ? "" : times[k - 1] + " then ") + times[k]);
            }
        }
        for (double v : x0) {
            if (!Double.isFinite(v)) {
                throw new InvalidDataException("--x0 has a non-finite entry " + v);
            }
        }
        if (!(Models.load(model) instanceof StructurePreservingNode node)) {
            throw new InvalidDataException("--times needs an sp-node model (an ODE model steps to any time); " + model + " is not one");
        }
        if (x0.length != node.stateNames().size()) {
            throw new InvalidDataException("--x0 has " + x0.length + " entries but the model has " + node.stateNames().size() + " states "
                    + node.stateNames());
        }
        double[][] states = node.forecast(new double[][] {x0}, times)[0];
        states[0] = x0.clone(); // the given state, as with --steps
        TrajectoryFiles.write(new TrajectorySet(node.stateNames(), List.of(new Trajectory(times, states))), out);
        System.err.printf("wrote %d predicted times to %s%n", times.length - 1, out);
        return 0;
    }
}
