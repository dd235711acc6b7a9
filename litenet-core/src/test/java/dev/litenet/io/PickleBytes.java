package dev.litenet.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, so tests can make exactly the pickle they need (good or hostile). */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBytes proto() { return op(0x80).op(2); }

    PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleBytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** GLOBAL 'module\nname\n'. */
    PickleBytes global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** BINUNICODE: u32 length and UTF-8 bytes. */
    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').u32(b.length).raw(b);
    }

    /** SHORT_BINUNICODE. */
    PickleBytes shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op(0x8c).op(b.length).raw(b);
    }

    /** BININT (signed 32-bit). */
    PickleBytes integer(long v) { return op('J').u32((int) v); }

    /** LONG1 of the given little-endian bytes. */
    PickleBytes long1(byte... le) { return op(0x8a).op(le.length).raw(le); }

    PickleBytes mark() { return op('('); }

    PickleBytes tuple() { return op('t'); }

    PickleBytes emptyTuple() { return op(')'); }

    PickleBytes emptyDict() { return op('}'); }

    PickleBytes emptyList() { return op(']'); }

    PickleBytes reduce() { return op('R'); }

    PickleBytes setitem() { return op('s'); }

    PickleBytes setitems() { return op('u'); }

    PickleBytes appends() { return op('e'); }

    PickleBytes persid() { return op('Q'); }

    PickleBytes none() { return op('N'); }

    PickleBytes newFalse() { return op(0x89); }

    PickleBytes newTrue() { return op(0x88); }

    PickleBytes put(int index) { return op('q').op(index); }

    PickleBytes get(int index) { return op('h').op(index); }

    PickleBytes stop() { return op('.'); }

    /** A tuple of integers, MARK ... TUPLE. */
    PickleBytes ints(long... values) {
        mark();
        for (long v : values) integer(v);
        return tuple();
    }

    PickleBytes u32(int v) { return raw((byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)); }

    byte[] bytes() { return out.toByteArray(); }
}
