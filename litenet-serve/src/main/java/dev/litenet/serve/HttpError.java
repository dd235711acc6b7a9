package dev.litenet.serve;

/** A request the server answers with {@code status} and {@code {"error": message}}. */
final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
