package koopman4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SameDiffQuietTest {

    @Test
    void dropsSameDiffsChatterAndPassesEverythingElseLineByLine() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            String result = SameDiffQuiet.call(() -> {
                System.out.println("Added differentiated op mmul");
                System.out.println("a notebook's line, ünïcode");
                System.out.print("Added differentiated op tanh\nhalf ");
                System.out.print("a line\n");
                System.out.print("no newline at the end");
                return "value";
            });
            assertEquals("value", result);
            assertSame(capture, System.out, "System.out is put back");
        } finally {
            System.setOut(original);
        }
        assertEquals("a notebook's line, ünïcode" + System.lineSeparator() + "half a line\nno newline at the end",
                captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void putsSystemOutBackWhenTheCallThrows() {
        PrintStream original = System.out;
        try {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> SameDiffQuiet.call(() -> { throw new IllegalStateException("inside"); }));
            assertSame(original, System.out);
        } finally {
            System.setOut(original);
        }
    }
}
