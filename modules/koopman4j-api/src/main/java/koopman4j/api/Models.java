package koopman4j.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.model.KoopmanModel;
import koopman4j.edmd.Edmd;
import koopman4j.layers.DeepKoopman;
import koopman4j.layers.spnode.StructurePreservingNode;

/**
 * Loads a saved model of any kind (ARCHITECTURE.md "Saved model"): the directory's {@code model.json}
 * names the kind, {@code deep-dmd}, {@code edmd} or {@code sp-node}, and the model comes back as it was
 * saved, forecasting the same numbers, in any JVM and without training code. A missing, foreign or
 * corrupt directory throws {@code InvalidDataException} naming the file.
 */
public final class Models {

    private Models() {
    }

    /** The model saved in {@code dir} by {@link KoopmanModel#save}. */
    public static KoopmanModel load(Path dir) {
        String kind = kind(dir);
        return switch (kind) {
            case DeepKoopman.KIND -> DeepKoopman.load(dir);
            case Edmd.KIND -> Edmd.load(dir);
            case StructurePreservingNode.KIND -> StructurePreservingNode.load(dir);
            default -> throw new InvalidDataException(dir.resolve("model.json") + ": unknown model kind '" + kind
                    + "'; expected deep-dmd, edmd or sp-node");
        };
    }

    /** The kind a saved model's {@code model.json} names. */
    public static String kind(Path dir) {
        if (dir == null) {
            throw new InvalidDataException("no model directory given");
        }
        Path file = dir.resolve("model.json");
        if (!Files.isDirectory(dir)) {
            throw new InvalidDataException(dir + ": no such model directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(dir + ": not a koopman4j model (no model.json)");
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            if (root == null || !root.hasNonNull("kind")) {
                throw new InvalidDataException(file + ": corrupt model file (no kind)");
            }
            return root.get("kind").asText();
        } catch (IOException e) {
            throw new InvalidDataException(file + ": corrupt model file (not JSON)", e);
        }
    }
}
