package koopman4j.trainer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Faults a test injects into a training run to show what the trainers do with them: a value changed in a step's batch
 * (a NaN, say) or a checkpoint write failing halfway. A real run has {@link #NONE}.
 */
interface Faults {

    Faults NONE = new Faults() { };

    /** Called with the batch of step {@code step} + 1 (Deep DMD's, float32) before the step uses it. */
    default void batch(int step, float[] batch) {
    }

    /** Called with the batch of step {@code step} + 1 (an SP-NODE's, float64) before the step uses it. */
    default void batch(int step, double[] batch) {
    }

    /** Called halfway through writing a checkpoint into its staging directory. */
    default void checkpoint(Path staging) throws IOException {
    }
}
