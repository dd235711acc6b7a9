package dev.litenet.serve;

import dev.litenet.io.Json;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The errors Jetty answers itself, before or around Javalin's routes (a request line or headers too large or
 * malformed, 431, 400, 413, 500 of a failed dispatch), as {@code {"error": ...}} JSON like every other error of
 * the server, without Java class names or stack traces.
 */
final class JsonErrors {
    private JsonErrors() {}

    /** The JSON body of an error. */
    static byte[] body(int status, String message) {
        return Json.write(Map.of("error", text(status, message))).getBytes(StandardCharsets.UTF_8);
    }

    /** A message without Java class names, or the status's own words when there is none. */
    static String text(int status, String message) {
        String m = message == null ? "" : message.replaceAll("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:? ?", "").strip();
        if (!m.isEmpty()) return m;
        return switch (status) {
            case 400 -> "bad request";
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed";
            case 408 -> "request timed out";
            case 413 -> "request too large";
            case 414 -> "request URI too long";
            case 431 -> "request headers too large";
            case 503 -> "server busy; try again shortly";
            default -> status >= 500 ? "internal error" : "request refused (" + status + ")";
        };
    }

    /** Jetty's server-wide error handler. */
    static final class Server extends ErrorHandler {
        @Override public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(body(status, reason));
        }

        @Override protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            writeJson(response, code, message, callback);
        }
    }

    /** The error handler of Javalin's servlet context. */
    static final class Servlet extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(body(status, reason));
        }

        @Override protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            writeJson(response, code, message, callback);
        }

        @Override protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                               java.util.List<java.nio.charset.Charset> charsets, int code, String message, Throwable cause) {
            writeJson(response, code, message, callback);
            return true;
        }
    }

    private static void writeJson(Response response, int code, String message, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (code == 503) response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }
}
