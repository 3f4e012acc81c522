package koopman4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import koopman4j.api.Models;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.model.KoopmanModel;
import koopman4j.layers.spnode.StructurePreservingNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code predict}: roll a saved model out from one state ({@link KoopmanModel#predict}). */
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

    @Option(names = "--dt", description = "time step: any for an sp-node model, the model's own for Deep DMD and E-DMD (default: the model's)")
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
        // the flags are checked here so that the message names them; the API checks the same again
        if (steps < 1) {
            throw new InvalidDataException("--steps must be at least 1, got " + steps);
        }
        for (double v : x0) {
            if (!Double.isFinite(v)) {
                throw new InvalidDataException("--x0 has a non-finite entry " + v);
            }
        }
        KoopmanModel m = Models.load(model);
        if (x0.length != m.inputNames().size()) {
            throw new InvalidDataException("--x0 has " + x0.length + " entries but the model has " + m.inputNames().size() + " states "
                    + m.inputNames());
        }
        Trajectory forecast;
        if (m instanceof StructurePreservingNode node && dt != null) {
            forecast = node.predict(x0, steps, dt); // an ODE model forecasts with any step
        } else {
            if (dt != null && !(Math.abs(dt - m.dt()) <= 1e-9 * m.dt())) {
                throw new InvalidDataException("--dt " + dt + " differs from the model's step " + m.dt() + "; a Koopman matrix is tied to its step");
            }
            forecast = m.predict(x0, steps);
        }
        TrajectoryFiles.write(new TrajectorySet(m.stateNames(), List.of(forecast)), out);
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
