package dev.litenet.io;

import dev.litenet.BadInputException;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle reader that runs no code. It understands the binary opcodes torch.save writes (protocol 2, plus the
 * few protocol 3-4 framing and string opcodes) and builds plain Java values: {@code Long} (or
 * {@code BigInteger}), {@code Double}, {@code Boolean}, {@code String}, {@code byte[]}, {@code null}, tuples as
 * unmodifiable {@code List}, lists as {@code ArrayList}, dicts as {@code LinkedHashMap}. A global is only
 * looked up if the {@link Resolver} allows its name; any other is refused as "forbidden pickle global
 * module.name" before anything is built from it. Calls (REDUCE) and persistent ids go to the resolver.
 * BUILD (setting attributes, like the {@code _metadata} torch puts on a state_dict) is read and dropped.
 */
final class Unpickler {

    /** What a pickle may name and what calling those names builds. */
    interface Resolver {
        /** {@code global} is "module.name", e.g. "collections.OrderedDict". */
        boolean allows(String global);

        /** The value of {@code global(*args)} for an allowed global. */
        Object call(String global, List<Object> args);

        /** The object a persistent id (BINPERSID) stands for. */
        Object persistentLoad(Object pid);
    }

    /** An allowed global pushed by GLOBAL / STACK_GLOBAL, e.g. {@code torch.FloatStorage}. */
    record Global(String name) {}

    private static final Object MARK = new Object();
    private static final int MAX_GLOBAL_LINE = 256;

    private final Path file;
    private final String part;
    private final ByteBuffer in;
    private final Resolver resolver;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Unpickler(Path file, String part, ByteBuffer in, Resolver resolver) {
        this.file = file;
        this.part = part;
        this.in = in;
        this.resolver = resolver;
    }

    /**
     * Reads one pickle from {@code in}'s position up to and including STOP, leaving the position after STOP.
     * {@code part} names the pickle inside the file in error messages (e.g. "data.pkl").
     */
    static Object load(Path file, String part, ByteBuffer in, Resolver resolver) {
        return new Unpickler(file, part, in.order(ByteOrder.LITTLE_ENDIAN), resolver).run();
    }

