package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress through the command line: {@code --quiet} (before or after the command's name) silences the trainer's INFO
 * lines and the progress display while the result on stdout stays, and the log level comes back afterwards; the same
 * run without it logs each evaluation; on a terminal the progress is a live line, wiped before other output.
 */
class CommandProgressTest {

    private static final String CONFIG = """
            model:
              dictionary: { depth: 1, width: 8, outputs: 4 }
            data: { system: glycolysis, trajectories: 6, steps: 30, dt: 0.01, observe: [1, 2] }
            training: { steps: 20, evalEvery: 10, checkpointEvery: 20, batchSize: 32 }
            """;

    @TempDir
    Path dir;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    void captureStdoutAndStderrWithProgressLogged() {
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8)); // the test log config's console follows System.err
        Configurator.setLevel("koopman4j", Level.INFO); // as the CLI's own log4j2.xml has it
    }

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
        Configurator.setLevel("koopman4j", Level.WARN);
    }

    private CliRun train(String... args) throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, CONFIG);
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--config", config.toString(), "--out", dir.resolve("run-" + args.length).toString()}, 0, all,
                args.length, 4);
        return CliRun.of(all);
    }

    @Test
    void quietTrainingPrintsItsResultAndNoProgress() throws Exception {
        CliRun r = train("train", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err(), "progress display");
        String log = stderr.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("INFO"), log);
        String result = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(result.contains("one-step") && result.contains("model: "), result);
        assertEquals(Level.INFO, LogManager.getLogger("koopman4j").getLevel(), "the log level after the command");
    }

    @Test
    void quietIsAlsoAnOptionBeforeTheCommand() throws Exception {
        CliRun r = train("-q", "train");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(stderr.toString(StandardCharsets.UTF_8).contains("INFO"), stderr.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("one-step"));
    }

    @Test
    void onATerminalProgressIsALiveLineThatOthersOutputWipes() throws Exception {
        StringWriter live = new StringWriter();
        PrintStream before = System.err;
        int code = Koopman4j.execute(new PrintWriter(live, true), true, "simulate", "transient-growth", "--trajectories", "3", "--steps", "5",
                "--dt", "0.1", "--out", dir.resolve("tg.csv").toString());
        assertEquals(0, code, live.toString());
        assertTrue(live.toString().startsWith("\rsimulate: 1/3 trajectories  0s elapsed"), live.toString().replace("\r", "<CR>"));
        assertTrue(live.toString().endsWith("\r"), "the live line is wiped before the command's own line: " + live.toString().replace("\r", "<CR>"));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).startsWith("wrote 3 trajectories"), stderr.toString(StandardCharsets.UTF_8));
        assertSame(before, System.err, "System.err is put back");
    }

    @Test
    void withoutQuietTrainingLogsEachEvaluation() throws Exception {
        CliRun r = train("train");
        assertEquals(0, r.exitCode(), r.err());
        String log = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("INFO  DeepKoopmanTrainer - step 10/20") && log.contains("step 20/20"), log);
    }
}
