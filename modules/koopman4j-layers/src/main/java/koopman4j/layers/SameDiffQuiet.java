package koopman4j.layers;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Runs a SameDiff call with {@code System.out} silenced: M2.1 prints "Added differentiated op …"
 * with a plain println when it creates a gradient function, which must not reach user output.
 */
public final class SameDiffQuiet {

    private SameDiffQuiet() {
    }

    public static synchronized <T> T call(Supplier<T> action) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return action.get();
        } finally {
            System.setOut(out);
        }
    }
}
