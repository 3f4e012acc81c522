package koopman4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Normalisation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link DeepKoopman#save} replaces a model directory whole; {@link DeepKoopman#load} refuses damaged weights and dt. */
class DeepKoopmanSaveLoadTest {

    @TempDir
    Path dir;

    private static DeepKoopman model(double dt) {
        DeepDictionary.Options dict = new DeepDictionary.Options(2, 1, 4, 3, Activation.ELU, false, 0);
        SameDiff graph = DeepKoopmanGraph.inference(dict, DataType.FLOAT);
        return new DeepKoopman(graph, new Normalisation(new double[] {0, 0}, new double[] {1, 1}), dict, DelayEmbedding.NONE,
                List.of("a", "b"), dt, null);
    }

    @Test
    void saveReplacesTheDirectoryWholeAndLeavesNothingBeside() throws IOException {
        Path m = dir.resolve("model");
        Files.createDirectories(m);
        Files.writeString(m.resolve("left-over"), "from another save");
        model(0.1).save(m);
        assertFalse(Files.exists(m.resolve("left-over")));
        assertTrue(Files.isRegularFile(m.resolve("graph.fb")) && Files.isRegularFile(m.resolve("model.json")));
        try (var entries = Files.list(dir)) {
            assertEquals(1, entries.count());
        }
        assertEquals(0.1, DeepKoopman.load(m).dt());
    }

    @Test
    void rejectsAModelWithNonFiniteWeights() throws IOException {
        DeepKoopman bad = model(0.1);
        bad.graph().getVariable("dict/w0").getArr().putScalar(0, 1, Float.NaN);
        Path m = dir.resolve("nan");
        bad.save(m);
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> DeepKoopman.load(m));
        assertEquals(m.resolve("graph.fb") + ": parameter 'dict/w0' holds a non-finite value; the model is damaged", e.getMessage());
    }

    @Test
    void rejectsAModelWithoutAPositiveStep() throws IOException {
        Path m = dir.resolve("dt");
        model(0.1).save(m);
        Files.writeString(m.resolve("model.json"), Files.readString(m.resolve("model.json")).replace("\"dt\" : 0.1", "\"dt\" : -1"));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> DeepKoopman.load(m));
        assertEquals(m.resolve("model.json") + ": dt is -1, expected a positive number", e.getMessage());
    }

    @Test
    void rejectsADamagedGraphBeforeSameDiffReadsIt() throws IOException {
        Path m = dir.resolve("flipped");
        model(0.1).save(m);
        byte[] graph = Files.readAllBytes(m.resolve("graph.fb"));
        graph[graph.length / 3] ^= 0x40; // found by the fuzz suite: a flipped size field made SameDiff.load run out of heap
        Files.write(m.resolve("graph.fb"), graph);
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> DeepKoopman.load(m));
        assertEquals(m.resolve("graph.fb") + ": CRC-32 does not match model.json (damaged)", e.getMessage());
    }
}
