package koopman4j.core.data;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The entry point for trajectory files: reads and writes {@code .csv} ({@link TrajectoryCsv}) or
 * {@code .npy} ({@link TrajectoryNpy}), chosen by the file's extension.
 */
public final class TrajectoryFiles {

    private enum Format { CSV, NPY }

    private TrajectoryFiles() {
    }

    /** Reads a {@code .csv} or {@code .npy} trajectory file. */
    public static TrajectorySet read(Path path) {
        return switch (format(path)) {
            case CSV -> TrajectoryCsv.read(path);
            case NPY -> TrajectoryNpy.read(path);
        };
    }

    /** Writes a {@code .csv} or {@code .npy} trajectory file, replacing any earlier one atomically. */
    public static void write(TrajectorySet data, Path path) {
        switch (format(path)) {
            case CSV -> TrajectoryCsv.write(data, path);
            case NPY -> TrajectoryNpy.write(data, path);
        }
    }

    private static Format format(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".npy")) {
            return Format.NPY;
        }
        int dot = name.lastIndexOf('.');
        String kind = dot < 0 ? "a file without extension" : "'" + name.substring(dot) + "' files";
        throw new InvalidDataException(path + ": cannot read or write " + kind + "; trajectory data must be .csv or .npy");
    }
}
