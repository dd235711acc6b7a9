package dev.litenet.serve;

import dev.litenet.BadInputException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The image a request carries: the raw body (any {@code image/*} type, or {@code application/octet-stream}) or the
 * {@code file} field of a {@code multipart/form-data} form ({@link Multipart}, which budgets what a client
 * controls). A body announced as larger than the limit is refused before any of it is read; one that turns out
 * larger is refused as soon as it passes the limit; one shorter than its Content-Length is refused.
 *
 * @param name  the upload's file name, or "upload"
 * @param bytes the encoded image
 */
record Upload(String name, byte[] bytes) {
    static final String FIELD = "file";

    /** Refuses a body announced as larger than the limit, before any of it is read. */
    static void checkLength(Context ctx, long maxBytes) {
        long length = ctx.req().getContentLengthLong();
        if (length > maxBytes) throw tooLarge(length + " bytes", maxBytes);
    }

    static Upload read(Context ctx, long maxBytes) {
        checkLength(ctx, maxBytes);
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        boolean form = type.startsWith("multipart/form-data");
        if (!form && !type.isEmpty() && !type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            throw new HttpError(415, "Content-Type " + BadInputException.printable(ctx.contentType()) + " is not an image: send the image bytes as image/*, or a multipart form with a '" + FIELD + "' field");
        }
        if (form) Multipart.boundary(ctx.contentType());                      // a form without a boundary: before reading it
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new HttpError(400, "cannot read the request body: " + why(e));
        }
        if (body.length > maxBytes) throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
        long length = ctx.req().getContentLengthLong();
        if (length >= 0 && body.length < length) throw new HttpError(400, "request body cut short: " + body.length + " of its Content-Length of " + length + " bytes");
        if (form) {
            Multipart.Field file = Multipart.field(ctx.contentType(), body, FIELD);
            if (file.content().length == 0) throw new HttpError(400, "no image: the '" + FIELD + "' field is empty");
            return new Upload(file.fileName(), file.content());
        }
        if (body.length == 0) throw new HttpError(400, "no image: the request body is empty (send the image bytes, or a multipart form with a '" + FIELD + "' field)");
        return new Upload("upload", body);
    }

    /** Why a body could not be read, in words: a client that stopped sending, or closed the connection. */
    static String why(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "the client stopped sending before the end of the body (idle timeout; a body shorter than its Content-Length?)";
            }
        }
        if (e instanceof java.io.EOFException) return "the client closed the connection before the end of the body";
        return "the connection failed before the end of the body";
    }

    private static HttpError tooLarge(String what, long maxBytes) {
        return new HttpError(413, "request body too large: " + what + ", the limit is " + maxBytes + " bytes (--max-body-mb)");
    }
}
