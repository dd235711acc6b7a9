package dev.litenet.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON reader and writer of LiteNet: safetensors headers, run folders and every command's {@code --json}
 * (whose keys are snake_case). Parsing gives {@code LinkedHashMap} (key order kept),
 * {@code ArrayList}, {@code String}, {@code Long} (integers), {@code Double}, {@code Boolean} and {@code null};
 * writing takes the same kinds (any {@code Map} with string keys, any {@code List}, any {@code Number}; NaN and
 * infinities become {@code null}).
 */
public final class Json {
    private static final int MAX_DEPTH = 64;

    /** Malformed JSON, with the character position of the problem. */
    public static final class ParseException extends RuntimeException {
        ParseException(String message) { super(message); }
    }

    private final String text;
    private int pos;

    private Json(String text) { this.text = text; }

    public static Object parse(String text) {
        Json p = new Json(text);
        p.space();
        Object value = p.value(0);
        p.space();
        if (p.pos != text.length()) throw p.error("unexpected text after the JSON value");
        return value;
    }

    /** Compact JSON. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /**
     * JSON for people to read: two-space indentation, one entry per line; a list of plain values, or a small
     * map of them (a table row), stays on one line.
     */
    public static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        pretty(value, out, "");
        return out.append('\n').toString();
    }

    private static void pretty(Object value, StringBuilder out, String indent) {
        if (isFlat(value)) {
            write(value, out);
            return;
        }
        String inner = indent + "  ";
        if (value instanceof Map<?, ?> m) {
            out.append("{\n");
            int i = 0;
            for (var e : m.entrySet()) {
                out.append(inner);
                quote(String.valueOf(e.getKey()), out);
                out.append(": ");
                pretty(e.getValue(), out, inner);
                out.append(++i < m.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else {
            List<?> l = (List<?>) value;
            out.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                out.append(inner);
                pretty(l.get(i), out, inner);
                out.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        }
    }

    /** A plain value, a list of plain values, or a map whose values are plain values or lists of them. */
    private static boolean isFlat(Object value) {
        return switch (value) {
            case List<?> l -> l.stream().allMatch(v -> !(v instanceof List<?>) && !(v instanceof Map<?, ?>));
            case Map<?, ?> m -> m.values().stream().allMatch(v -> !(v instanceof Map<?, ?>)
                    && !(v instanceof List<?> l && !isFlat(l)));
            case null, default -> true;
        };
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH);
        if (pos >= text.length()) throw error("unexpected end");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        space();
        if (peek() == '}') { pos++; return map; }
        while (true) {
            space();
            if (peek() != '"') throw error("expected a string key");
            String key = string();
            space();
            expect(':');
            space();
            if (map.containsKey(key)) throw error("duplicate key \"" + key + "\"");
            map.put(key, value(depth + 1));
            space();
            if (peek() == ',') { pos++; continue; }
            expect('}');
            return map;
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        pos++;
        space();
        if (peek() == ']') { pos++; return list; }
        while (true) {
            space();
            list.add(value(depth + 1));
            space();
            if (peek() == ',') { pos++; continue; }
            expect(']');
            return list;
        }
    }

    private String string() {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == '"') return b.toString();
            if (c < 0x20) throw error("control character in a string");
            if (c != '\\') { b.append(c); continue; }
            if (pos >= text.length()) throw error("unterminated string");
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) throw error("short \\u escape");
                    try {
                        b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        boolean integer = true;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c >= '0' && c <= '9') pos++;
            else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') { integer = false; pos++; }
            else break;
        }
        String s = text.substring(start, pos);
        try {
            return integer ? (Object) Long.parseLong(s) : (Object) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error("bad or too large number " + s);
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) throw error("unexpected text");
        pos += word.length();
        return value;
    }

    private char peek() {
        if (pos >= text.length()) throw error("unexpected end");
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void space() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) pos++;
    }

    private ParseException error(String problem) { return new ParseException("bad JSON at character " + pos + ": " + problem); }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> quote(s, out);
            case Boolean b -> out.append(b);
            case Long n -> out.append(n);
            case Integer n -> out.append(n);
            case Number n -> {                                  // Double, Float: JSON has no NaN or infinity
                double d = n.doubleValue();
                out.append(Double.isFinite(d) ? Double.toString(d) : "null");
            }
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    quote((String) e.getKey(), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(',');
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
