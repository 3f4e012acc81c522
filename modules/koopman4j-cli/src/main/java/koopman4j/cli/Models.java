package koopman4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.Forecaster;
import koopman4j.layers.DeepKoopman;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.edmd.Edmd;

/** Loads any saved koopman4j model by the kind in its model.json. */
final class Models {

    private Models() {
    }

    static Forecaster load(Path dir) {
        String kind = kind(dir);
        return switch (kind) {
            case DeepKoopman.KIND -> DeepKoopman.load(dir);
            case "edmd" -> Edmd.load(dir);
            case StructurePreservingNode.KIND -> StructurePreservingNode.load(dir);
            default -> throw new InvalidDataException(dir.resolve("model.json") + ": unknown model kind '" + kind + "'");
        };
    }

    private static String kind(Path dir) {
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

    /** The data's states must be the model's, in the same number. */
    static TrajectorySet matchStates(Forecaster model, TrajectorySet data, Path file) {
        java.util.List<String> expected = model instanceof DeepKoopman deep ? deep.stateNames()
                : model instanceof Edmd edmd ? edmd.names()
                : model instanceof StructurePreservingNode node ? node.stateNames() : data.names();
        if (expected.size() != data.dimension()) {
            throw new InvalidDataException(file + ": has " + data.dimension() + " states " + data.names() + " but the model expects "
                    + expected.size() + " " + expected);
        }
        return data;
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
