package koopman4j.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import koopman4j.core.data.TrajectorySet;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.trainer.SpNodeTrainer;
import koopman4j.trainer.TrainingData;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.config.TrainConfig;

/**
 * The structure-preserving neural ODE (seed 001): fits du/dt = A_L u + g(u), with A_L Hurwitz-shifted by μ
 * for every parameter value (eq. 3–5), g bilinear (eq. 6), Lipschitz-controlled (eq. 7–8) or absent, an
 * optional autoencoder (§2.4), integrated by ETD1 through expmv (eq. 15–19), IMEX or RK4 across the
 * training times and trained on the time-integrated loss (eq. 20); the result is an immutable
 * {@link StructurePreservingNode} that forecasts with any step and whose {@code stability()} certifies
 * A_L by β(A_L − μI).
 *
 * <pre>{@code
 * SpNode.Options options = SpNode.Options.defaults().with("model.nonlinear.kind=bilinear", "training.steps=500");
 * StructurePreservingNode model = SpNode.fit(data, options);
 * }</pre>
 *
 * Trajectories may be sampled non-uniformly but must share the times of {@code data.trainSamples}; the
 * split is {@code train}'s (see {@link DeepDmd}). Bad options or data throw {@code InvalidDataException}.
 */
public final class SpNode {

    private SpNode() {
    }

    /** The SP-NODE's hyperparameters: an sp-node config's model, data split and training sections. */
    public static final class Options extends TrainingOptions {

        Options(JsonNode tree) {
            super(tree, TrainConfig.Model.SP_NODE);
        }

        /** The defaults (μ = 0, Lipschitz g of 2 × 100 tanh with L = 1, no autoencoder, ETD1). */
        public static Options defaults() {
            return new Options(defaults(TrainConfig.Model.SP_NODE));
        }

        /** An sp-node YAML config over the defaults, e.g. {@code examples/configs/transient-growth-etd1.yaml}. */
        public static Options fromYaml(Path file) {
            return new Options(yaml(file));
        }

        /** The same options with settings changed by path, e.g. {@code with("model.integrator=imex")}. */
        public Options with(String... settings) {
            return new Options(tree(settings));
        }
    }

    /** Fits a model to {@code data}, logging its progress. */
    public static StructurePreservingNode fit(TrajectorySet data, Options options) {
        return fit(data, options, TrainingListener.NONE);
    }

    /** The same, telling {@code listener} of every evaluation. */
    public static StructurePreservingNode fit(TrajectorySet data, Options options, TrainingListener listener) {
        TrainingData split = TrainingData.split(data, options.config().data(), "in memory: " + data.size() + " trajectories of "
                + data.names());
        return fit(split, options, DeepDmd.inMemory(options), null, listener).model();
    }

    /**
     * Fits a model to an explicit split, into a run directory when {@code run} is given (model/, metrics.json,
     * train.log). Returns the selected model and its metrics.
     *
     * @param provenance the config saved with the model as provenance, or null for the options' own
     * @param run        the run directory, or null to keep everything in memory
     */
    public static SpNodeTrainer.Result fit(TrainingData data, Options options, JsonNode provenance, Path run, TrainingListener listener) {
        return fit(data, options, provenance, run, null, listener);
    }

    /** The same, going on from the newest checkpoint of {@code resume} (a run directory) when it is given. */
    public static SpNodeTrainer.Result fit(TrainingData data, Options options, JsonNode provenance, Path run, Path resume,
                                           TrainingListener listener) {
        try {
            return new SpNodeTrainer(options.config(), provenance != null ? provenance : options.toTree(), data, run, listener).train(resume);
        } catch (IOException e) {
            throw new UncheckedIOException("training run " + run + ": " + e.getMessage(), e);
        }
    }
}
