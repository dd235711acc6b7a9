package dev.litenet;

/**
 * Weights that could not be fetched: the download of a known name did not connect, stalled, was cut short, was
 * answered with an HTTP error, or did not match its published sha256. Nothing is wrong with the caller's input, so
 * this is not a {@link BadInputException}: the command line prints the message and exits with code 3, the server
 * answers 503. The cure is a network, a file already in the cache, or the weights on the class path (a weights
 * artifact such as {@code dev.litenet:litenet-weights-mobilenet}) or in {@code $LITENET_SHARED/weights}. The
 * message is one printable line ({@link BadInputException#printable}).
 */
public class WeightsUnavailableException extends RuntimeException {
    /**
     * Weights that could not be fetched.
     *
     * @param message what was fetched from where, and why it failed
     * @param cause   the exception that showed it, or null
     */
    public WeightsUnavailableException(String message, Throwable cause) { super(BadInputException.printable(message), cause); }
}
