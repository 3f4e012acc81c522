package koopman4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and keeps what it wrote on stderr. */
record CliRun(int exitCode, String err) {

    static CliRun of(String... args) {
        StringWriter err = new StringWriter();
        int code = Koopman4j.execute(new PrintWriter(err, true), args);
        return new CliRun(code, err.toString().trim());
    }
}
