package dev.litenet;

import java.nio.file.Path;

/**
 * A problem with input that came from outside (a file, an argument): one clear message naming the file and
 * the problem. The command line prints the message alone and exits with code 2. The message is one printable
 * line: control characters (newlines, terminal escape sequences) in file names and values read from files are
 * shown as {@code \\uXXXX}, see {@link #printable}.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) { super(printable(message)); }

    public BadInputException(Path file, String problem) { super(printable(file + ": " + problem)); }

    public BadInputException(Path file, String problem, Throwable cause) { super(printable(file + ": " + problem), cause); }

    /**
     * {@code text} safe to print on a terminal: C0 and C1 control characters (ESC, CR, LF, ...), DEL and the
     * bidirectional overrides become {@code \\uXXXX}; everything else is kept.
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
