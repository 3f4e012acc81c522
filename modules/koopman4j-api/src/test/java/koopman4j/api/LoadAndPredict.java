package koopman4j.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.Trajectory;
import koopman4j.core.model.KoopmanModel;

/**
 * A user's program, run in a JVM of its own by {@link FreshJvmTest}: loads every model under a directory
 * through the public API and writes its forecast from the saved initial state, each double as its bits.
 * Usage: {@code LoadAndPredict DIR STEPS}, models in DIR/<name>/ with the initial state in DIR/<name>.x0.
 */
public final class LoadAndPredict {

    private LoadAndPredict() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int steps = Integer.parseInt(args[1]);
        try (var names = Files.list(dir)) {
            for (Path x0File : names.filter(p -> p.toString().endsWith(".x0")).toList()) {
                String name = x0File.getFileName().toString().replace(".x0", "");
                KoopmanModel model = Models.load(dir.resolve(name));
                Trajectory forecast = model.predict(parse(Files.readString(x0File)), steps);
                Files.writeString(dir.resolve(name + ".forecast"), bits(forecast));
            }
        }
    }

    /** The initial state, one double's bits per line. */
    static double[] parse(String text) {
        return text.lines().mapToDouble(l -> Double.longBitsToDouble(Long.parseLong(l))).toArray();
    }

    /** Every time and state of a forecast, one double's bits per line. */
    static String bits(Trajectory t) {
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < t.length(); k++) {
            lines.add(Long.toString(Double.doubleToRawLongBits(t.times()[k])));
            for (double v : t.states()[k]) {
                lines.add(Long.toString(Double.doubleToRawLongBits(v)));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    static String bits(double[] x) {
        StringBuilder s = new StringBuilder();
        for (double v : x) {
            s.append(Double.doubleToRawLongBits(v)).append('\n');
        }
        return s.toString();
    }
}
