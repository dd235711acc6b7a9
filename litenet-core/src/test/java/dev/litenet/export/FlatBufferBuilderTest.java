package dev.litenet.export;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The builder's buffers read back as FlatBuffers say (a reader written here from "FlatBuffers internals"): tables of
 * every field kind, vectors and strings, aligned, across many growths of the buffer; the TFLite files it writes are
 * read by LiteNet's own reader and by LiteRT (ExportRoundTripTest, the runtimes module).
 */
class FlatBufferBuilderTest {
    @Test void tablesVectorsAndStringsReadBackAtEverySize() {
        SplittableRandom r = new SplittableRandom(3);
        for (int round = 0; round < 300; round++) {
            FlatBufferBuilder b = new FlatBufferBuilder();
            int n = 1 + r.nextInt(40);
            int[] tables = new int[n];
            int[][] ints = new int[n][];
            String[] names = new String[n];
            long[] longs = new long[n];
            for (int i = 0; i < n; i++) {
                ints[i] = r.ints(r.nextInt(300)).toArray();
                names[i] = "t" + i + "x".repeat(r.nextInt(50));
                longs[i] = r.nextLong();
                byte[] blob = new byte[r.nextInt(2000)];
                int blobVec = b.createBytes(blob, 16), intVec = b.createInts(ints[i]), name = b.createString(names[i]);
                b.startTable(6);
                b.addByte(0, i);
                b.addOffset(1, intVec);
                b.addOffset(2, name);
                if (i % 2 == 0) b.addLong(3, longs[i]);
                b.addOffset(4, blobVec);
                b.addFloat(5, i * 0.5f);
                tables[i] = b.endTable();
            }
            int vec = b.createOffsets(tables);
            b.startTable(1);
            b.addOffset(0, vec);
            ByteBuffer buf = ByteBuffer.wrap(b.finish(b.endTable(), "TEST")).order(ByteOrder.LITTLE_ENDIAN);
            int root = buf.getInt(0);
            assertThat(new String(buf.array(), 4, 4)).isEqualTo("TEST");
            int list = ref(buf, root, 0);
            assertThat(buf.getInt(list)).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                int t = list + 4 + 4 * i + buf.getInt(list + 4 + 4 * i);
                assertThat(buf.get(field(buf, t, 0))).isEqualTo((byte) i);
                int iv = ref(buf, t, 1);
                assertThat(buf.getInt(iv)).isEqualTo(ints[i].length);
                for (int k = 0; k < ints[i].length; k++) assertThat(buf.getInt(iv + 4 + 4 * k)).isEqualTo(ints[i][k]);
                int s = ref(buf, t, 2);
                assertThat(new String(buf.array(), s + 4, buf.getInt(s))).isEqualTo(names[i]);
                assertThat(buf.get(s + 4 + buf.getInt(s))).isZero();
                if (i % 2 == 0) {
                    assertThat(field(buf, t, 3) % 8).isZero();
                    assertThat(buf.getLong(field(buf, t, 3))).isEqualTo(longs[i]);
                } else {
                    assertThat(field(buf, t, 3)).isEqualTo(-1);
                }
                assertThat((ref(buf, t, 4) + 4) % 16).isZero();
                assertThat(buf.getFloat(field(buf, t, 5))).isEqualTo(i * 0.5f);
            }
        }
    }

    /** The position of a table's field, or -1. */
    private static int field(ByteBuffer b, int table, int slot) {
        int vtable = table - b.getInt(table);
        int size = Short.toUnsignedInt(b.getShort(vtable));
        if (4 + 2 * slot >= size) return -1;
        int off = Short.toUnsignedInt(b.getShort(vtable + 4 + 2 * slot));
        return off == 0 ? -1 : table + off;
    }

    private static int ref(ByteBuffer b, int table, int slot) {
        int f = field(b, table, slot);
        return f + b.getInt(f);
    }
}
