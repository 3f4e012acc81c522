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

    @Option(names = "--steps", required = true, description = "steps to predict")
    int steps;

    @Option(names = "--dt", description = "time step: any for an sp-node model, the model's own for Deep DMD and E-DMD (default: the model's)")
    Double dt;

    @Option(names = "--out", required = true, description = "output CSV")
    Path out;

    @Override
    public Integer call() {
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
}
