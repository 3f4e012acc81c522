package koopman4j.core.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the trajectory readers and writers touch the file system: IO failures become one-line
 * {@link InvalidDataException}s naming the file, and a write replaces its target only once the new
 * content is complete, so a failed write never destroys what was there.
 */
final class FileAccess {

    /** Writes a file's whole content. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private FileAccess() {
    }

    /** Opens a file for reading; a directory is refused here because reading one fails later, obscurely. */
    static InputStream open(Path path) {
        if (Files.isDirectory(path)) {
            throw new InvalidDataException(path + ": is a directory, expected a file");
        }
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw readFailure(path, e);
        }
    }

    static InvalidDataException readFailure(Path path, IOException e) {
        if (e instanceof CharacterCodingException) {
            return new InvalidDataException(path + ": not UTF-8 text", e);
        }
        return new InvalidDataException(path + ": " + reason(e), e);
    }

    static InvalidDataException writeFailure(Path path, IOException e) {
        return new InvalidDataException(path + ": cannot write: " + reason(e), e);
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** Writes {@code target} through a temporary file beside it and an atomic rename. */
    static void write(Path target, Content content) {
        commit(writeTemporary(target, content), target);
    }

    /**
     * Writes the content to a new temporary file in the target's directory (so that the final rename
     * stays on one file system) and returns it; the caller then {@link #commit}s or {@link #discard}s it.
     */
    static Path writeTemporary(Path target, Content content) {
        Path dir = target.toAbsolutePath().getParent();
        // not Files.createTempFile: its owner-only permissions would stick to the finished file
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        OutputStream file;
        try {
            Files.createDirectories(dir);
            file = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw writeFailure(target, e);
        }
        try {
            try (OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                content.writeTo(out);
            }
            return tmp;
        } catch (IOException e) {
            discard(tmp);
            throw writeFailure(target, e);
        } catch (RuntimeException e) {
            discard(tmp);
            throw e;
        }
    }

    /** Moves a finished temporary file onto its target, deleting it if that fails. */
    static void commit(Path tmp, Path target) {
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            discard(tmp);
            throw writeFailure(target, e);
        }
    }

    static void discard(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the original failure is what the user needs to see; a stray temp file is harmless
        }
    }
}
