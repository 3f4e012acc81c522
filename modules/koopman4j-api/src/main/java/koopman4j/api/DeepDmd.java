package koopman4j.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import koopman4j.core.data.TrajectorySet;
import koopman4j.layers.DeepKoopman;
import koopman4j.trainer.DeepKoopmanTrainer;
import koopman4j.trainer.TrainingData;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.config.TrainConfig;

/**
 * Deep DMD (seed 000, §2.2, eq. 8): fits a deep dictionary ψ(x) = [x, N_θ(x)] and a Koopman matrix K
 * together, so that ψ(x_{k+1}) ≈ Kψ(x_k), with the multi-step terms of the rollout curriculum; the
 * result is an immutable {@link DeepKoopman} that forecasts ψ_k = K^kψ(x₀) from one state.
 *
 * <pre>{@code
 * DeepKoopman model = DeepDmd.fit(data, DeepDmd.Options.defaults().with("training.steps=2000"));
 * Trajectory forecast = model.predict(x0, 500);
 * }</pre>
 *
 * The data are split by whole trajectories as {@code train} splits them: {@code data.testFraction} held
 * out (scored once, on the model kept), {@code data.validationFraction} of the rest to select the best
 * step, the remainder trained on; the same options on the same data give the same model as
 * {@code bin/koopman4j train}. Bad options or data throw {@code InvalidDataException} with one line.
 */
public final class DeepDmd {

    private DeepDmd() {
    }

    /** Deep DMD's hyperparameters: a deep-dmd config's model, data split and training sections. */
    public static final class Options extends TrainingOptions {

        Options(JsonNode tree) {
            super(tree, TrainConfig.Model.DEEP_DMD);
        }

        /** The defaults (dictionary 3 × 64 ELU, 20 functions; 20000 Adam steps of 256 pairs), as {@code train} starts from. */
        public static Options defaults() {
            return new Options(defaults(TrainConfig.Model.DEEP_DMD));
        }

        /** A deep-dmd YAML config over the defaults, e.g. {@code examples/configs/glycolysis-ddmd.yaml}. */
        public static Options fromYaml(Path file) {
            return new Options(yaml(file));
        }

        /** The same options with settings changed by path, e.g. {@code with("training.steps=300", "model.dictionary.width=32")}. */
        public Options with(String... settings) {
            return new Options(tree(settings));
        }
    }

    /** Fits a model to {@code data} (trajectories of the measured states, one uniform step), logging its progress. */
    public static DeepKoopman fit(TrajectorySet data, Options options) {
        return fit(data, options, TrainingListener.NONE);
    }

    /** The same, telling {@code listener} of every evaluation and checkpoint. */
    public static DeepKoopman fit(TrajectorySet data, Options options, TrainingListener listener) {
        TrainingData split = TrainingData.split(data, options.config().data(), "in memory: " + data.size() + " trajectories of "
                + data.names());
        return fit(split, options, inMemory(options), null, null, listener).model();
    }

    /**
     * Fits a model to an explicit split, into a run directory when {@code run} is given (model/, metrics.json,
     * train.log, checkpoints/: what {@code bin/koopman4j train} writes), optionally resuming such a directory
     * from its last checkpoint. Returns the selected model and its metrics (metrics.json's content).
     *
     * @param provenance the config saved with the model as provenance, or null for the options' own
     * @param run        the run directory, or null to keep everything in memory
     * @param resumeFrom a previous run directory to resume, or null
     */
    public static DeepKoopmanTrainer.Result fit(TrainingData data, Options options, JsonNode provenance, Path run, Path resumeFrom,
                                                TrainingListener listener) {
        try {
            return new DeepKoopmanTrainer(options.config(), provenance != null ? provenance : options.toTree(), data, run, listener)
                    .train(resumeFrom);
        } catch (IOException e) {
            throw new UncheckedIOException("training run " + run + ": " + e.getMessage(), e);
        }
    }

    /** The options as provenance of a model fitted to data in memory: no system or file named. */
    static ObjectNode inMemory(TrainingOptions options) {
        ObjectNode tree = options.toTree();
        ((ObjectNode) tree.get("data")).putNull("system").putNull("path");
        return tree;
    }
}
