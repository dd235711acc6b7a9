package dev.litenet;

import java.nio.file.Path;

/**
 * A problem with input that came from outside (a file, an argument, a setting): one clear message naming the
 * file and the problem. It is the one exception type LiteNet throws for bad input, in the library and in every
 * tool built on it; the command line prints the message alone and exits with code 2, the server answers with a
 * 4xx JSON error, the Spark job writes it into the row's {@code error} column.
 */
public class BadInputException extends RuntimeException {
    /**
     * A problem with an argument or setting.
     *
     * @param message what is wrong, for a person to read
     */
    public BadInputException(String message) { super(message); }

    /**
     * A problem with a file.
     *
     * @param file    the file
     * @param problem what is wrong with it
     */
    public BadInputException(Path file, String problem) { super(file + ": " + problem); }

    /**
     * A problem with a file, found through another exception.
     *
     * @param file    the file
     * @param problem what is wrong with it
     * @param cause   the exception that showed it
     */
    public BadInputException(Path file, String problem, Throwable cause) { super(file + ": " + problem, cause); }
}
