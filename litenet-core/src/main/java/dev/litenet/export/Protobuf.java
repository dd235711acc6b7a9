package dev.litenet.export;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A protocol-buffers message being written (protobuf.dev, "Encoding"): each field is a tag
 * {@code (number << 3) | wire type} then its value, varints for integers and enums (wire type 0), 32-bit little-endian
 * for floats (5), a length then bytes for strings, bytes, packed repeated scalars and nested messages (2). Fields are
 * written in the order called; a nested message is built as its own {@code Protobuf} and added whole.
 */
final class Protobuf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Protobuf int64(int field, long value) {
        tag(field, 0);
        varint(value);
        return this;
    }

    Protobuf float32(int field, float value) {
        tag(field, 5);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    Protobuf string(int field, String value) { return bytes(field, value.getBytes(StandardCharsets.UTF_8)); }

    Protobuf bytes(int field, byte[] value) {
        tag(field, 2);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    Protobuf message(int field, Protobuf message) { return bytes(field, message.toByteArray()); }

    /** A packed repeated int64 (proto3's default, and what onnx.proto's repeated ints accept). */
    Protobuf packedInt64(int field, long... values) {
        Protobuf p = new Protobuf();
        for (long v : values) p.varint(v);
        return bytes(field, p.toByteArray());
    }

    /** A packed repeated float. */
    Protobuf packedFloat(int field, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return bytes(field, b.array());
    }

    byte[] toByteArray() { return out.toByteArray(); }

    private void tag(int field, int wireType) { varint(((long) field << 3) | wireType); }

    /** Base-128, least significant group first; negative numbers take ten bytes (two's complement, as int64). */
    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
