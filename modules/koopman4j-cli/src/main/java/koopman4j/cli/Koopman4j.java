package koopman4j.cli;

import java.io.PrintWriter;
import koopman4j.core.data.InvalidDataException;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs a command line and returns its exit code (what {@link #main} passes to System.exit). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), args);
    }

    /** The same, with error lines going to {@code err}. */
    public static int execute(PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Koopman4j());
        cli.setErr(err);
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

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
