package koopman4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import koopman4j.core.data.InvalidDataException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The koopman4j command line (ARCHITECTURE.md "Command line"). Exit codes: 0 success, 2 bad input
 * (one line on stderr naming the file, line or field), 1 internal failure.
 */
@Command(name = "koopman4j", mixinStandardHelpOptions = true, version = "koopman4j 0.1.0",
        description = "Learn linear (Koopman) structure in nonlinear dynamics and forecast it.",
        subcommands = {SimulateCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
            EdmdCommand.class, CompareCommand.class, StabilityCommand.class, ExpmvCommand.class, BenchCommand.class, StudyCommand.class,
            SweepCommand.class})
public final class Koopman4j implements Runnable {

    public static final int BAD_INPUT = 2;
    public static final int FAILURE = 1;

    /** Declares --quiet for every command; the execution strategy reads it from the parse result, wherever it matched. */
    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "show no progress (no live line, no progress or info log lines); warnings, errors and results are still printed")
    boolean quiet;

    /** Where the running command shows its progress; set before it runs. */
    private Progress progress;

    /** The progress display of the command being run (for the subcommands, through {@code @ParentCommand}). */
    Progress progress() {
        return progress;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * Runs a command line and returns its exit code (what {@link #main} passes to System.exit); progress is a live
     * line when stderr is a terminal.
     */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), stderrIsTerminal(), args);
    }

    /** The same, with error and progress lines going to {@code err}, progress as plain lines. */
    public static int execute(PrintWriter err, String... args) {
        return execute(err, false, args);
    }

    /** The same, progress as a live line when {@code terminal}. */
    static int execute(PrintWriter err, boolean terminal, String... args) {
        Koopman4j root = new Koopman4j();
        CommandLine cli = new CommandLine(root);
        cli.setErr(err);
        cli.setExecutionStrategy(parseResult -> {
            boolean quiet = false;
            for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
                quiet |= p.hasMatchedOption("--quiet");
            }
            Progress.Mode mode = quiet ? Progress.Mode.QUIET : terminal ? Progress.Mode.LIVE : Progress.Mode.LINES;
            root.progress = new Progress(err, mode, System::nanoTime);
            Level logLevel = LogManager.getLogger("koopman4j").getLevel();
            PrintStream stderr = System.err;
            try {
                if (quiet) { // the libraries' progress lines are INFO; their warnings stay
                    Configurator.setLevel("koopman4j", Level.WARN);
                }
                if (mode == Progress.Mode.LIVE) { // a log line or warning first wipes the live line
                    System.setErr(new PrintStream(new LineWiping(root.progress, stderr), true));
                }
                return new CommandLine.RunLast().execute(parseResult);
            } finally {
                root.progress.clear();
                System.setErr(stderr);
                if (quiet) {
                    Configurator.setLevel("koopman4j", logLevel);
                }
            }
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter out = commandLine.getErr();
            Throwable cause = e;
            while (!(cause instanceof InvalidDataException) && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof InvalidDataException) {
                out.println("koopman4j: " + cause.getMessage());
                out.flush();
                return BAD_INPUT;
            }
            LogManager.getLogger(Koopman4j.class).error("internal failure", e);
            out.println("koopman4j: internal error: " + e);
            out.flush();
            return FAILURE;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            PrintWriter out = e.getCommandLine().getErr();
            out.println("koopman4j: " + e.getMessage());
            out.flush();
            return BAD_INPUT;
        });
        return cli.execute(args);
    }

    /**
     * Whether stderr is a terminal: bin/koopman4j says so exactly ({@code [ -t 2 ]}); a bare {@code java -jar} falls back to
     * {@link System#console()} (a terminal on stdin and stdout). TERM=dumb terminals get plain lines.
     */
    static boolean stderrIsTerminal() {
        String launcher = System.getenv("KOOPMAN4J_STDERR_TTY");
        boolean tty = launcher != null ? launcher.equals("1") : System.console() != null;
        return tty && !"dumb".equals(System.getenv("TERM"));
    }

    /** System.err while a live line is drawn: whatever anyone else writes first wipes the line. */
    private static final class LineWiping extends OutputStream {
        private final Progress progress;
        private final OutputStream out;

        LineWiping(Progress progress, OutputStream out) {
            this.progress = progress;
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            progress.clear();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            progress.clear();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
