package dev.litenet.serve;

import dev.litenet.BadInputException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body (RFC 7578) read from bytes already in memory, with a budget for everything a
 * client controls: at most {@link #MAX_PARTS} parts, {@link #MAX_HEADER_BYTES} of headers per part, field names of
 * {@link #MAX_NAME_CHARS} and file names of {@link #MAX_FILE_NAME_CHARS}, a boundary of 1 to 70 characters
 * (RFC 2046). The body is scanned once (Knuth–Morris–Pratt, so no boundary makes the scan quadratic); parts other
 * than the wanted field are skipped without copying. Every problem is an {@link HttpError} 400 naming it.
 */
final class Multipart {
    static final int MAX_PARTS = 100, MAX_HEADER_BYTES = 8192, MAX_NAME_CHARS = 256, MAX_FILE_NAME_CHARS = 1024, MAX_BOUNDARY = 70;

    /** The wanted field: its file name (printable, without folders; {@code "upload"} when none) and content. */
    record Field(String fileName, byte[] content) {}

    private Multipart() {}

    /**
     * Finds a field of a form.
     *
     * @param contentType the request's Content-Type, {@code multipart/form-data; boundary=...}
     * @param body        the whole body
     * @param field       the field's name
     * @return the field
     * @throws HttpError 400 for a form that is malformed, over a budget, or without the field
     */
    static Field field(String contentType, byte[] body, String field) {
        byte[] delimiter = ("\r\n--" + boundary(contentType)).getBytes(StandardCharsets.ISO_8859_1);
        int[] table = kmpTable(delimiter);
        // the first delimiter may open the body without the CRLF before it
        int at = startsWith(body, 0, Arrays.copyOfRange(delimiter, 2, delimiter.length)) ? 0 : indexOf(body, delimiter, table, 0);
        if (at < 0) throw new HttpError(400, "malformed form: the body does not contain the boundary of its Content-Type (a wrong boundary?)");
        int pos = at + (at == 0 && body.length > 1 && body[0] == '-' ? delimiter.length - 2 : delimiter.length);
        List<String> names = new ArrayList<>();
        for (int parts = 0; ; parts++) {
            if (pos + 2 <= body.length && body[pos] == '-' && body[pos + 1] == '-') break;           // the closing delimiter
            if (parts >= MAX_PARTS) throw new HttpError(400, "form has more than " + MAX_PARTS + " parts");
            while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) pos++;              // transport padding
            if (pos + 2 > body.length || body[pos] != '\r' || body[pos + 1] != '\n') throw truncated(parts);
            pos += 2;
            int headersEnd = indexOf(body, CRLF2, CRLF2_TABLE, pos, Math.min(body.length, pos + MAX_HEADER_BYTES + 4));
            if (headersEnd < 0) {
                if (body.length - pos > MAX_HEADER_BYTES) throw new HttpError(400, "malformed form: the headers of part " + (parts + 1) + " are over " + MAX_HEADER_BYTES + " bytes");
                throw truncated(parts);
            }
            String[] disposition = disposition(new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8), parts);
            int start = headersEnd + 4, end = indexOf(body, delimiter, table, start);
            if (end < 0) throw truncated(parts);
            if (field.equals(disposition[0]) && disposition[1] != null) {
                return new Field(disposition[1], Arrays.copyOfRange(body, start, end));
            }
            if (field.equals(disposition[0])) {
                throw new HttpError(400, "the '" + field + "' field of the form is not a file (send the image as a file field)");
            }
            if (names.size() < 10) names.add(disposition[0]);
            pos = end + delimiter.length;
        }
        throw new HttpError(400, "no '" + field + "' field in the form" + (names.isEmpty() ? "" : " (it has: " + String.join(", ", names) + ")"));
    }

    private static HttpError truncated(int parts) {
        return new HttpError(400, "malformed form: part " + (parts + 1) + " is cut short (a truncated body, or no closing boundary)");
    }

    /** The boundary parameter of a Content-Type, unquoted; 1 to 70 characters. */
    static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).strip();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                if (b.isEmpty() || b.length() > MAX_BOUNDARY || !b.chars().allMatch(c -> c > 32 && c < 127)) {
                    throw new HttpError(400, "malformed form: the boundary must be 1 to " + MAX_BOUNDARY + " printable characters");
                }
                return b;
            }
        }
        throw new HttpError(400, "malformed form: the Content-Type has no boundary");
    }

    /** {@code [name, filename or null]} of a part's {@code Content-Disposition: form-data} header. */
    private static String[] disposition(String headers, int part) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) continue;
            String name = param(line, "name"), file = param(line, "filename");
            if (name == null) break;
            if (name.length() > MAX_NAME_CHARS) throw new HttpError(400, "malformed form: the field name of part " + (part + 1) + " is over " + MAX_NAME_CHARS + " characters");
            if (file != null && file.length() > MAX_FILE_NAME_CHARS) throw new HttpError(400, "malformed form: the file name of part " + (part + 1) + " is over " + MAX_FILE_NAME_CHARS + " characters");
            return new String[]{BadInputException.printable(name), file == null ? null : fileName(file)};
        }
        throw new HttpError(400, "malformed form: part " + (part + 1) + " has no Content-Disposition with a field name");
    }

    /** A parameter of a header line: {@code name="value"} (quotes and backslash escapes) or {@code name=token}. */
    private static String param(String line, String key) {
        String lower = line.toLowerCase(Locale.ROOT);
        int i = 0;
        while ((i = lower.indexOf(key + "=", i)) >= 0) {
            char before = i == 0 ? ';' : lower.charAt(i - 1);
            int v = i + key.length() + 1;
            if (before != ';' && before != ' ' && before != '\t') {
                i = v;
                continue;
            }
            if (v < line.length() && line.charAt(v) == '"') {
                StringBuilder s = new StringBuilder();
                for (int j = v + 1; j < line.length(); j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) s.append(line.charAt(++j));
                    else if (c == '"') return s.toString();
                    else s.append(c);
                }
                return s.toString();
            }
            int end = line.indexOf(';', v);
            return line.substring(v, end < 0 ? line.length() : end).strip();
        }
        return null;
    }

    /** A client's file name as the server shows it: the last path segment, control characters escaped. */
    static String fileName(String name) {
        String n = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        n = BadInputException.printable(n).replace("/", "_");
        return n.isBlank() || n.equals(".") || n.equals("..") ? "upload" : n;
    }

    private static final byte[] CRLF2 = {'\r', '\n', '\r', '\n'};
    private static final int[] CRLF2_TABLE = kmpTable(CRLF2);

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (body.length - at < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (body[at + i] != prefix[i]) return false;
        return true;
    }

    private static int[] kmpTable(byte[] p) {
        int[] t = new int[p.length];
        for (int i = 1, k = 0; i < p.length; i++) {
            while (k > 0 && p[i] != p[k]) k = t[k - 1];
            if (p[i] == p[k]) k++;
            t[i] = k;
        }
        return t;
    }

    private static int indexOf(byte[] body, byte[] p, int[] table, int from) { return indexOf(body, p, table, from, body.length); }

    /** The first {@code p} in {@code body[from, to)}, or -1; linear in the bytes scanned. */
    private static int indexOf(byte[] body, byte[] p, int[] table, int from, int to) {
        for (int i = from, k = 0; i < to; i++) {
            while (k > 0 && body[i] != p[k]) k = table[k - 1];
            if (body[i] == p[k]) k++;
            if (k == p.length) return i - p.length + 1;
        }
        return -1;
    }
}
