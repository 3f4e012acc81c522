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

/**
 * What the Deep DMD and SP-NODE checkpoints share: one directory per step, {@code checkpoints/step-NNNNNNNNN/}, written
 * beside its final name and renamed into place ({@link AtomicFiles#writeDirectory}); a {@code state.json} with a format
 * number; flat arrays as little-endian {@code NAME.bin} files whose length and CRC-32 state.json holds; doubles as
 * Java's round-trip text (Infinity and NaN survive, every bit comes back); retention of the newest k and the best; and
 * resuming from the newest checkpoint that reads back whole.
 */
final class Checkpoints {

    private static final Pattern NAME = Pattern.compile("step-(\\d+)");

    /** Reads one checkpoint directory. */
    @FunctionalInterface
    interface Reader<T> {
        T read(Path dir) throws IOException;
    }

    private Checkpoints() {
    }

    /** The checkpoint directory for a step. */
    static Path directory(Path checkpoints, int step) {
        return checkpoints.resolve(String.format("step-%09d", step));
    }

    /**
     * Writes the checkpoint of {@code step} whole or not at all ({@code contents} fills its staging directory, state.json
     * last), then removes checkpoints beyond the newest {@code keep}, except the one at {@code bestStep}.
     */
    static void write(Path checkpoints, int step, int keep, int bestStep, AtomicFiles.Contents contents) throws IOException {
        Files.createDirectories(checkpoints);
        AtomicFiles.writeDirectory(directory(checkpoints, step), contents);
        List<Integer> steps = steps(checkpoints);
        Set<Integer> kept = new HashSet<>(steps.subList(0, Math.min(keep, steps.size())));
        kept.add(bestStep);
        for (int old : steps) {
            if (!kept.contains(old)) {
                AtomicFiles.deleteTree(directory(checkpoints, old));
            }
        }
    }

    /** Writes state.json into a checkpoint being written. */
    static void writeState(Path dir, ObjectNode state) throws IOException {
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("state.json").toFile(), state);
    }

    /** state.json of a checkpoint, refused unless it has {@code format}. */
    static JsonNode readState(Path dir, int format) throws IOException {
        JsonNode s = new ObjectMapper().readTree(dir.resolve("state.json").toFile());
        if (s.path("format").asInt() != format) {
            throw new InvalidDataException(dir.resolve("state.json") + ": format " + s.path("format") + ", expected " + format);
        }
        return s;
    }

    /**
     * The newest checkpoint of a run that reads back whole; a damaged newer one is reported through {@code log} and
     * passed over.
     */
    static <T> T latest(Path run, Reader<T> reader, Consumer<String> log) {
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
                return reader.read(dir);
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

    /** A double as round-trip text. */
    static void putNumber(ObjectNode s, String field, double value) {
        s.put(field, Double.toString(value));
    }

    static double number(JsonNode s, String field) {
        try {
            return Double.parseDouble(s.path(field).asText());
        } catch (NumberFormatException e) {
            throw new InvalidDataException("state.json: " + field + " is '" + s.path(field).asText() + "', expected a number", e);
        }
    }

    /** Writes {@code NAME.bin} (float32) and records its length and CRC-32 in state.json as {@code NAME}, {@code NAME_crc32}. */
    static void putFloats(ObjectNode s, Path dir, String name, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        put(s, dir, name, values.length, b.array());
    }

    /** Writes {@code NAME.bin} (float64) and records its length and CRC-32 in state.json. */
    static void putDoubles(ObjectNode s, Path dir, String name, double[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        put(s, dir, name, values.length, b.array());
    }

    static float[] floats(JsonNode s, Path dir, String name) throws IOException {
        ByteBuffer b = checked(s, dir, name, 4);
        float[] values = new float[b.remaining() / 4];
        b.asFloatBuffer().get(values);
        return values;
    }

    static double[] doubles(JsonNode s, Path dir, String name) throws IOException {
        ByteBuffer b = checked(s, dir, name, 8);
        double[] values = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(values);
        return values;
    }

    private static void put(ObjectNode s, Path dir, String name, int count, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name + ".bin"), bytes);
        s.put(name, count);
        s.put(name + "_crc32", crc(bytes));
    }

    /** The bytes of NAME.bin, refused unless their length and CRC-32 are those state.json records. */
    private static ByteBuffer checked(JsonNode s, Path dir, String name, int width) throws IOException {
        Path file = dir.resolve(name + ".bin");
        int count = s.path(name).asInt(-1);
        byte[] raw = Files.readAllBytes(file);
        if (count < 0 || raw.length != (long) width * count) {
            throw new InvalidDataException(file + ": " + raw.length + " bytes, expected " + (long) width * count);
        }
        if (crc(raw) != s.path(name + "_crc32").asLong()) {
            throw new InvalidDataException(file + ": CRC-32 does not match state.json (damaged)");
        }
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }

    /**
     * A seed per (stream seed, step): SplitMix64's finaliser over the seed advanced by {@code step} golden-ratio increments.
     * Batches drawn from it depend on (seed, step) alone, so the step is the sampler's whole state in a checkpoint.
     */
    static long stepSeed(long seed, int step) {
        long z = seed + (step + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
