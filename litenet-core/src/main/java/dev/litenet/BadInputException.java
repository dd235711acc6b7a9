package dev.litenet;

import java.nio.file.Path;

/**
 * A problem with input that came from outside (a file, an argument, a setting): one clear message naming the
 * file and the problem. It is the one exception type LiteNet throws for bad input, in the library and in every
 * tool built on it; the command line prints the message alone and exits with code 2, the server answers with a
 * 4xx JSON error, the Spark job writes it into the row's {@code error} column. The message is one printable
 * line: control characters (newlines, terminal escape sequences) in file names and values read from files are
 * shown as {@code \\uXXXX}, see {@link #printable}.
 */
public class BadInputException extends RuntimeException {
    /**
     * A problem with an argument or setting.
     *
     * @param message what is wrong, for a person to read
     */
    public BadInputException(String message) { super(printable(message)); }

    /**
     * A problem with a file.
     *
     * @param file    the file
     * @param problem what is wrong with it
     */
    public BadInputException(Path file, String problem) { super(printable(file + ": " + problem)); }

    /**
     * A problem with a file, found through another exception.
     *
     * @param file    the file
     * @param problem what is wrong with it
     * @param cause   the exception that showed it
     */
    public BadInputException(Path file, String problem, Throwable cause) { super(printable(file + ": " + problem), cause); }

    /**
     * Makes text safe to print on a terminal: C0 and C1 control characters (ESC, CR, LF, ...), DEL and the
     * bidirectional overrides become {@code \\uXXXX}; everything else is kept.
     *
     * @param text any text, or null
     * @return the text with unsafe characters escaped ("null" for null)
     */
    public static String printable(String text) {
        if (text == null) return "null";
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            if (unsafe && b == null) b = new StringBuilder(text.length() + 16).append(text, 0, i);
            if (b != null) {
                if (unsafe) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }
}
