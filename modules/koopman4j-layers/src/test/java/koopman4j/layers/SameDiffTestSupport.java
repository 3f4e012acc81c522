package koopman4j.layers;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/** Keeps SameDiff's "Added differentiated op" println out of test output. */
final class SameDiffTestSupport {

    private SameDiffTestSupport() {
    }

    static synchronized <T> T quietly(Supplier<T> action) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return action.get();
        } finally {
            System.setOut(out);
        }
    }
}
