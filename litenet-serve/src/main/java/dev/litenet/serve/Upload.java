package dev.litenet.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The image a request carries: the raw body (any {@code image/*} type, or {@code application/octet-stream}) or the
 * {@code file} field of a {@code multipart/form-data} form. A body announced as larger than the limit is refused
 * before any of it is read; one that turns out larger is refused as soon as it passes the limit.
 *
 * @param name  the upload's file name, or "upload"
 * @param bytes the encoded image
 */
record Upload(String name, byte[] bytes) {
    static final String FIELD = "file";

    static Upload read(Context ctx, long maxBytes) {
        long length = ctx.req().getContentLengthLong();
        if (length > maxBytes) throw tooLarge(length + " bytes", maxBytes);
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) return multipart(ctx, maxBytes);
        if (!type.isEmpty() && !type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
            throw new HttpError(415, "Content-Type " + ctx.contentType() + " is not an image: send the image bytes as image/*, or a multipart form with a '" + FIELD + "' field");
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new HttpError(400, "cannot read the request body: " + e.getMessage());
        }
        if (body.length > maxBytes) throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
        if (body.length == 0) throw new HttpError(400, "no image: the request body is empty (send the image bytes, or a multipart form with a '" + FIELD + "' field)");
        return new Upload("upload", body);
    }

    private static Upload multipart(Context ctx, long maxBytes) {
        UploadedFile file;
        try {
            file = ctx.uploadedFile(FIELD);
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
            if (why.toLowerCase(Locale.ROOT).contains("exceed")) throw tooLarge("a form over the limit", maxBytes);
            throw new HttpError(400, "cannot read the multipart form: " + why);
        }
        if (file == null) {
            Set<String> fields = new TreeSet<>(ctx.formParamMap().keySet());
            fields.addAll(ctx.uploadedFileMap().keySet());
            throw new HttpError(400, "no '" + FIELD + "' field in the form" + (fields.isEmpty() ? "" : " (it has: " + String.join(", ", fields) + ")"));
        }
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new HttpError(400, "cannot read the '" + FIELD + "' field: " + e.getMessage());
        }
        if (bytes.length == 0) throw new HttpError(400, "no image: the '" + FIELD + "' field is empty");
        String name = file.filename() == null || file.filename().isBlank() ? "upload" : file.filename();
        return new Upload(name, bytes);
    }

    private static HttpError tooLarge(String what, long maxBytes) {
        return new HttpError(413, "request body too large: " + what + ", the limit is " + maxBytes + " bytes (--max-body-mb)");
    }
}
