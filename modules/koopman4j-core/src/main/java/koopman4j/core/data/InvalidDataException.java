package koopman4j.core.data;

/**
 * Bad input from a user: a file, a config field or an argument that cannot be used. The message is
 * one line that names the file, line or field at fault; the command line turns it into exit code 2.
 * Control characters in it (a damaged file's header echoed back may hold newlines) are escaped, so it stays one line.
 */
public class InvalidDataException extends RuntimeException {
    public InvalidDataException(String message) {
        super(oneLine(message));
    }

    public InvalidDataException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** {@code message} with every control character written as an escape: a newline as backslash-n, NUL as backslash-u0000. */
    static String oneLine(String message) {
        if (message == null || message.chars().noneMatch(Character::isISOControl)) {
            return message;
        }
        StringBuilder b = new StringBuilder(message.length() + 16);
        for (char c : message.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
