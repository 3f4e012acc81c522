package koopman4j.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.spnode.StructurePreservingNode;

/**
 * Everything an SP-NODE run needs to go on exactly where it stopped, as {@code checkpoints/step-NNNNNNNNN/} (written and
 * kept as {@link Checkpoints} says): {@code state.json} (step, engine, the learning rate of the next step, the last
 * training and validation losses, the lowest batch loss (the divergence guard's reference), the best score and its
 * step, the data split's fingerprint), {@code parameters.bin},
 * {@code moment1.bin} and {@code moment2.bin} (the flat float64 parameters and Adam's moments, with CRC-32s in
 * state.json; Adam's update count is the step) and {@code best/} (the best model so far, in the units the networks
 * see). Batches are drawn from (seed, step), so the step is the sampler's whole state.
 *
 * @param learningRate the rate step {@code step} + 1 takes: a resumed run refuses a config whose schedule differs
 */
record SpNodeCheckpoint(int step, String engine, double[] parameters, double[] firstMoment, double[] secondMoment,
                        double learningRate, double lastLoss, double minLoss, double lastValidationLoss, int bestStep, double bestScore,
                        StructurePreservingNode best, JsonNode split) {

    static final int FORMAT = 1;

    /** Writes this checkpoint, then removes those beyond the newest {@code keep} except the best's; {@code fault} runs halfway (tests). */
    void write(Path checkpoints, int keep, Faults fault) throws IOException {
        Checkpoints.write(checkpoints, step, keep, bestStep, dir -> {
            ObjectNode s = new ObjectMapper().createObjectNode();
            s.put("format", FORMAT);
            s.put("kind", StructurePreservingNode.KIND);
            s.put("step", step);
            s.put("engine", engine);
            Checkpoints.putDoubles(s, dir, "parameters", parameters);
            Checkpoints.putDoubles(s, dir, "moment1", firstMoment);
            fault.checkpoint(dir);
            Checkpoints.putDoubles(s, dir, "moment2", secondMoment);
            Checkpoints.putNumber(s, "learning_rate", learningRate);
            Checkpoints.putNumber(s, "last_loss", lastLoss);
            Checkpoints.putNumber(s, "min_loss", minLoss);
            Checkpoints.putNumber(s, "last_validation_loss", lastValidationLoss);
            s.put("best_step", bestStep);
            Checkpoints.putNumber(s, "best_score", bestScore);
            s.set("split", split);
            if (best != null) {
                best.save(dir.resolve("best"));
            }
            Checkpoints.writeState(dir, s);
        });
    }

    /** The newest checkpoint of a run that reads back whole; a damaged newer one is reported through {@code log} and passed over. */
    static SpNodeCheckpoint latest(Path run, Consumer<String> log) {
        return Checkpoints.latest(run, SpNodeCheckpoint::read, log);
    }

    static SpNodeCheckpoint read(Path dir) throws IOException {
        JsonNode s = Checkpoints.readState(dir, FORMAT);
        if (!StructurePreservingNode.KIND.equals(s.path("kind").asText())) {
            throw new InvalidDataException(dir.resolve("state.json") + ": a " + s.path("kind").asText("Deep DMD")
                    + " checkpoint, not an sp-node one");
        }
        StructurePreservingNode best = Files.isDirectory(dir.resolve("best")) ? StructurePreservingNode.load(dir.resolve("best")) : null;
        return new SpNodeCheckpoint(s.path("step").asInt(), s.path("engine").asText(), Checkpoints.doubles(s, dir, "parameters"),
                Checkpoints.doubles(s, dir, "moment1"), Checkpoints.doubles(s, dir, "moment2"),
                Checkpoints.number(s, "learning_rate"), Checkpoints.number(s, "last_loss"),
                Checkpoints.number(s, "min_loss"), Checkpoints.number(s, "last_validation_loss"), s.path("best_step").asInt(-1),
                Checkpoints.number(s, "best_score"), best, s.path("split"));
    }
}
