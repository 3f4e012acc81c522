package koopman4j.layers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Runs a SameDiff call with SameDiff's own chatter kept off {@code System.out}: M2.1 prints "Added differentiated op …"
 * with a plain println when it creates a gradient function, which must not reach user output. Only those lines are
 * dropped: what other threads print meanwhile passes through, line by line (System.out is JVM-wide, so silencing it
 * whole would swallow a notebook's or a service's output).
 */
public final class SameDiffQuiet {

    static final String CHATTER = "Added differentiated op";

    private SameDiffQuiet() {
    }

    public static synchronized <T> T call(Supplier<T> action) {
        PrintStream out = System.out;
        DroppingChatter filter = new DroppingChatter(out);
        System.setOut(new PrintStream(filter, true, StandardCharsets.UTF_8)); // lossless on the way through; out encodes as it always did
        try {
            return action.get();
        } finally {
            System.setOut(out);
            filter.flushPartialLine();
        }
    }

    /** Passes whole lines to {@code out} except SameDiff's chatter; a line is held until its newline. */
    static final class DroppingChatter extends OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        DroppingChatter(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                if (!text.startsWith(CHATTER)) {
                    out.print(text);
                    out.flush();
                }
                line.reset();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        synchronized void flushPartialLine() {
            if (line.size() > 0) {
                out.print(line.toString(StandardCharsets.UTF_8));
                out.flush();
                line.reset();
            }
        }

        @Override
        public void close() throws IOException {
            flushPartialLine();
        }
    }
}
