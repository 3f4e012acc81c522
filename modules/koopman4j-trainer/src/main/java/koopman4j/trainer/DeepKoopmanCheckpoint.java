package koopman4j.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.io.AtomicFiles;
import koopman4j.layers.DeepKoopman;
import koopman4j.trainer.fused.DeepKoopmanStep;

/**
 * Everything a Deep DMD run needs to go on exactly where it stopped, as {@code checkpoints/step-NNNNNNNNN/}:
 * {@code state.json} (step, curriculum stage, optimiser update count, learning-rate scale, the divergence
 * guard's reference loss, the best score and its step, the data split's fingerprint), {@code parameters.bin}
 * and {@code updater.bin} (the flat float32 parameters and optimiser moments, little-endian, with CRC-32s in
 * state.json), {@code model/} (the parameters as a model {@code evaluate} can load) and {@code best/} (the
 * best model so far). Batches are drawn from (seed, step), so the step is the sampler's whole state.
 * A checkpoint is written beside its final name and renamed into place; older ones are removed only after.
 *
 * @param updater null when the engine does not expose its optimiser's moments (SameDiff)
 */
record DeepKoopmanCheckpoint(int step, int stage, int horizon, String engine, DeepKoopmanStep.State state, double lrScale,
                             double minLoss, double lastLoss, int bestStep, double bestScore, DeepKoopman best, JsonNode split) {

    static final int FORMAT = 1;
    private static final Pattern NAME = Pattern.compile("step-(\\d+)");

    /** The checkpoint directory for a step. */
    static Path directory(Path checkpoints, int step) {
        return checkpoints.resolve(String.format("step-%09d", step));
    }

    /**
     * Writes this checkpoint (with {@code current}, the model at this step) and then removes checkpoints
     * beyond the newest {@code keep}, except the one at the best model's step.
     */
    void write(Path checkpoints, DeepKoopman current, int keep) throws IOException {
        Files.createDirectories(checkpoints);
        Path target = directory(checkpoints, step);
        AtomicFiles.writeDirectory(target, dir -> {
            ObjectMapper json = new ObjectMapper();
            ObjectNode s = json.createObjectNode();
            s.put("format", FORMAT);
            s.put("step", step);
            s.put("stage", stage);
            s.put("horizon", horizon);
            s.put("engine", engine);
            s.put("iteration", state.iteration());
            s.put("parameters", state.parameters().length);
            s.put("parameters_crc32", crc(state.parameters()));
            if (state.updater() != null) {
                s.put("updater", state.updater().length);
                s.put("updater_crc32", crc(state.updater()));
            }
            // doubles as Java's shortest round-trip text, so Infinity and NaN survive and every bit comes back
            s.put("lr_scale", Double.toString(lrScale));
            s.put("min_loss", Double.toString(minLoss));
            s.put("last_loss", Double.toString(lastLoss));
            s.put("best_step", bestStep);
            s.put("best_score", Double.toString(bestScore));
            s.set("split", split);
            Files.write(dir.resolve("parameters.bin"), bytes(state.parameters()));
            if (state.updater() != null) {
                Files.write(dir.resolve("updater.bin"), bytes(state.updater()));
            }
            current.save(dir.resolve("model"));
            if (best != null) {
                best.save(dir.resolve("best"));
            }
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("state.json").toFile(), s);
        });
        List<Integer> steps = steps(checkpoints);
        Set<Integer> kept = new HashSet<>(steps.subList(0, Math.min(keep, steps.size())));
        kept.add(bestStep);
        for (int old : steps) {
            if (!kept.contains(old)) {
                AtomicFiles.deleteTree(directory(checkpoints, old));
            }
        }
    }

    /**
     * The newest checkpoint of a run that reads back whole; a damaged newer one is reported through
     * {@code log} and passed over.
     */
    static DeepKoopmanCheckpoint latest(Path run, Consumer<String> log) {
        Path checkpoints = run.resolve("checkpoints");
        List<Integer> steps;
        try {
            steps = Files.isDirectory(checkpoints) ? steps(checkpoints) : List.of();
        } catch (IOException e) {
            throw new InvalidDataException(checkpoints + ": cannot list checkpoints", e);
        }
        if (steps.isEmpty()) {
            String older = Files.isDirectory(checkpoints.resolve("latest"))
                    ? " (checkpoints/latest is an older format without the optimiser's state; start a new run)" : "";
            throw new InvalidDataException("--resume: " + run + " has no checkpoint to resume from" + older);
        }
        RuntimeException first = null;
        for (int step : steps) {
            Path dir = directory(checkpoints, step);
            try {
                return read(dir);
            } catch (IOException | RuntimeException e) {
                log.accept("checkpoint " + dir + " cannot be read (" + e.getMessage() + "); trying the one before");
                if (first == null) {
                    first = new InvalidDataException("--resume: no checkpoint of " + run + " reads back whole; the newest: "
                            + e.getMessage(), e);
                }
            }
        }
        throw first;
    }

    static DeepKoopmanCheckpoint read(Path dir) throws IOException {
        JsonNode s = new ObjectMapper().readTree(dir.resolve("state.json").toFile());
        if (s.path("format").asInt() != FORMAT) {
            throw new InvalidDataException(dir.resolve("state.json") + ": format " + s.path("format") + ", expected " + FORMAT);
        }
        float[] parameters = floats(dir.resolve("parameters.bin"), s.path("parameters").asInt(-1), s.path("parameters_crc32").asLong());
        float[] updater = s.has("updater")
                ? floats(dir.resolve("updater.bin"), s.path("updater").asInt(-1), s.path("updater_crc32").asLong()) : null;
        DeepKoopman best = Files.isDirectory(dir.resolve("best")) ? DeepKoopman.load(dir.resolve("best")) : null;
        return new DeepKoopmanCheckpoint(s.path("step").asInt(), s.path("stage").asInt(), s.path("horizon").asInt(),
                s.path("engine").asText(), new DeepKoopmanStep.State(parameters, updater, s.path("iteration").asInt()),
                number(s, "lr_scale"), number(s, "min_loss"), number(s, "last_loss"), s.path("best_step").asInt(-1),
                number(s, "best_score"), best, s.path("split"));
    }

    /** Steps of the checkpoints in a directory, newest first (staging directories, named .step-….tmp, are not). */
    static List<Integer> steps(Path checkpoints) throws IOException {
        List<Integer> steps = new ArrayList<>();
        try (var entries = Files.list(checkpoints)) {
            for (Path p : entries.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    steps.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        steps.sort(Comparator.reverseOrder());
        return steps;
    }

    private static double number(JsonNode s, String field) {
        try {
            return Double.parseDouble(s.path(field).asText());
        } catch (NumberFormatException e) {
            throw new InvalidDataException("state.json: " + field + " is '" + s.path(field).asText() + "', expected a number", e);
        }
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static float[] floats(Path file, int count, long crc) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (count < 0 || raw.length != 4L * count) {
            throw new InvalidDataException(file + ": " + raw.length + " bytes, expected " + 4L * count);
        }
        float[] values = new float[count];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        if (crc(values) != crc) {
            throw new InvalidDataException(file + ": CRC-32 does not match state.json (damaged)");
        }
        return values;
    }

    private static long crc(float[] values) {
        CRC32 c = new CRC32();
        c.update(bytes(values));
        return c.getValue();
    }
}
