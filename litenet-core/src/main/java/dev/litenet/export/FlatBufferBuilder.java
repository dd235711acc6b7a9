package dev.litenet.export;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a FlatBuffers buffer (flatbuffers.dev, "FlatBuffers internals"; the reader is {@code io/FlatBuffer}) back to
 * front, as the official builders do: children before the tables that point at them, so every uoffset points forward.
 * Objects are identified by their offset from the end of the buffer. A table is {@code startTable}, {@code add*} its
 * fields by slot, {@code endTable}; it starts with an soffset to its vtable ({@code [vtable size, table size, field
 * offsets...]}), written just before it. Scalars are aligned to their size, vectors to 4 and their element size (or
 * more when asked: TFLite buffers want 16). No vtable sharing: files are a little larger, never different to a reader.
 */
final class FlatBufferBuilder {
    private byte[] buf = new byte[1024];
    private int space = buf.length;              // buf[space..] holds what is written
    private int minAlign = 1;
    private int[] vtable;
    private int objectStart;

    /** Bytes written so far: the offset of the last object written. */
    int offset() { return buf.length - space; }

    // ---- low level ----------------------------------------------------------------------------------------------

    /** Pads so that after {@code additional} more bytes the position is aligned to {@code size}; grows as needed. */
    private void prep(int size, int additional) {
        if (size > minAlign) minAlign = size;
        int alignSize = (~(offset() + additional) + 1) & (size - 1);
        ensure(alignSize + size + additional);
        for (int i = 0; i < alignSize; i++) buf[--space] = 0;
    }

    private void ensure(int bytes) {
        if (space >= bytes) return;
        int used = offset();
        long capacity = buf.length;
        while (capacity - used < bytes) capacity *= 2;
        if (capacity > Integer.MAX_VALUE - 8) throw new IllegalStateException("a flatbuffer over 2 GB");
        byte[] bigger = new byte[(int) capacity];
        System.arraycopy(buf, space, bigger, bigger.length - used, used);
        buf = bigger;
        space = bigger.length - used;
    }

    private void putByte(int v) { buf[--space] = (byte) v; }

    private void putShort(int v) {
        buf[--space] = (byte) (v >>> 8);
        buf[--space] = (byte) v;
    }

    private void putInt(int v) {
        space -= 4;
        buf[space] = (byte) v;
        buf[space + 1] = (byte) (v >>> 8);
        buf[space + 2] = (byte) (v >>> 16);
        buf[space + 3] = (byte) (v >>> 24);
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    /** A uoffset to an object written before, relative to where it is stored. */
    private void putOffset(int target) {
        prep(4, 0);
        if (target > offset()) throw new IllegalStateException("offset to an object not yet written");
        putInt(offset() - target + 4);
    }

    // ---- vectors and strings --------------------------------------------------------------------------------------

    int createString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        prep(4, b.length + 1);
        putByte(0);
        space -= b.length;
        System.arraycopy(b, 0, buf, space, b.length);
        putInt(b.length);
        return offset();
    }

    /** A vector of bytes, its contents aligned to {@code align} (TFLite buffers: 16). */
    int createBytes(byte[] b, int align) {
        prep(Math.max(4, align), b.length);
        space -= b.length;
        System.arraycopy(b, 0, buf, space, b.length);
        prep(4, 0);
        putInt(b.length);
        return offset();
    }

    int createInts(int... v) {
        prep(4, 4 * v.length);
        for (int i = v.length - 1; i >= 0; i--) putInt(v[i]);
        putInt(v.length);
        return offset();
    }

    int createLongs(long... v) {
        prep(8, 8 * v.length);
        for (int i = v.length - 1; i >= 0; i--) putLong(v[i]);
        prep(4, 0);
        putInt(v.length);
        return offset();
    }

    int createFloats(float... v) {
        prep(4, 4 * v.length);
        for (int i = v.length - 1; i >= 0; i--) putInt(Float.floatToRawIntBits(v[i]));
        putInt(v.length);
        return offset();
    }

    /** A vector of tables or strings written before. */
    int createOffsets(int... targets) {
        prep(4, 4 * targets.length);
        for (int i = targets.length - 1; i >= 0; i--) putOffset(targets[i]);
        putInt(targets.length);
        return offset();
    }

    // ---- tables ---------------------------------------------------------------------------------------------------

    void startTable(int fields) {
        if (vtable != null) throw new IllegalStateException("a table inside a table");
        vtable = new int[fields];
        objectStart = offset();
    }

    void addByte(int slot, int v) {
        prep(1, 0);
        putByte(v);
        vtable[slot] = offset();
    }

    void addBool(int slot, boolean v) { addByte(slot, v ? 1 : 0); }

    void addInt(int slot, int v) {
        prep(4, 0);
        putInt(v);
        vtable[slot] = offset();
    }

    void addLong(int slot, long v) {
        prep(8, 0);
        putLong(v);
        vtable[slot] = offset();
    }

    void addFloat(int slot, float v) { addInt(slot, Float.floatToRawIntBits(v)); }

    void addOffset(int slot, int target) {
        putOffset(target);
        vtable[slot] = offset();
    }

    int endTable() {
        prep(4, 0);
        putInt(0);                                             // the soffset, patched below
        int object = offset();
        int last = vtable.length;
        while (last > 0 && vtable[last - 1] == 0) last--;
        ensure(2 * (last + 2));                                // room for the vtable (offsets from the end stay put)
        for (int i = last - 1; i >= 0; i--) putShort(vtable[i] == 0 ? 0 : object - vtable[i]);
        putShort(object - objectStart);
        putShort((last + 2) * 2);
        int vt = offset();
        int at = buf.length - object;                          // the table's first byte
        int soffset = vt - object;                             // vtable = table - soffset: it lies before the table
        buf[at] = (byte) soffset;
        buf[at + 1] = (byte) (soffset >>> 8);
        buf[at + 2] = (byte) (soffset >>> 16);
        buf[at + 3] = (byte) (soffset >>> 24);
        vtable = null;
        return object;
    }

    /** The finished buffer: the root table's offset and the 4-character file identifier up front. */
    byte[] finish(int root, String identifier) {
        prep(minAlign, 8);
        byte[] id = identifier.getBytes(StandardCharsets.US_ASCII);
        if (id.length != 4) throw new IllegalArgumentException("identifier must be 4 characters: " + identifier);
        for (int i = 3; i >= 0; i--) putByte(id[i]);
        putOffset(root);
        return Arrays.copyOfRange(buf, space, buf.length);
    }
}
