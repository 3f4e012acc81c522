package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bad-input message stays one line whatever input it echoes (found by the fuzz suite: an NPY header with a newline). */
class InvalidDataExceptionTest {

    @Test
    void controlCharactersAreEscapedSoTheMessageIsOneLine() {
        assertEquals("a\\nb\\r\\tc\\u0000d", new InvalidDataException("a\nb\r\tc\0d").getMessage());
        String plain = "data.csv: line 3, column 2 is 'x', expected a finite number";
        assertSame(plain, InvalidDataException.oneLine(plain));
        assertEquals("x\\n", new InvalidDataException("x\n", new IOException()).getMessage());
    }

    @Test
    void anNpyHeaderWithANewlineIsReportedOnOneLine(@TempDir Path dir) throws IOException {
        String dict = "{'descr': '<f8',\n 'fortran_order': False, 'shape': (1, 2, 1), ]";
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        Path file = Files.write(dir.resolve("bad.npy"), b.array());
        InvalidDataException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidDataException.class, () -> TrajectoryNpy.read(file));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertEquals(file + ": cannot parse NPY header {'descr': '<f8',\\n 'fortran_order': False, 'shape': (1, 2, 1), ]: expected a quoted"
                + " string at character 63", e.getMessage());
    }
}
