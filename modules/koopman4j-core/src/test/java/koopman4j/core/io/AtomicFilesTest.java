package koopman4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}: a directory or file is replaced whole, or not at all. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeDirectoryReplacesTheWholeDirectory() throws IOException {
        Path model = dir.resolve("model");
        AtomicFiles.writeDirectory(model, d -> {
            Files.writeString(d.resolve("a"), "old a");
            Files.writeString(d.resolve("stale"), "only in the old one");
        });
        AtomicFiles.writeDirectory(model, d -> Files.writeString(d.resolve("a"), "new a"));
        assertEquals("new a", Files.readString(model.resolve("a")));
        assertFalse(Files.exists(model.resolve("stale")), "nothing of the old content is mixed in");
        try (var entries = Files.list(dir)) {
            assertEquals(1, entries.count(), "no staging or old copy left beside it");
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousContentWhole() throws IOException {
        Path model = dir.resolve("model");
        AtomicFiles.writeDirectory(model, d -> Files.writeString(d.resolve("a"), "good"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(model, d -> {
            Files.writeString(d.resolve("a"), "half");
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("good", Files.readString(model.resolve("a")));
        assertFalse(Files.exists(dir.resolve(".model.tmp")));
    }

    @Test
    void aKillBetweenTheTwoRenamesIsRecovered() throws IOException {
        Path model = dir.resolve("model");
        AtomicFiles.writeDirectory(model, d -> Files.writeString(d.resolve("a"), "good"));
        // the state after the old directory was moved aside and before the new one was moved in
        Files.move(model, dir.resolve(".model.old"));
        Files.createDirectories(dir.resolve(".model.tmp"));
        AtomicFiles.recover(model);
        assertEquals("good", Files.readString(model.resolve("a")));
        AtomicFiles.writeDirectory(model, d -> Files.writeString(d.resolve("a"), "next"));
        assertEquals("next", Files.readString(model.resolve("a")));
        assertFalse(Files.exists(dir.resolve(".model.tmp")));
    }

    @Test
    void writeStringReplacesAFileInOneRename() throws IOException {
        Path metrics = dir.resolve("metrics.json");
        AtomicFiles.writeString(metrics, "{}");
        AtomicFiles.writeString(metrics, "{\"a\": 1}");
        assertEquals("{\"a\": 1}", Files.readString(metrics));
        try (var entries = Files.list(dir)) {
            assertTrue(entries.allMatch(p -> p.equals(metrics)));
        }
    }
}
