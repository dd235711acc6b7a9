package dev.litenet.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Element types a stored tensor can have, with their byte size and the conversion of little-endian bytes to
 * float values (integers such as {@code num_batches_tracked} become floats; int64 beyond 2^24 loses precision).
 */
enum DType {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4);

    final int size;

    DType(int size) { this.size = size; }

    /** bytes (little-endian, {@code count * size} from the buffer's position) -> float[count]. */
    float[] toFloats(ByteBuffer bytes, int count) {
        ByteBuffer in = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (this) {
            case F32 -> in.asFloatBuffer().get(out);
            case F64 -> {
                double[] d = new double[count];
                in.asDoubleBuffer().get(d);
                for (int i = 0; i < count; i++) out[i] = (float) d[i];
            }
            case F16 -> {
                short[] h = new short[count];
                in.asShortBuffer().get(h);
                for (int i = 0; i < count; i++) out[i] = Float.float16ToFloat(h[i]);
            }
            case BF16 -> {
                short[] h = new short[count];
                in.asShortBuffer().get(h);
                for (int i = 0; i < count; i++) out[i] = Float.intBitsToFloat(h[i] << 16);
            }
            case I64 -> {
                long[] l = new long[count];
                in.asLongBuffer().get(l);
                for (int i = 0; i < count; i++) out[i] = l[i];
            }
            case I32 -> {
                int[] v = new int[count];
                in.asIntBuffer().get(v);
                for (int i = 0; i < count; i++) out[i] = v[i];
            }
        }
        return out;
    }
}
