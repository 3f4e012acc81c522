package koopman4j.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Trajectory data as a NumPy {@code .npy} file (ARCHITECTURE.md, "Trajectory data"): one C-order,
 * little-endian float32 or float64 array of shape [trajectories, time, state], NPY format 1.0 or 2.0.
 * The sampling grid t0 + k·dt and the state names live in an optional JSON sidecar beside it
 * ({@code data.npy} → {@code data.json}: {@code {"dt": 0.01, "t0": 0, "names": ["S1", …]}}); without
 * one, dt = 1, t0 = 0 and the states are named x1 … xn. Writing needs equal lengths and one uniform
 * grid (otherwise use {@link TrajectoryCsv}) and produces float64 plus the sidecar.
 */
public final class TrajectoryNpy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SIDECAR_FIELDS = Set.of("dt", "t0", "names");

    private TrajectoryNpy() {
    }

    /** The sidecar of an {@code .npy} file: the same name with {@code .json} in place of {@code .npy}. */
    static Path sidecar(Path npy) {
        String name = npy.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return npy.resolveSibling(stem + ".json");
    }

    /** Reads an {@code .npy} trajectory file and its sidecar, if there is one. */
    public static TrajectorySet read(Path path) {
        try (InputStream in = new BufferedInputStream(FileAccess.open(path), 1 << 16)) {
            Header header = readHeader(in, path);
            checkTrajectoryShape(header, path);
            header.checkDataLength(path);
            Grid grid = readSidecar(path, (int) header.shape()[2]);
            return readData(in, path, header, grid);
        } catch (IOException e) {
            throw FileAccess.readFailure(path, e);
        }
    }

    /**
     * Writes a data set as float64 NPY plus its sidecar, both replaced only once both are complete.
     * The times are stored as t0 and dt, so they read back as t0 + k·dt: exactly the original times
     * when these were generated that way.
     */
    public static void write(TrajectorySet data, Path path) {
        Grid grid = uniformGrid(data, path);
        int n = data.dimension();
        Path npyTmp = FileAccess.writeTemporary(path, out -> {
            writeFloat64Header(out, data.size(), data.get(0).length(), n);
            ByteBuffer row = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (Trajectory t : data.trajectories()) {
                for (double[] x : t.states()) {
                    row.clear();
                    for (double v : x) {
                        row.putDouble(v);
                    }
                    out.write(row.array());
                }
            }
        });
        Path jsonTmp;
        try {
            jsonTmp = FileAccess.writeTemporary(sidecar(path), out -> writeSidecar(out, grid));
        } catch (RuntimeException e) {
            FileAccess.discard(npyTmp);
            throw e;
        }
        try {
            FileAccess.commit(npyTmp, path);
        } catch (RuntimeException e) {
            FileAccess.discard(jsonTmp);
            throw e;
        }
        FileAccess.commit(jsonTmp, sidecar(path));
    }

    /**
     * What an NPY header says about the data: dtype ('<f4' or '<f8') and shape, and where the data
     * starts. Shared with {@link MatrixFiles}, which reads 1-d and 2-d arrays through it.
     */
    record Header(String descr, long[] shape, long offset) {

        /** The shape as Python prints it: {@code (2, 3)}, {@code (5,)}. */
        String shapeText() {
            return shapeText(shape);
        }

        static String shapeText(long... shape) {
            return "(" + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "))
                    + (shape.length == 1 ? ",)" : ")");
        }

        int itemSize() {
            return descr.equals("<f4") ? 4 : 8;
        }

        long dataBytes(Path path) {
            try {
                long bytes = itemSize();
                for (long dim : shape) {
                    bytes = Math.multiplyExact(bytes, dim);
                }
                return bytes;
            } catch (ArithmeticException e) {
                throw new InvalidDataException(path + ": shape " + shapeText() + " is too large", e);
            }
        }

        /** Refuses a file whose data is shorter or longer than the shape and dtype say. */
        void checkDataLength(Path path) throws IOException {
            long dataBytes = dataBytes(path);
            long available = Files.size(path) - offset;
            if (available < dataBytes) {
                throw new InvalidDataException(path + ": truncated: shape " + shapeText() + " of '" + descr
                        + "' needs " + dataBytes + " bytes of data, the file has " + available);
            }
            if (available > dataBytes) {
                throw new InvalidDataException(path + ": " + (available - dataBytes) + " bytes after the data of shape "
                        + shapeText() + "; the header's shape or dtype does not match the data");
            }
        }
    }

    /** The sampling grid and state names, from the sidecar or the defaults. */
    private record Grid(double t0, double dt, List<String> names) { }

    /**
     * Reads and validates the NPY preamble and header up to the start of the data: format 1.0 or 2.0,
     * little-endian float32 or float64, C order. The shape is left for the caller to judge.
     */
    static Header readHeader(InputStream in, Path path) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new InvalidDataException(path + ": not an NPY file (it does not start with \\x93NUMPY)");
        }
        byte[] version = in.readNBytes(2);
        if (version.length < 2) {
            throw new InvalidDataException(path + ": truncated: the file ends inside the NPY preamble");
        }
        int major = version[0];
        if (major != 1 && major != 2) {
            throw new InvalidDataException(path + ": unsupported NPY format version " + major + "." + version[1]
                    + "; expected 1.0 or 2.0");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] length = in.readNBytes(lengthBytes);
        if (length.length < lengthBytes) {
            throw new InvalidDataException(path + ": truncated: the file ends inside the NPY preamble");
        }
        long headerLength = lengthBytes == 2
                ? ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFFL
                : ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        // a real header is a short dict; a huge length means a damaged file, not a big allocation
        if (headerLength > 1 << 20) {
            throw new InvalidDataException(path + ": NPY header length " + headerLength + " is implausible; the file is damaged");
        }
        byte[] text = in.readNBytes((int) headerLength);
        if (text.length < headerLength) {
            throw new InvalidDataException(path + ": truncated: the file ends inside the NPY header");
        }
        String dict = new String(text, StandardCharsets.ISO_8859_1).strip();
        Map<String, Object> fields = new HeaderParser(dict, path).parseDict();
        if (!fields.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
            throw new InvalidDataException(path + ": NPY header must have exactly the keys descr, fortran_order and shape,"
                    + " got " + dict);
        }
        if (!(fields.get("descr") instanceof String descr) || !(fields.get("fortran_order") instanceof Boolean fortran)
                || !(fields.get("shape") instanceof long[] shape)) {
            throw new InvalidDataException(path + ": NPY header has a value of the wrong type: " + dict);
        }
        Header header = new Header(descr, shape, MAGIC.length + 2 + lengthBytes + headerLength);
        if (!descr.equals("<f4") && !descr.equals("<f8")) {
            throw new InvalidDataException(path + ": unsupported dtype '" + descr
                    + "'; expected little-endian float32 '<f4' or float64 '<f8'");
        }
        if (fortran) {
            throw new InvalidDataException(path + ": the array is in Fortran order (fortran_order: True);"
                    + " save it in C order, e.g. numpy.save(f, numpy.ascontiguousarray(a))");
        }
        return header;
    }

    /**
     * Writes the preamble and header of a C-order float64 array of the given shape exactly as
     * numpy.save does (format 1.0); the data, row-major little-endian doubles, follows it.
     */
    static void writeFloat64Header(OutputStream out, long... shape) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + Header.shapeText(shape) + ", }";
        // numpy pads the header with spaces so that the data starts on a 64-byte boundary
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >>> 8)});
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void checkTrajectoryShape(Header header, Path path) {
        long[] shape = header.shape();
        if (shape.length != 3) {
            throw new InvalidDataException(path + ": expected a 3-d array [trajectories, time, state], got shape "
                    + header.shapeText());
        }
        if (shape[0] < 1 || shape[1] < 2 || shape[2] < 1) {
            throw new InvalidDataException(path + ": shape " + header.shapeText()
                    + " needs at least 1 trajectory, 2 time samples and 1 state");
        }
        if (shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE || shape[2] > Integer.MAX_VALUE) {
            throw new InvalidDataException(path + ": shape " + header.shapeText() + " is too large");
        }
    }

    private static TrajectorySet readData(InputStream in, Path path, Header header, Grid grid) throws IOException {
        int count = (int) header.shape()[0];
        int time = (int) header.shape()[1];
        int n = (int) header.shape()[2];
        boolean single = header.itemSize() == 4;
        double[] times = new double[time];
        for (int k = 0; k < time; k++) {
            times[k] = grid.t0() + k * grid.dt();
            if (k > 0 && !(times[k] > times[k - 1])) {
                throw new InvalidDataException(sidecar(path) + ": dt = " + grid.dt() + " is too small to move t0 = " + grid.t0()
                        + " forward: times " + (k - 1) + " and " + k + " are both " + times[k]);
            }
        }
        byte[] bytes = new byte[n * header.itemSize()];
        ByteBuffer row = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Trajectory> trajectories = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            double[][] states = new double[time][n];
            for (int k = 0; k < time; k++) {
                if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
                    throw new InvalidDataException(path + ": truncated: the data ends in trajectory " + j + " at time index " + k);
                }
                row.clear();
                for (int i = 0; i < n; i++) {
                    double v = single ? row.getFloat() : row.getDouble();
                    if (!Double.isFinite(v)) {
                        throw new InvalidDataException(path + ": value [" + j + ", " + k + ", " + i + "] is " + v
                                + " (trajectory " + j + ", time index " + k + ", state " + grid.names().get(i) + ")");
                    }
                    states[k][i] = v;
                }
            }
            trajectories.add(new Trajectory(times, states));
        }
        return new TrajectorySet(grid.names(), trajectories);
    }

    private static Grid readSidecar(Path npy, int n) {
        Path json = sidecar(npy);
        List<String> defaultNames = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            defaultNames.add("x" + i);
        }
        if (!Files.exists(json)) {
            return new Grid(0, 1, defaultNames);
        }
        JsonNode root;
        try (InputStream in = FileAccess.open(json)) {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().lines().findFirst().orElse("malformed JSON");
            String where = e.getLocation() == null ? ""
                    : " line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
            throw new InvalidDataException(json + where + ": " + why, e);
        } catch (IOException e) {
            throw FileAccess.readFailure(json, e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidDataException(json + ": expected a JSON object {\"dt\": …, \"t0\": …, \"names\": […]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!SIDECAR_FIELDS.contains(field)) {
                throw new InvalidDataException(json + ": unknown field '" + field + "'; expected dt, t0, names");
            }
        }
        double dt = number(root, "dt", 1, json);
        double t0 = number(root, "t0", 0, json);
        if (!(dt > 0)) {
            throw new InvalidDataException(json + ": dt must be positive, got " + dt);
        }
        return new Grid(t0, dt, root.has("names") ? names(root.get("names"), n, npy, json) : defaultNames);
    }

    private static double number(JsonNode root, String field, double absent, Path json) {
        JsonNode v = root.get(field);
        if (v == null) {
            return absent;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new InvalidDataException(json + ": " + field + " must be a finite number, got " + v);
        }
        return v.asDouble();
    }

    private static List<String> names(JsonNode node, int n, Path npy, Path json) {
        if (!node.isArray() || node.size() != n) {
            throw new InvalidDataException(json + ": names must be an array of " + n + " strings, one per state in "
                    + npy.getFileName() + ", got " + node);
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode name : node) {
            if (!name.isTextual() || name.asText().isBlank()) {
                throw new InvalidDataException(json + ": names must be non-empty strings, got " + name);
            }
            if (!seen.add(name.asText())) {
                throw new InvalidDataException(json + ": state name '" + name.asText() + "' appears twice");
            }
            names.add(name.asText());
        }
        return names;
    }

    private static void writeSidecar(OutputStream out, Grid grid) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("dt", grid.dt());
        root.put("t0", grid.t0());
        ArrayNode names = root.putArray("names");
        grid.names().forEach(names::add);
        out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        out.write('\n');
    }

    /**
     * The one grid t0 + k·dt on which every trajectory lies, or a message to use CSV. Of the candidate
     * steps, one that reproduces every time exactly is preferred, so that times survive a round trip.
     */
    private static Grid uniformGrid(TrajectorySet data, Path path) {
        Trajectory first = data.get(0);
        int time = first.length();
        for (int j = 1; j < data.size(); j++) {
            if (data.get(j).length() != time) {
                throw new InvalidDataException(path + ": trajectories differ in length (0 has " + time + " samples, " + j
                        + " has " + data.get(j).length() + "); NPY needs equal lengths and one uniform step, write a .csv file instead");
            }
        }
        double t0 = first.times()[0];
        double mean = (first.times()[time - 1] - t0) / (time - 1);
        // the user's step is often a short decimal (0.01) that the differences only approximate
        double[] candidates = {first.times()[1] - t0, new BigDecimal(mean).round(MathContext.DECIMAL64).doubleValue(), mean};
        for (double dt : candidates) {
            if (onGrid(data, t0, dt)) {
                return new Grid(t0, dt, data.names());
            }
        }
        // times summed step by step drift from t0 + k·dt by rounding; tolerate that, not a different grid
        for (int j = 0; j < data.size(); j++) {
            double[] ts = data.get(j).times();
            for (int k = 0; k < time; k++) {
                double expected = t0 + k * mean;
                if (Math.abs(ts[k] - expected) > 1e-6 * mean + 4 * Math.ulp(expected)) {
                    throw new InvalidDataException(path + ": trajectory " + j + " time " + k + " is " + ts[k]
                            + ", off the uniform grid t0 + k·dt (t0 = " + t0 + ", dt = " + mean + ", expected " + expected
                            + "); NPY needs equal lengths and one uniform step, write a .csv file instead");
                }
            }
        }
        return new Grid(t0, mean, data.names());
    }

    private static boolean onGrid(TrajectorySet data, double t0, double dt) {
        for (Trajectory t : data.trajectories()) {
            double[] ts = t.times();
            for (int k = 0; k < ts.length; k++) {
                if (ts[k] != t0 + k * dt) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A reader for the Python dict literal of an NPY header: strings, True/False, integers and tuples. */
    private static final class HeaderParser {
        private final String text;
        private final Path path;
        private int pos;

        HeaderParser(String text, Path path) {
            this.text = text;
            this.path = path;
        }

        Map<String, Object> parseDict() {
            Map<String, Object> fields = new LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = parseString();
                expect(':');
                fields.put(key, parseValue());
                if (peek() != ',') {
                    break;
                }
                pos++;
            }
            expect('}');
            if (pos != text.length()) {
                throw fail("text after the closing '}'");
            }
            return fields;
        }

        private Object parseValue() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return parseString();
            }
            if (c == '(') {
                return parseTuple();
            }
            if (text.startsWith("True", pos) || text.startsWith("False", pos)) {
                boolean value = text.startsWith("True", pos);
                pos += value ? 4 : 5;
                return value;
            }
            throw fail("a string, True, False or a tuple");
        }

        private long[] parseTuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (peek() != ')') {
                dims.add(parseInteger());
                if (peek() != ',') {
                    break;
                }
                pos++;
            }
            expect(')');
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private long parseInteger() {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw fail("a non-negative integer");
            }
            long value;
            try {
                value = Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw fail("an integer that fits in 64 bits");
            }
            if (pos < text.length() && text.charAt(pos) == 'L') {
                pos++; // Python 2 numpy wrote long integers as 3L
            }
            return value;
        }

        private String parseString() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw fail("a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw fail("a closing " + quote);
            }
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fail("'" + c + "'");
            }
            pos++;
        }

        /** The next non-blank character, or 0 at the end. */
        private char peek() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private InvalidDataException fail(String expected) {
            return new InvalidDataException(path + ": cannot parse NPY header " + text + ": expected " + expected
                    + " at character " + (pos + 1));
        }
    }
}
