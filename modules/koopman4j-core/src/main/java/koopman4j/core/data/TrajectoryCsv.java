package koopman4j.core.data;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trajectory data as CSV (ARCHITECTURE.md, "Trajectory data"): a header {@code traj,t,<name1>,...},
 * then one row per sample, rows grouped by the integer trajectory id {@code traj}, {@code t} strictly
 * increasing within a trajectory. Trajectories may differ in length and step size. Values are
 * written with {@link Double#toString(double)}, so a write–read round trip is exact. Every fault in a
 * file is reported as one {@link InvalidDataException} line naming the file, line and column.
 */
public final class TrajectoryCsv {

    private static final String TRAJ = "traj";
    private static final String TIME = "t";

    private TrajectoryCsv() {
    }

    /** Reads a CSV trajectory file, streaming it line by line. */
    public static TrajectorySet read(Path path) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(FileAccess.open(path),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)), 1 << 16)) {
            return new Parser(path).parse(in);
        } catch (IOException e) {
            throw FileAccess.readFailure(path, e);
        }
    }

    /**
     * Writes a data set as CSV, trajectory ids 0, 1, …; the file is replaced atomically, so a failed
     * write leaves any earlier file intact.
     */
    public static void write(TrajectorySet data, Path path) {
        checkWritable(data.names(), path);
        FileAccess.write(path, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            w.write(TRAJ + "," + TIME + "," + String.join(",", data.names()) + "\n");
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < data.size(); j++) {
                Trajectory t = data.get(j);
                for (int k = 0; k < t.length(); k++) {
                    row.setLength(0);
                    row.append(j).append(',').append(t.times()[k]);
                    for (double x : t.states()[k]) {
                        row.append(',').append(x);
                    }
                    w.append(row).append('\n');
                }
            }
            w.flush();
        });
    }

    /** Refuses names that the reader would split, trim or reject, so that every written file reads back. */
    private static void checkWritable(List<String> names, Path path) {
        Set<String> seen = new HashSet<>(List.of(TRAJ, TIME));
        for (String name : names) {
            if (name.isEmpty() || !name.equals(name.strip()) || name.chars().anyMatch(c -> ",\"\r\n".indexOf(c) >= 0)) {
                throw new InvalidDataException(path + ": state name '" + name + "' cannot be written to CSV;"
                        + " names must be non-empty, without commas, quotes, line breaks or surrounding spaces");
            }
            if (!seen.add(name)) {
                throw new InvalidDataException(path + ": state name '" + name + "' cannot be written to CSV;"
                        + " it repeats another column name");
            }
        }
    }

    /** The state of one read: where we are in the file and the trajectory being collected. */
    private static final class Parser {
        private final Path path;
        private int lineNo;
        private List<String> columns;
        private final List<Trajectory> done = new ArrayList<>();
        /** Line where each finished trajectory id started, to point at the earlier group on a repeat. */
        private final Map<Long, Integer> startLines = new HashMap<>();
        private long currentId;
        private int currentStart;
        private double[] times = new double[64];
        private final List<double[]> states = new ArrayList<>();

        Parser(Path path) {
            this.path = path;
        }

        TrajectorySet parse(BufferedReader in) throws IOException {
            String header = in.readLine();
            lineNo = 1;
            if (header == null) {
                throw new InvalidDataException(path + ": file is empty; expected a header traj,t,<state names>");
            }
            columns = parseHeader(header.startsWith("\uFEFF") ? header.substring(1) : header);
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (!line.isBlank()) {
                    parseRow(line);
                }
            }
            if (states.isEmpty()) {
                throw new InvalidDataException(path + ": no data rows after the header");
            }
            finishTrajectory();
            return new TrajectorySet(columns.subList(2, columns.size()), done);
        }

        private List<String> parseHeader(String line) {
            List<String> names = Arrays.stream(line.split(",", -1)).map(String::strip).toList();
            if (names.size() < 3 || !names.get(0).equals(TRAJ) || !names.get(1).equals(TIME)) {
                throw new InvalidDataException(path + " line 1: header must be traj,t followed by at least one"
                        + " state name, got '" + line + "'");
            }
            Set<String> seen = new HashSet<>();
            for (int c = 0; c < names.size(); c++) {
                if (names.get(c).isEmpty()) {
                    throw new InvalidDataException(path + " line 1: column " + (c + 1) + " has no name");
                }
                if (!seen.add(names.get(c))) {
                    throw new InvalidDataException(path + " line 1: column name '" + names.get(c) + "' appears twice"
                            + " (columns " + (names.indexOf(names.get(c)) + 1) + " and " + (c + 1) + ")");
                }
            }
            return names;
        }

        private void parseRow(String line) {
            String[] cells = line.split(",", -1);
            if (cells.length < columns.size()) {
                throw new InvalidDataException(at() + "missing column " + columns.get(cells.length) + " (row has "
                        + cells.length + " values, header has " + columns.size() + ")");
            }
            if (cells.length > columns.size()) {
                throw new InvalidDataException(at() + "extra value in column " + (columns.size() + 1) + " (row has "
                        + cells.length + " values, header has " + columns.size() + ")");
            }
            long id = parseId(cells[0].strip());
            double t = parseFinite(cells[1].strip(), TIME);
            double[] x = new double[columns.size() - 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = parseFinite(cells[i + 2].strip(), columns.get(i + 2));
            }
            if (states.isEmpty() || id != currentId) {
                startTrajectory(id);
            } else if (!(t > times[states.size() - 1])) {
                throw new InvalidDataException(at() + "column t is " + t + ", not after " + times[states.size() - 1]
                        + " on line " + (lineNo - 1) + "; time must increase strictly within trajectory " + id);
            }
            if (states.size() == times.length) {
                times = Arrays.copyOf(times, 2 * times.length);
            }
            times[states.size()] = t;
            states.add(x);
        }

        private void startTrajectory(long id) {
            if (!states.isEmpty()) {
                finishTrajectory();
            }
            Integer earlier = startLines.get(id);
            if (earlier != null) {
                throw new InvalidDataException(at() + "trajectory " + id + " reappears after other trajectories"
                        + " (it started on line " + earlier + "); rows must be grouped by traj");
            }
            currentId = id;
            currentStart = lineNo;
            startLines.put(id, lineNo);
        }

        private void finishTrajectory() {
            if (states.size() < 2) {
                throw new InvalidDataException(path + " line " + currentStart + ": trajectory " + currentId
                        + " has only 1 sample; at least 2 are needed");
            }
            done.add(new Trajectory(Arrays.copyOf(times, states.size()), states.toArray(new double[0][])));
            states.clear();
        }

        private long parseId(String cell) {
            try {
                return Long.parseLong(cell);
            } catch (NumberFormatException e) {
                throw new InvalidDataException(at() + "column traj is '" + cell + "', expected an integer trajectory id", e);
            }
        }

        private double parseFinite(String cell, String column) {
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                // numpy and pandas write nan / inf, which Java does not parse
                String kind = cell.matches("(?i)[+-]?(nan|inf|infinity)") ? "a finite number" : "a number";
                throw new InvalidDataException(at() + "column " + column + " is '" + cell + "', expected " + kind, e);
            }
            if (!Double.isFinite(v)) {
                throw new InvalidDataException(at() + "column " + column + " is '" + cell + "', expected a finite number");
            }
            return v;
        }

        private String at() {
            return path + " line " + lineNo + ": ";
        }
    }
}
