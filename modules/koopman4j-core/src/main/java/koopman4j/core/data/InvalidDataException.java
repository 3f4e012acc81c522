package koopman4j.core.data;

/**
 * Bad input from a user: a file, a config field or an argument that cannot be used. The message is
 * one line that names the file, line or field at fault; the command line turns it into exit code 2.
 */
public class InvalidDataException extends RuntimeException {
    public InvalidDataException(String message) {
        super(message);
    }

    public InvalidDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
