package dev.litenet.io;

import dev.litenet.BadInputException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Read-only access to a FlatBuffers buffer (little-endian): tables through their vtables, vectors, strings.
 * Every offset and length read from the bytes is checked against the buffer before use; anything out of
 * range is a {@link BadInputException} naming the file. Positions are absolute byte offsets into the buffer.
 *
 * <p>Layout (flatbuffers.dev, "FlatBuffers internals"): the buffer starts with a uoffset to the root table.
 * A table starts with an soffset: {@code vtable = table - soffset}. A vtable is {@code [u16 vtableSize,
 * u16 tableSize, u16 fieldOffset...]}; field offset 0 means "absent, use the default". A reference field holds
 * a uoffset relative to its own position. A vector (and a string) is a u32 length followed by the elements.
 */
final class FlatBuffer {
    /** A vector's element area: {@code length} elements starting at {@code start}. */
    record Vec(int start, int length) {
        static final Vec EMPTY = new Vec(0, 0);
    }

    private final Path file;
    private final ByteBuffer bytes;

    FlatBuffer(Path file, byte[] data) {
        this.file = file;
        this.bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    Path file() { return file; }

    int size() { return bytes.capacity(); }

    BadInputException bad(String problem) { return new BadInputException(file, problem); }

    /** Position of the root table. */
    int root() { return table(follow(0)); }

    /** Absolute position of a table field's value, or -1 when the field is absent. */
    int field(int table, int slot) {
        int vtable = checked((long) table - i32(table), 4, "vtable");
        int vtableSize = u16(vtable);
        int entry = 4 + 2 * slot;
        if (entry + 2 > vtableSize) return -1;
        int offset = u16(checked((long) vtable + entry, 2, "vtable entry"));
        return offset == 0 ? -1 : checked((long) table + offset, 1, "table field");
    }

    byte byteField(int table, int slot, byte fallback) {
        int p = field(table, slot);
        return p < 0 ? fallback : bytes.get(checked(p, 1, "byte field"));
    }

    int intField(int table, int slot, int fallback) {
        int p = field(table, slot);
        return p < 0 ? fallback : bytes.getInt(checked(p, 4, "int field"));
    }

    float floatField(int table, int slot, float fallback) {
        int p = field(table, slot);
        return p < 0 ? fallback : bytes.getFloat(checked(p, 4, "float field"));
    }

    /** The sub-table a field refers to, or -1 when absent. */
    int tableField(int table, int slot) {
        int p = field(table, slot);
        return p < 0 ? -1 : table(follow(p));
    }

    /** The vector a field refers to, checked to fit the buffer with {@code elementSize} bytes per element. */
    Vec vector(int table, int slot, int elementSize) {
        int p = field(table, slot);
        if (p < 0) return Vec.EMPTY;
        int at = follow(p);
        long length = Integer.toUnsignedLong(bytes.getInt(checked(at, 4, "vector length")));
        checked(at + 4L, length * elementSize, "vector of " + length + " elements");
        return new Vec(at + 4, (int) length);
    }

    /** Element {@code i} of a vector of tables. */
    int tableAt(Vec v, int i) {
        java.util.Objects.checkIndex(i, v.length());
        return table(follow(v.start() + 4 * i));
    }

    String string(int table, int slot) {
        Vec v = vector(table, slot, 1);
        byte[] s = new byte[v.length()];
        bytes.get(v.start(), s);
        return new String(s, StandardCharsets.UTF_8);
    }

    int[] ints(int table, int slot) {
        Vec v = vector(table, slot, 4);
        int[] out = new int[v.length()];
        for (int i = 0; i < out.length; i++) out[i] = bytes.getInt(v.start() + 4 * i);
        return out;
    }

    long[] longs(int table, int slot) {
        Vec v = vector(table, slot, 8);
        long[] out = new long[v.length()];
        for (int i = 0; i < out.length; i++) out[i] = bytes.getLong(v.start() + 8 * i);
        return out;
    }

    float[] floats(int table, int slot) {
        Vec v = vector(table, slot, 4);
        float[] out = new float[v.length()];
        for (int i = 0; i < out.length; i++) out[i] = bytes.getFloat(v.start() + 4 * i);
        return out;
    }

    byte[] ubytes(int table, int slot) {
        Vec v = vector(table, slot, 1);
        byte[] out = new byte[v.length()];
        bytes.get(v.start(), out);
        return out;
    }

    /** A little-endian view of a byte vector's contents. */
    ByteBuffer view(Vec byteVector) {
        return bytes.slice(byteVector.start(), byteVector.length()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The position a uoffset at {@code at} points to. */
    private int follow(int at) {
        long offset = Integer.toUnsignedLong(bytes.getInt(checked(at, 4, "offset")));
        return checked(at + offset, 1, "offset target");
    }

    /** A table position whose soffset can be read. */
    private int table(int at) { return checked(at, 4, "table"); }

    private int i32(int at) { return bytes.getInt(checked(at, 4, "table header")); }

    private int u16(int at) { return Short.toUnsignedInt(bytes.getShort(checked(at, 2, "vtable"))); }

    /** {@code at} as an int, after checking that {@code length} bytes from there lie inside the buffer. */
    private int checked(long at, long length, String what) {
        if (at < 0 || length < 0 || at + length > size()) {
            throw bad(what + " at byte " + at + " (" + length + " bytes) lies outside the file (" + size() + " bytes)");
        }
        return (int) at;
    }
}
