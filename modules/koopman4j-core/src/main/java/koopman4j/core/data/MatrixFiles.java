package koopman4j.core.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain matrices for the command line ({@code stability --matrix A}, {@code expmv --matrix A
 * --vectors B --out X.npy}), chosen by extension. {@code .npy}: a C-order little-endian float32 or
 * float64 array of 2 dimensions, or of 1 dimension, read as a column; written as float64 exactly as
 * numpy.save writes it. {@code .csv}: one row per line, values separated by commas, no header; blank
 * lines and lines starting with {@code #} are skipped; written with {@link Double#toString(double)}, so
 * either round trip is exact. Every fault is one {@link InvalidDataException} line naming the file and,
 * for CSV, the line and column; writes replace the file atomically.
 */
public final class MatrixFiles {

    private enum Format { CSV, NPY }

    private MatrixFiles() {
    }

    /** Reads a {@code .csv} or {@code .npy} matrix: rows of equal length, all values finite. */
    public static double[][] read(Path path) {
        return switch (format(path)) {
            case CSV -> readCsv(path);
            case NPY -> readNpy(path);
        };
    }

    /**
     * Writes a matrix as {@code .csv} or float64 {@code .npy}, replacing any earlier file atomically.
     * The matrix must be non-empty, rectangular and finite, so that every written file reads back.
     */
    public static void write(double[][] matrix, Path path) {
        Format format = format(path);
        int cols = checkWritable(matrix, path);
        switch (format) {
            case CSV -> FileAccess.write(path, out -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                StringBuilder line = new StringBuilder();
                for (double[] row : matrix) {
                    line.setLength(0);
                    for (int j = 0; j < cols; j++) {
                        line.append(j == 0 ? "" : ",").append(row[j]);
                    }
                    w.append(line).append('\n');
                }
                w.flush();
            });
            case NPY -> FileAccess.write(path, out -> {
                TrajectoryNpy.writeFloat64Header(out, matrix.length, cols);
                ByteBuffer bytes = ByteBuffer.allocate(8 * cols).order(ByteOrder.LITTLE_ENDIAN);
                for (double[] row : matrix) {
                    bytes.clear();
                    for (double v : row) {
                        bytes.putDouble(v);
                    }
                    out.write(bytes.array());
                }
            });
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
        throw new InvalidDataException(path + ": cannot read or write " + kind + "; a matrix must be .csv or .npy");
    }

    /** The number of columns of a matrix that reads back unchanged, or a message saying why not. */
    private static int checkWritable(double[][] matrix, Path path) {
        if (matrix.length == 0 || matrix[0].length == 0) {
            throw new InvalidDataException(path + ": cannot write an empty matrix (" + matrix.length + " rows, "
                    + (matrix.length == 0 ? 0 : matrix[0].length) + " columns)");
        }
        int cols = matrix[0].length;
        for (int i = 0; i < matrix.length; i++) {
            if (matrix[i].length != cols) {
                throw new InvalidDataException(path + ": cannot write a ragged matrix: row " + i + " has length "
                        + matrix[i].length + ", row 0 has length " + cols);
            }
            for (int j = 0; j < cols; j++) {
                if (!Double.isFinite(matrix[i][j])) {
                    throw new InvalidDataException(path + ": cannot write value [" + i + ", " + j + "] = " + matrix[i][j]
                            + "; only finite values are written, so that the file reads back");
                }
            }
        }
        return cols;
    }

    private static double[][] readNpy(Path path) {
        try (InputStream in = new BufferedInputStream(FileAccess.open(path), 1 << 16)) {
            if (Files.size(path) == 0) {
                throw new InvalidDataException(path + ": file is empty; expected an NPY array");
            }
            TrajectoryNpy.Header header = TrajectoryNpy.readHeader(in, path);
            long[] shape = header.shape();
            if (shape.length != 1 && shape.length != 2) {
                throw new InvalidDataException(path + ": expected a 2-d matrix, got shape " + header.shapeText());
            }
            long rows = shape[0];
            long cols = shape.length == 2 ? shape[1] : 1;
            if (rows < 1 || cols < 1) {
                throw new InvalidDataException(path + ": shape " + header.shapeText()
                        + " is empty; expected at least 1 row and 1 column");
            }
            // one row's bytes go through an int-indexed buffer
            if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE / 8) {
                throw new InvalidDataException(path + ": shape " + header.shapeText() + " is too large");
            }
            header.checkDataLength(path);
            return readNpyData(in, path, header, (int) rows, (int) cols);
        } catch (IOException e) {
            throw FileAccess.readFailure(path, e);
        }
    }

    private static double[][] readNpyData(InputStream in, Path path, TrajectoryNpy.Header header, int rows, int cols)
            throws IOException {
        boolean single = header.itemSize() == 4;
        boolean column = header.shape().length == 1;
        byte[] bytes = new byte[cols * header.itemSize()];
        ByteBuffer row = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
                throw new InvalidDataException(path + ": truncated: the data ends in row " + i);
            }
            row.clear();
            for (int j = 0; j < cols; j++) {
                double v = single ? row.getFloat() : row.getDouble();
                if (!Double.isFinite(v)) {
                    // the index as numpy writes it, so that a[...] finds the value
                    String index = column ? "[" + i + "]" : "[" + i + ", " + j + "]";
                    throw new InvalidDataException(path + ": value " + index + " is " + v + "; expected a finite number");
                }
                a[i][j] = v;
            }
        }
        return a;
    }

    private static double[][] readCsv(Path path) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(FileAccess.open(path),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)), 1 << 16)) {
            List<double[]> rows = new ArrayList<>();
            int firstRowLine = 0;
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (rows.isEmpty()) {
                    firstRowLine = lineNo;
                } else if (cells.length != rows.get(0).length) {
                    throw new InvalidDataException(path + " line " + lineNo + ": " + cells.length + " values, expected "
                            + rows.get(0).length + " like line " + firstRowLine);
                }
                double[] row = new double[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    row[j] = parseFinite(cells[j].strip(), path, lineNo, j + 1);
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new InvalidDataException(path + (lineNo == 0 ? ": file is empty" : ": no rows, only blank and # comment lines")
                        + "; expected rows of comma-separated numbers");
            }
            return rows.toArray(new double[0][]);
        } catch (IOException e) {
            throw FileAccess.readFailure(path, e);
        }
    }

    private static double parseFinite(String cell, Path path, int lineNo, int column) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            // numpy and pandas write nan / inf, which Java does not parse
            String kind = cell.matches("(?i)[+-]?(nan|inf|infinity)") ? "a finite number" : "a number";
            throw new InvalidDataException(path + " line " + lineNo + ": column " + column + " is '" + cell + "', expected " + kind, e);
        }
        if (!Double.isFinite(v)) {
            throw new InvalidDataException(path + " line " + lineNo + ": column " + column + " is '" + cell
                    + "', expected a finite number");
        }
        return v;
    }
}
