package dev.litenet.bench;

import dev.litenet.models.Architectures;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Parameter;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a process's float arrays start relative to 64-byte cache lines (one AVX-512 vector): the byte offset of
 * element 0 modulo 64, for the fused network's weights and for arrays of the sizes of its activations (what the
 * inference arena holds). A heap array starts wherever the allocator put it, 8-byte aligned, plus the
 * 16-byte array header, so the offset is one of 0, 8, ..., 56, drawn per array and per process, and changed when
 * a collection moves the array; a 64-byte vector load from an array at any offset but 0 spans two cache lines.
 * Prints, weighted by bytes, before and after a full collection, how much of the weights and activations sits at each offset. A count, not a time:
 * it runs on any machine. Needs uncompressed references to read addresses:
 *
 * <pre>java -XX:-UseCompressedOops --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     dev.litenet.bench.AlignmentProbe [ARCH]</pre>
 */
public final class AlignmentProbe {
    private AlignmentProbe() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        String arch = args.length > 0 ? args[0] : "mobilenet_v2";
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
        if (u.arrayIndexScale(Object[].class) != 8) {
            System.err.println("alignment-probe: run with -XX:-UseCompressedOops (addresses are read from a reference)");
            System.exit(2);
        }
        long refBase = u.arrayBaseOffset(Object[].class), floatBase = u.arrayBaseOffset(float[].class);
        Layer fused = Architectures.get(arch).build(1000).fused();
        List<float[]> weights = new ArrayList<>();
        for (Parameter p : fused.parameters()) weights.add(p.data);
        List<float[]> activations = new ArrayList<>();                 // what the arena holds: arrays of activation sizes
        for (int side : new int[]{112, 56, 28, 14, 7}) {
            for (int c : new int[]{16, 24, 32, 64, 96, 144, 192, 384, 576, 960}) activations.add(new float[side * side * c]);
        }
        System.out.printf("%s, float[] header %d bytes%n", arch, floatBase);
        report("weights", weights, u, refBase, floatBase);
        report("activation-sized", activations, u, refBase, floatBase);
        System.gc();                                                   // a full collection compacts: the arrays move
        System.out.println("after a full collection:");
        report("weights", weights, u, refBase, floatBase);
        report("activation-sized", activations, u, refBase, floatBase);
    }

    private static void report(String what, List<float[]> arrays, sun.misc.Unsafe u, long refBase, long floatBase) {
        long[] bytesAt = new long[8];
        long total = 0;
        Object[] holder = new Object[1];
        for (float[] a : arrays) {
            holder[0] = a;
            long address = u.getLong(holder, refBase) + floatBase;
            bytesAt[(int) (address % 64) / 8] += 4L * a.length;
            total += 4L * a.length;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) s.append(String.format(" %2d:%5.1f%%", i * 8, 100.0 * bytesAt[i] / Math.max(1, total)));
        System.out.printf("%-19s %4d arrays, %6.1f MB; share of bytes by offset of element 0 mod 64:%s%n", what, arrays.size(), total / 1e6, s);
    }
}
