package koopman4j.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sweep files for tests: the tiny base config copied into a folder, a sweep file beside it. */
final class SweepFiles {

    private SweepFiles() {
    }

    /** Writes {@code tiny.yaml} and {@code sweep.yaml} (with {@code body} after {@code base: tiny.yaml}) into dir. */
    static Path write(Path dir, String body) throws IOException {
        try (InputStream in = SweepFiles.class.getResourceAsStream("/tiny.yaml")) {
            Files.copy(in, dir.resolve("tiny.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, "base: tiny.yaml\n" + body);
        return sweep;
    }
}