    private Object run() {
        while (true) {
            int at = in.position();
            if (stack.size() + memo.size() > Budget.PICKLE_ITEMS) {
                throw bad("more than " + Budget.PICKLE_ITEMS + " values on the stack and memo (over the budget)", at);
            }
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) throw bad("unsupported pickle protocol " + proto, at);
                }
                case 0x95 -> skip(8, at); // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1 || stack.getFirst() == MARK) throw bad("pickle ends with " + stack.size() + " values on the stack", at);
                    return stack.getFirst();
                }
                case '(' -> stack.add(MARK);
                case '0' -> pop(at);
                case '1' -> popMark(at);
                case '}' -> stack.add(new LinkedHashMap<>());
                case ']' -> stack.add(new ArrayList<>());
                case ')' -> stack.add(Collections.unmodifiableList(new ArrayList<>()));
                case 't' -> stack.add(Collections.unmodifiableList(popMark(at)));
                case 0x85 -> stack.add(tuple(1, at));
                case 0x86 -> stack.add(tuple(2, at));
                case 0x87 -> stack.add(tuple(3, at));
                case 'l' -> stack.add(new ArrayList<>(popMark(at)));
                case 'd' -> {
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putAll(dict, popMark(at), at);
                    stack.add(dict);
                }
                case 'q' -> memo.put((long) u8(), top(at));                 // BINPUT
                case 'r' -> memo.put(u32(at), top(at));                     // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), top(at));         // MEMOIZE
                case 'h' -> stack.add(memoGet(u8(), at));                   // BINGET
                case 'j' -> stack.add(memoGet(u32(at), at));                // LONG_BINGET
                case 'J' -> { need(4, at); stack.add((long) in.getInt()); } // BININT
                case 'K' -> stack.add((long) u8());                         // BININT1
                case 'M' -> { need(2, at); stack.add((long) Short.toUnsignedInt(in.getShort())); } // BININT2
                case 0x8a -> stack.add(longLE(integerBytes(u8(), at), at)); // LONG1
                case 0x8b -> stack.add(longLE(integerBytes(length(in4(at), at), at), at)); // LONG4
                case 'G' -> { need(8, at); stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); } // BINFLOAT, big-endian
                case 'X' -> stack.add(utf8(length(u32(at), at), at));       // BINUNICODE
                case 0x8c -> stack.add(utf8(u8(), at));                     // SHORT_BINUNICODE
                case 0x8d -> stack.add(utf8(length(u64(at), at), at));      // BINUNICODE8
                case 'T' -> stack.add(latin1(length(in4(at), at), at));     // BINSTRING
                case 'U' -> stack.add(latin1(u8(), at));                    // SHORT_BINSTRING
                case 'B' -> stack.add(bytes(length(u32(at), at), at));      // BINBYTES
                case 'C' -> stack.add(bytes(u8(), at));                     // SHORT_BINBYTES
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'c' -> stack.add(global(line(at), line(at), at));      // GLOBAL
                case 0x93 -> {                                              // STACK_GLOBAL
                    Object name = pop(at), module = pop(at);
                    if (!(module instanceof String m) || !(name instanceof String n)) throw bad("STACK_GLOBAL needs two strings", at);
                    stack.add(global(m, n, at));
                }
                case 'R' -> {                                               // REDUCE
                    Object args = pop(at), callable = pop(at);
                    if (!(callable instanceof Global g)) throw bad("REDUCE on a " + kind(callable) + ", not a global", at);
                    if (!(args instanceof List<?> list)) throw bad("REDUCE arguments are a " + kind(args) + ", not a tuple", at);
                    @SuppressWarnings("unchecked") List<Object> a = (List<Object>) list;
                    stack.add(resolver.call(g.name(), a));
                }
                case 'b' -> { pop(at); top(at); }                           // BUILD: state dropped
                case 's' -> {                                               // SETITEM
                    Object value = pop(at), key = pop(at);
                    putAll(dict(at), Arrays.asList(key, value), at);
                }
                case 'u' -> {                                               // SETITEMS
                    List<Object> items = popMark(at);
                    putAll(dict(at), items, at);
                }
                case 'a' -> {                                               // APPEND
                    Object value = pop(at);
                    list(at).add(value);
                }
                case 'e' -> {                                               // APPENDS
                    List<Object> items = popMark(at);
                    list(at).addAll(items);
                }
                case 'Q' -> stack.add(resolver.persistentLoad(pop(at)));    // BINPERSID
                default -> throw bad(String.format("unsupported pickle opcode 0x%02x", op), at);
            }
        }
    }

    private Object global(String module, String name, int at) {
        String full = module + "." + name;
        if (!resolver.allows(full)) throw new BadInputException(file, part + ": forbidden pickle global " + printable(full));
        return new Global(full);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        return b.toString();
    }

    private List<Object> tuple(int n, int at) {
        if (stack.size() < n) throw bad("stack underflow", at);
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        for (Object o : top) if (o == MARK) throw bad("tuple reaches past a MARK", at);
        List<Object> t = Collections.unmodifiableList(new ArrayList<>(top));
        top.clear();
        return t;
    }

    private List<Object> popMark(int at) {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) throw bad("no MARK on the stack", at);
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private Object pop(int at) {
        Object o = top(at);
        stack.removeLast();
        return o;
    }

    private Object top(int at) {
        if (stack.isEmpty() || stack.getLast() == MARK) throw bad("stack underflow", at);
        return stack.getLast();
    }

    private Map<Object, Object> dict(int at) {
        if (!(top(at) instanceof LinkedHashMap<?, ?> m)) throw bad("SETITEM on a " + kind(top(at)) + ", not a dict", at);
        @SuppressWarnings("unchecked") Map<Object, Object> dict = (Map<Object, Object>) m;
        return dict;
    }

    private List<Object> list(int at) {
        if (!(top(at) instanceof ArrayList<?> l)) throw bad("APPEND on a " + kind(top(at)) + ", not a list", at);
        @SuppressWarnings("unchecked") List<Object> list = (List<Object>) l;
        return list;
    }

    /** Keys are restricted to scalars: hashing a self-containing list would never end. */
    private void putAll(Map<Object, Object> dict, List<Object> items, int at) {
        if (items.size() % 2 != 0) throw bad("odd number of items for a dict", at);
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            if (key != null && !(key instanceof String || key instanceof Long || key instanceof BigInteger
                    || key instanceof Double || key instanceof Boolean)) {
                throw bad("unsupported dict key type " + kind(key), at);
            }
            dict.put(key, items.get(i + 1));
        }
    }

    private Object memoGet(long index, int at) {
        if (!memo.containsKey(index)) throw bad("memo index " + index + " was never stored", at);
        return memo.get(index);
    }

    private static String kind(Object o) { return o == null ? "None" : o.getClass().getSimpleName(); }

    private int u8() {
        if (!in.hasRemaining()) throw bad("truncated pickle (no STOP)", in.position());
        return Byte.toUnsignedInt(in.get());
    }

    private long u32(int at) { need(4, at); return Integer.toUnsignedLong(in.getInt()); }

    private long in4(int at) { need(4, at); return in.getInt(); }

    private long u64(int at) { need(8, at); return in.getLong(); }

    /** A length read from the file: non-negative and no longer than what is left. */
    private int length(long n, int at) {
        if (n < 0 || n > in.remaining()) throw bad("length " + Long.toUnsignedString(n) + " runs past the end", at);
        return (int) n;
    }

    /** A pickled integer's length in bytes, within {@link Budget#PICKLE_INT_BYTES}. */
    private int integerBytes(int n, int at) {
        if (n > Budget.PICKLE_INT_BYTES) throw bad("integer of " + n + " bytes is over the budget of " + Budget.PICKLE_INT_BYTES, at);
        return n;
    }

    private void need(int n, int at) {
        if (in.remaining() < n) throw bad("truncated pickle", at);
    }

    private void skip(int n, int at) { need(n, at); in.position(in.position() + n); }

    private byte[] bytes(int n, int at) {
        need(n, at);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String utf8(int n, int at) { return new String(bytes(n, at), StandardCharsets.UTF_8); }

    private String latin1(int n, int at) { return new String(bytes(n, at), StandardCharsets.ISO_8859_1); }

    /** Two's complement little-endian integer of n bytes: Long when it fits, else BigInteger. */
    private Object longLE(int n, int at) {
        byte[] le = bytes(n, at);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** A newline-terminated ASCII line of GLOBAL. */
    private String line(int at) {
        int start = in.position();
        int limit = Math.min(in.limit(), start + MAX_GLOBAL_LINE);
        for (int i = start; i < limit; i++) {
            if (in.get(i) == '\n') {
                String s = latin1(i - start, at);
                in.get();
                return s;
            }
        }
        throw bad("GLOBAL name not terminated", at);
    }

    private BadInputException bad(String problem, int at) {
        return new BadInputException(file, part + ": " + problem + " (byte " + at + ")");
    }
}
