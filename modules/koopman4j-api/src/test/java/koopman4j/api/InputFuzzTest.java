package koopman4j.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.MatrixFiles;
import koopman4j.core.data.Normalisation;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.edmd.Edmd;
import koopman4j.layers.Activation;
import koopman4j.layers.DeepDictionary;
import koopman4j.layers.DeepKoopman;
import koopman4j.layers.DeepKoopmanGraph;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.trainer.config.ConfigLoader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Fuzzing of every reader where data enters (issue 16): valid CSV and NPY trajectory files, a YAML config and saved
 * models of each kind, mutated by byte flips, truncations, inserted junk and tokens (NaN, Infinity, huge numbers,
 * separators, YAML syntax). Each mutated input must either read back as valid data (finite states, increasing times)
 * or be refused with the project's bad-input error, {@link InvalidDataException}, in one line, within 30 s (generous:
 * a read takes milliseconds, but the build machine may be loaded); any other exception, an error (e.g. OutOfMemoryError)
 * or a hang fails. Tries are sized so the suite takes well under a
 * minute; jqwik shrinks a failure to its smallest mutation list and prints its seed.
 */
class InputFuzzTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final List<String> TOKENS = List.of("NaN", "nan", "Infinity", "-Infinity", "inf", "1e400", "-1e400", "1e308",
            "4.9e-324", "99999999999999999999999999", "-0", "0x1p3", "", ",", ";", "\n", "\r\n", "\"", "'", "\0", "#", " ", "\t",
            "null", "[", "]", "{", "}", ":", "- ", "!!binary ", "&a ", "*a", "~", "true", "-1", "2147483648", "9".repeat(400),
            "\uFEFF", "é", "\\u0000");

    private static Path root;
    private static byte[] csv;
    private static byte[] npy;
    private static byte[] npySidecar;
    private static byte[] yaml;
    private static byte[] edmdJson;
    private static byte[] spNodeJson;
    private static byte[] deepJson;
    private static byte[] deepGraph;
    private static byte[] matrix;

    /** One edit of a seed input: what, where (a fraction of its length) and with what. */
    record Mutation(int kind, double at, int length, byte value, String token) {

        byte[] apply(byte[] in) {
            int pos = (int) (at * in.length);
            byte[] t = token.getBytes(StandardCharsets.UTF_8);
            return switch (kind) {
                case 0 -> { // flip a byte
                    byte[] out = in.clone();
                    if (out.length > 0) {
                        out[Math.min(pos, out.length - 1)] ^= value == 0 ? 1 : value;
                    }
                    yield out;
                }
                case 1 -> java.util.Arrays.copyOf(in, pos); // truncate
                case 2 -> splice(in, pos, 0, t); // insert a token
                case 3 -> splice(in, pos, Math.min(length, in.length - pos), t); // replace a stretch by a token
                case 4 -> { // insert junk bytes
                    byte[] junk = new byte[length];
                    for (int i = 0; i < length; i++) {
                        junk[i] = (byte) (value + 31 * i);
                    }
                    yield splice(in, pos, 0, junk);
                }
                default -> splice(in, pos, 0, java.util.Arrays.copyOfRange(in, pos, Math.min(in.length, pos + length))); // repeat
            };
        }

        private static byte[] splice(byte[] in, int pos, int remove, byte[] insert) {
            byte[] out = new byte[in.length - remove + insert.length];
            System.arraycopy(in, 0, out, 0, pos);
            System.arraycopy(insert, 0, out, pos, insert.length);
            System.arraycopy(in, pos + remove, out, pos + insert.length, in.length - pos - remove);
            return out;
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 24), Arbitraries.bytes(), Arbitraries.of(TOKENS)).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    @BeforeContainer
    static void seeds() throws IOException {
        root = Files.createTempDirectory("koopman4j-fuzz");
        List<Trajectory> ts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            double[] times = new double[5];
            double[][] states = new double[5][];
            for (int k = 0; k < 5; k++) {
                times[k] = 0.1 * k;
                states[k] = new double[] {Math.cos(0.3 * k + i), 1.5e-3 * k - i};
            }
            ts.add(new Trajectory(times, states));
        }
        TrajectorySet data = new TrajectorySet(List.of("x", "y"), ts);
        TrajectoryFiles.write(data, root.resolve("seed.csv"));
        TrajectoryFiles.write(data, root.resolve("seed.npy"));
        csv = Files.readAllBytes(root.resolve("seed.csv"));
        npy = Files.readAllBytes(root.resolve("seed.npy"));
        npySidecar = Files.readAllBytes(root.resolve("seed.json"));
        yaml = """
                model:
                  kind: sp-node
                  linear: { mu: -0.5, initialRates: [0.5, 1.0] }
                  nonlinear: { kind: lipschitz, layers: 1, width: 8, lipschitzBound: 1.0 }
                  integrator: etd1
                data: { system: transient-growth, trajectories: 40, steps: 5, dt: 0.2, seed: 3, trainSamples: [0, 5] }
                training:
                  learningRate: 1.0e-2
                  finalLearningRate: 1.0e-3
                  batchSize: 16
                  steps: 40
                  divergence: { retries: 2, lrFactor: 0.5, explosion: 1.0e4 }
                """.getBytes(StandardCharsets.UTF_8);
        Edmd.fit(data, Edmd.Options.of("legendre", 2, 0, 0, 0, 1)).save(root.resolve("edmd"));
        edmdJson = Files.readAllBytes(root.resolve("edmd/model.json"));
        StructurePreservingNode.Options sp = new StructurePreservingNode.Options(2,
                new koopman4j.layers.spnode.HurwitzLinear.Options(2, -0.5, List.of()), null, null, null,
                koopman4j.layers.integrators.Integrator.ETD1);
        new StructurePreservingNode(sp, StructurePreservingNode.declare(SameDiff.create(), sp, DataType.DOUBLE, 1), List.of("x", "y"),
                0.1, null).save(root.resolve("sp"));
        spNodeJson = Files.readAllBytes(root.resolve("sp/model.json"));
        DeepDictionary.Options dict = new DeepDictionary.Options(2, 1, 4, 3, Activation.TANH, false, 0);
        new DeepKoopman(DeepKoopmanGraph.inference(dict, DataType.FLOAT), Normalisation.identity(2), dict, DelayEmbedding.NONE,
                List.of("x", "y"), 0.1, null).save(root.resolve("deep"));
        deepJson = Files.readAllBytes(root.resolve("deep/model.json"));
        deepGraph = Files.readAllBytes(root.resolve("deep/graph.fb"));
        assertTrue(new String(deepJson, StandardCharsets.UTF_8).matches("(?s).*,\\s*\"graph_crc32\"\\s*:\\s*\\d+.*"));
        MatrixFiles.write(new double[][] {{-1, 0.5}, {0, -2}}, root.resolve("seed-matrix.csv"));
        matrix = Files.readAllBytes(root.resolve("seed-matrix.csv"));
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 1200)
    void csvTrajectories(@ForAll("mutations") List<Mutation> edits) throws IOException {
        Path file = write("data.csv", mutate(csv, edits));
        readsValidOrRefuses(() -> assertValid(TrajectoryFiles.read(file)));
    }

    @Property(tries = 1000)
    void npyTrajectories(@ForAll("mutations") List<Mutation> edits, @ForAll boolean sidecar) throws IOException {
        Path file = write("data.npy", sidecar ? npy : mutate(npy, edits));
        write("data.json", sidecar ? mutate(npySidecar, edits) : npySidecar);
        readsValidOrRefuses(() -> assertValid(TrajectoryFiles.read(file)));
    }

    @Property(tries = 400)
    void matrices(@ForAll("mutations") List<Mutation> edits) throws IOException {
        Path file = write("matrix.csv", mutate(matrix, edits));
        readsValidOrRefuses(() -> {
            for (double[] row : MatrixFiles.read(file)) {
                for (double v : row) {
                    assertTrue(Double.isFinite(v));
                }
            }
        });
    }

    @Property(tries = 700)
    void yamlConfigs(@ForAll("mutations") List<Mutation> edits) throws IOException {
        Path file = write("config.yaml", mutate(yaml, edits));
        readsValidOrRefuses(() -> ConfigLoader.load(file, List.of()));
    }

    @Property(tries = 300)
    void edmdModels(@ForAll("mutations") List<Mutation> edits) throws IOException {
        Path dir = Files.createDirectories(root.resolve("edmd-fuzz"));
        Files.write(dir.resolve("model.json"), mutate(edmdJson, edits));
        readsValidOrRefuses(() -> Models.load(dir));
    }

    @Property(tries = 300)
    void spNodeModels(@ForAll("mutations") List<Mutation> edits) throws IOException {
        Path dir = Files.createDirectories(root.resolve("sp-fuzz"));
        Files.write(dir.resolve("model.json"), mutate(spNodeJson, edits));
        readsValidOrRefuses(() -> Models.load(dir));
    }

    /** With {@code legacy}, model.json without graph.fb's CRC-32 (as saved before it had one): SameDiff reads the damaged graph. */
    @Property(tries = 150)
    void deepDmdModels(@ForAll("mutations") List<Mutation> edits, @ForAll boolean graph, @ForAll boolean legacy) throws IOException {
        Path dir = Files.createDirectories(root.resolve("deep-fuzz"));
        byte[] json = legacy ? new String(deepJson, StandardCharsets.UTF_8).replaceAll(",\\s*\"graph_crc32\"\\s*:\\s*\\d+", "")
                .getBytes(StandardCharsets.UTF_8) : deepJson;
        Files.write(dir.resolve("model.json"), graph ? json : mutate(json, edits));
        Files.write(dir.resolve("graph.fb"), graph ? mutate(deepGraph, edits) : deepGraph);
        readsValidOrRefuses(() -> Models.load(dir));
    }

    private static byte[] mutate(byte[] seed, List<Mutation> edits) {
        byte[] b = seed;
        for (Mutation m : edits) {
            b = m.apply(b);
        }
        return b;
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(root.resolve(name), bytes);
    }

    /** A read that gives valid data or the project's one-line bad-input error, in time; anything else fails. */
    private static void readsValidOrRefuses(Runnable read) {
        assertTimeoutPreemptively(PATIENCE, () -> {
            try {
                read.run();
            } catch (InvalidDataException e) {
                String m = e.getMessage();
                assertTrue(m != null && !m.isBlank(), "an InvalidDataException without a message");
                assertFalse(m.contains("\n"), "a message of more than one line: " + m);
            } catch (Throwable other) {
                fail("not the project's bad-input error: " + other, other);
            }
        });
    }

    private static void assertValid(TrajectorySet set) {
        assertFalse(set.trajectories().isEmpty());
        for (Trajectory t : set.trajectories()) {
            double[] times = t.times();
            for (int k = 0; k < times.length; k++) {
                assertTrue(Double.isFinite(times[k]), "time " + times[k]);
                assertTrue(k == 0 || times[k] > times[k - 1], "times not increasing");
                assertTrue(t.states()[k].length == set.names().size(), "row width");
                for (double v : t.states()[k]) {
                    assertTrue(Double.isFinite(v), "state " + v);
                }
            }
        }
    }
}
