package koopman4j.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;

/**
 * Writes files and directories so that a kill (or a full or read-only disk) at any moment leaves
 * either the previous content or the new one whole: the new content goes to a temporary sibling, is
 * forced to disk (fsync of every file and directory), then renamed into place; what it replaces is
 * removed only after.
 */
public final class AtomicFiles {

    /** Fills a staging directory with a directory's content. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Path staging) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code file} with {@code text} (UTF-8) in one rename. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} with {@code bytes} in one rename. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /**
     * Writes a directory: {@code contents} fills {@code .NAME.tmp} beside it, which is forced to disk
     * and renamed to {@code dir}. An existing {@code dir} is first renamed to {@code .NAME.old} and
     * removed once the new one is in place; {@link #recover} puts it back after a kill between the two
     * renames.
     */
    public static void writeDirectory(Path dir, Contents contents) throws IOException {
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        recover(target);
        Path staging = sibling(target, ".tmp");
        deleteTree(staging); // left half written by a killed run
        Files.createDirectory(staging);
        try {
            contents.writeTo(staging);
            syncTree(staging);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
        Path old = sibling(target, ".old");
        if (Files.exists(target)) {
            deleteTree(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(parent);
        deleteTree(old);
    }

    /**
     * Puts a directory back when a kill came between {@link #writeDirectory}'s two renames (the old
     * content moved aside, the new not yet in place); does nothing otherwise.
     */
    public static void recover(Path dir) throws IOException {
        Path target = dir.toAbsolutePath();
        Path old = sibling(target, ".old");
        if (!Files.exists(target) && Files.isDirectory(old)) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent());
        }
    }

    /** Renames a whole staging directory to a name not yet taken, forced to disk first. */
    public static void publishDirectory(Path staging, Path dir) throws IOException {
        syncTree(staging);
        if (Files.exists(dir)) {
            throw new FileAlreadyExistsException(dir.toString());
        }
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir.toAbsolutePath().getParent());
    }

    /** Deletes a file or directory tree; nothing when it does not exist. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (var walk = Files.walk(path)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteTree(path);
        } catch (IOException | RuntimeException suppressed) {
            // the original failure is the one to report; a leftover staging directory is removed by the next write
        }
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling("." + target.getFileName() + suffix);
    }

    /** fsync of every file and directory under {@code root}. */
    private static void syncTree(Path root) throws IOException {
        List<Path> paths;
        try (var walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                syncDirectory(p);
            } else {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        }
    }

    /** fsync of a directory, so a rename inside it survives a power cut; a file system that refuses it is left be. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // some file systems (and Windows) cannot open a directory for fsync; the rename is still atomic there
        }
    }
}
