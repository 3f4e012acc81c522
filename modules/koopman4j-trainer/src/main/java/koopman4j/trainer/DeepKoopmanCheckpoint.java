package koopman4j.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import koopman4j.layers.DeepKoopman;
import koopman4j.trainer.fused.DeepKoopmanStep;

/**
 * Everything a Deep DMD run needs to go on exactly where it stopped, as {@code checkpoints/step-NNNNNNNNN/}
 * (written and kept as {@link Checkpoints} says): {@code state.json} (step, curriculum stage, optimiser update count,
 * learning-rate scale, the divergence guard's reference loss, the best score and its step, the data split's
 * fingerprint), {@code parameters.bin} and {@code updater.bin} (the flat float32 parameters and optimiser moments, with
 * CRC-32s in state.json), {@code model/} (the parameters as a model {@code evaluate} can load) and {@code best/} (the
 * best model so far). Batches are drawn from (seed, step), so the step is the sampler's whole state.
 *
 * @param updater null when the engine does not expose its optimiser's moments (SameDiff)
 */
record DeepKoopmanCheckpoint(int step, int stage, int horizon, String engine, DeepKoopmanStep.State state, double lrScale,
                             double minLoss, double lastLoss, int bestStep, double bestScore, DeepKoopman best, JsonNode split) {

    static final int FORMAT = 1;

    /** The checkpoint directory for a step. */
    static Path directory(Path checkpoints, int step) {
        return Checkpoints.directory(checkpoints, step);
    }

    /**
     * Writes this checkpoint (with {@code current}, the model at this step) and then removes checkpoints
     * beyond the newest {@code keep}, except the one at the best model's step; {@code fault} runs halfway (tests).
     */
    void write(Path checkpoints, DeepKoopman current, int keep, Faults fault) throws IOException {
        Checkpoints.write(checkpoints, step, keep, bestStep, dir -> {
            ObjectNode s = new ObjectMapper().createObjectNode();
            s.put("format", FORMAT);
            s.put("step", step);
            s.put("stage", stage);
            s.put("horizon", horizon);
            s.put("engine", engine);
            s.put("iteration", state.iteration());
            Checkpoints.putFloats(s, dir, "parameters", state.parameters());
            if (state.updater() != null) {
                Checkpoints.putFloats(s, dir, "updater", state.updater());
            }
            fault.checkpoint(dir);
            Checkpoints.putNumber(s, "lr_scale", lrScale);
            Checkpoints.putNumber(s, "min_loss", minLoss);
            Checkpoints.putNumber(s, "last_loss", lastLoss);
            s.put("best_step", bestStep);
            Checkpoints.putNumber(s, "best_score", bestScore);
            s.set("split", split);
            current.save(dir.resolve("model"));
            if (best != null) {
                best.save(dir.resolve("best"));
            }
            Checkpoints.writeState(dir, s);
        });
    }

    /**
     * The newest checkpoint of a run that reads back whole; a damaged newer one is reported through
     * {@code log} and passed over.
     */
    static DeepKoopmanCheckpoint latest(Path run, Consumer<String> log) {
        return Checkpoints.latest(run, DeepKoopmanCheckpoint::read, log);
    }

    static DeepKoopmanCheckpoint read(Path dir) throws IOException {
        JsonNode s = Checkpoints.readState(dir, FORMAT);
        float[] parameters = Checkpoints.floats(s, dir, "parameters");
        float[] updater = s.has("updater") ? Checkpoints.floats(s, dir, "updater") : null;
        DeepKoopman best = Files.isDirectory(dir.resolve("best")) ? DeepKoopman.load(dir.resolve("best")) : null;
        return new DeepKoopmanCheckpoint(s.path("step").asInt(), s.path("stage").asInt(), s.path("horizon").asInt(),
                s.path("engine").asText(), new DeepKoopmanStep.State(parameters, updater, s.path("iteration").asInt()),
                Checkpoints.number(s, "lr_scale"), Checkpoints.number(s, "min_loss"), Checkpoints.number(s, "last_loss"),
                s.path("best_step").asInt(-1), Checkpoints.number(s, "best_score"), best, s.path("split"));
    }

    /** Steps of the checkpoints in a directory, newest first. */
    static List<Integer> steps(Path checkpoints) throws IOException {
        return Checkpoints.steps(checkpoints);
    }
}
