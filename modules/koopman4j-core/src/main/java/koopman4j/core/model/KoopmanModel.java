package koopman4j.core.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.Evaluation;
import koopman4j.core.metrics.Forecaster;
import koopman4j.core.stability.StabilityCertificate;

/**
 * What every trained koopman4j model offers its users, whatever its kind: Deep DMD
 * ({@code koopman4j.layers.DeepKoopman}, seed 000 §2.2), E-DMD ({@code koopman4j.edmd.Edmd}, seed 000
 * §2.1) and the structure-preserving neural ODE ({@code koopman4j.layers.spnode.StructurePreservingNode},
 * seed 001). A model is immutable: it forecasts from one state ({@link #predict}), scores itself on data
 * ({@link #evaluate}), certifies the stability of its linear part ({@link #stability}, seed 002) and saves
 * itself into a directory that {@code koopman4j.api.Models.load} reads back, in any JVM, forecasting the
 * same numbers. Bad input (a state of the wrong size, data with other states) throws
 * {@link InvalidDataException} with one line saying what is wrong.
 */
public interface KoopmanModel extends Forecaster {

    /** The kind written to model.json: {@code deep-dmd}, {@code edmd} or {@code sp-node}. */
    String kind();

    /** The measured states the model forecasts, in order. */
    List<String> stateNames();

    /**
     * The entries of the state a forecast starts from: {@link #stateNames()}, or for a model with a
     * delay embedding its delay vector [y_k, y_{k−lag}, …].
     */
    default List<String> inputNames() {
        return stateNames();
    }

    /** The time between two forecast samples. */
    double dt();

    /**
     * The model's forecast from {@code x0}: a trajectory of {@code steps + 1} samples at times 0, dt, …,
     * steps·dt, the first being x0's measured states and the rest the model's multi-step forecast (Deep
     * DMD and E-DMD: ψ_k = K^k ψ(x₀) read back; SP-NODE: the integrator's steps).
     *
     * @param x0    the initial state, one entry per {@link #inputNames()}
     * @param steps how many steps to forecast, at least 1
     */
    default Trajectory predict(double[] x0, int steps) {
        checkInitialState(this, x0, steps);
        double[][] path = rollout(new double[][] {x0.clone()}, steps)[0];
        double[] times = new double[steps + 1];
        double[][] states = new double[steps + 1][];
        states[0] = Arrays.copyOf(x0, stateNames().size());
        double step = Double.isFinite(dt()) && dt() > 0 ? dt() : 1; // a model without a known step counts samples
        for (int k = 1; k <= steps; k++) {
            times[k] = k * step;
            states[k] = path[k - 1];
        }
        return new Trajectory(times, states);
    }

    /**
     * The model's errors on {@code data} (trajectories of the model's measured states, in its units):
     * one-step, and the rollout from each trajectory's first sample at each horizon (ARCHITECTURE.md
     * "Errors reported"). A horizon longer than a trajectory is cut to its length.
     *
     * @param horizons rollout horizons, each at least 1
     */
    default Evaluation evaluate(TrajectorySet data, int... horizons) {
        checkData(this, data, horizons);
        return Evaluation.of(this, data, horizons);
    }

    /** The stability certificate of the model's linear part (seed 002; ρ(K) and γ(K), or A_L's abscissa and β). */
    StabilityCertificate stability();

    /** Writes the model into {@code dir} (created if needed): {@code model.json} with its kind, and what the kind needs. */
    void save(Path dir) throws IOException;

    /** Refuses an initial state that does not fit this model, and a forecast of no steps. */
    static void checkInitialState(KoopmanModel model, double[] x0, int steps) {
        if (steps < 1) {
            throw new InvalidDataException("predict: steps must be at least 1, got " + steps);
        }
        List<String> inputs = model.inputNames();
        if (x0 == null || x0.length != inputs.size()) {
            throw new InvalidDataException("predict: x0 has " + (x0 == null ? 0 : x0.length) + " entries but the model's state has "
                    + inputs.size() + " " + inputs);
        }
        for (int i = 0; i < x0.length; i++) {
            if (!Double.isFinite(x0[i])) {
                throw new InvalidDataException("predict: x0[" + i + "] (" + inputs.get(i) + ") is " + x0[i]);
            }
        }
    }

    /** Refuses data whose states are not the model's, and horizons below 1. */
    static void checkData(KoopmanModel model, TrajectorySet data, int... horizons) {
        List<String> expected = model.stateNames();
        if (data.dimension() != expected.size()) {
            throw new InvalidDataException("data has " + data.dimension() + " states " + data.names() + " but the model expects "
                    + expected.size() + " " + expected);
        }
        if (horizons.length == 0) {
            throw new InvalidDataException("evaluate: give at least one rollout horizon");
        }
        for (int h : horizons) {
            if (h < 1) {
                throw new InvalidDataException("evaluate: rollout horizon must be at least 1, got " + h);
            }
        }
    }
}
