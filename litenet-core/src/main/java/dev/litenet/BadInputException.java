package dev.litenet;

import java.nio.file.Path;

/**
 * A problem with input that came from outside (a file, an argument): one clear message naming the file and
 * the problem. The command line prints the message alone and exits with code 2.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) { super(message); }

    public BadInputException(Path file, String problem) { super(file + ": " + problem); }

    public BadInputException(Path file, String problem, Throwable cause) { super(file + ": " + problem, cause); }
}
