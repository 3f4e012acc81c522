package koopman4j.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File helpers the trainer tests share: a checkpoint copied into another run directory, as a resumed run finds it. */
final class TestFiles {

    private TestFiles() {
    }

    /** Copies the directory tree {@code from} to {@code to} (created). */
    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
