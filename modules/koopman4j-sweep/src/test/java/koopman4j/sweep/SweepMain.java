package koopman4j.sweep;

import java.nio.file.Path;
import java.util.Map;

/** A sweep in a JVM of its own, for the test that kills a whole sweep: {@code SweepMain SWEEP_FILE OUT MASTER}. */
public final class SweepMain {

    private SweepMain() {
    }

    public static void main(String[] args) throws Exception {
        Sweep.run(Path.of(args[0]), args[1], new Sweep.Options(args[2], Map.of()));
    }
}
