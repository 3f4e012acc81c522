package koopman4j.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import koopman4j.core.model.KoopmanModel;
import koopman4j.trainer.DeepKoopmanTrainer;
import koopman4j.trainer.SpNodeTrainer;
import koopman4j.trainer.TrainingData;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;

/**
 * One training job: a YAML config (with overrides) → its data (simulated or read) → {@link DeepDmd} or
 * {@link SpNode} → a run directory. The {@code train} command of the CLI and {@code mvn exec} both come here.
 */
public final class TrainJob {

    private TrainJob() {
    }

    /**
     * Trains the model kind the config names; returns the metrics written to {@code out/metrics.json}.
     *
     * @param config    YAML config file
     * @param dataFile  trajectory file overriding data.system / data.path, or null
     * @param out       output directory
     * @param overrides {@code key.path=value} settings applied over the file
     * @param resume    a previous run directory to resume from its latest checkpoint, or null
     */
    public static ObjectNode run(Path config, Path dataFile, Path out, List<String> overrides, Path resume) {
        return run(config, dataFile, out, overrides, resume, TrainingListener.NONE);
    }

    /** The same, telling {@code listener} of every step, evaluation and checkpoint. */
    public static ObjectNode run(Path config, Path dataFile, Path out, List<String> overrides, Path resume, TrainingListener listener) {
        return fit(config, dataFile, out, overrides, resume, listener).metrics();
    }

    /**
     * What a job produced: the selected model, the data split it was trained, selected and tested on, and the
     * metrics written to {@code metrics.json}.
     */
    public record Outcome(KoopmanModel model, TrainingData data, ObjectNode metrics) {
    }

    /** {@link #run} returning the model and its data too (e.g. to draw them, as {@code train --plots} does). */
    public static Outcome fit(Path config, Path dataFile, Path out, List<String> overrides, Path resume, TrainingListener listener) {
        JsonNode tree = ConfigLoader.tree(config, overrides);
        if (dataFile != null) { // --data replaces the config's data source
            ((ObjectNode) tree.get("data")).putNull("system").put("path", dataFile.toString());
        }
        TrainConfig cfg = ConfigLoader.bind(tree, config == null ? "config" : config.toString());
        boolean spNode = TrainConfig.Model.SP_NODE.equals(cfg.model().kind());
        TrainingData data = TrainingData.prepare(cfg.data());
        if (spNode) {
            SpNodeTrainer.Result r = SpNode.fit(data, new SpNode.Options(tree), tree, out, resume, listener);
            return new Outcome(r.model(), data, r.metrics());
        }
        DeepKoopmanTrainer.Result r = DeepDmd.fit(data, new DeepDmd.Options(tree), tree, out, resume, listener);
        return new Outcome(r.model(), data, r.metrics());
    }
}
