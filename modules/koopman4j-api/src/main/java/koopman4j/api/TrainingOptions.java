package koopman4j.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;

/**
 * The hyperparameters of a trained model (Deep DMD's {@link DeepDmd.Options}, the SP-NODE's
 * {@link SpNode.Options}): the sections {@code model}, {@code data} (its split: {@code testFraction},
 * {@code validationFraction}, {@code seed}, {@code observe}, {@code trainSamples}) and {@code training}
 * of a YAML config (ARCHITECTURE.md "Config"), bound to the validated {@link TrainConfig} records,
 * which are the one place that knows a valid setting. Options round-trip to the config tree: a
 * setting is changed by its path, as {@code train --set} changes it, and what a model was trained
 * with is saved beside it as YAML. Immutable.
 */
public abstract sealed class TrainingOptions permits DeepDmd.Options, SpNode.Options {

    private final JsonNode tree;
    private final TrainConfig config;

    TrainingOptions(JsonNode tree, String kind) {
        this.tree = tree.deepCopy();
        this.config = ConfigLoader.bind(this.tree, TrainConfig.class, "options");
        if (!kind.equals(config.model().kind())) {
            throw new InvalidDataException("options: model.kind is '" + config.model().kind() + "'; " + getClass().getEnclosingClass()
                    .getSimpleName() + " trains " + kind + " models");
        }
    }

    /** The defaults of a model kind (the trainer's defaults.yaml), with no data source. */
    static JsonNode defaults(String kind) {
        return ConfigLoader.tree(null, List.of("model.kind=" + kind));
    }

    /** A YAML config over the defaults. */
    static JsonNode yaml(Path file) {
        if (file == null) {
            throw new InvalidDataException("options: no config file given");
        }
        return ConfigLoader.tree(file, List.of());
    }

    /** The tree with {@code key.path=value} settings applied. */
    JsonNode tree(String... settings) {
        if (settings == null) {
            throw new InvalidDataException("options: no settings given");
        }
        return ConfigLoader.override(tree, List.of(settings), "options");
    }

    /** The validated settings, section by section. */
    public TrainConfig config() {
        return config;
    }

    /** The settings as a config tree (a copy), as a YAML file would hold them. */
    public ObjectNode toTree() {
        return tree.deepCopy();
    }

    /** The settings as YAML, e.g. to save next to a model or to pass to {@code train --config}. */
    public String toYaml() {
        return ConfigLoader.toYaml(tree);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && tree.equals(((TrainingOptions) o).tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode();
    }

    @Override
    public String toString() {
        return toYaml();
    }
}
