package dev.litenet.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds tiny torch.save files (zip and legacy) byte by byte, the way torch lays them out. */
final class TinyTorchFiles {
    private TinyTorchFiles() {}

    /** One state_dict entry: {@code name -> _rebuild_tensor_v2(storage(key), offset, size, stride, False, OrderedDict())}. */
    record Spec(String name, String storageType, String key, long storageNumel, long offset, long[] size, long[] stride) {}

    /** The state_dict pickle; legacy persistent ids carry a sixth element (view metadata, None). */
    static byte[] stateDictPickle(List<Spec> specs, boolean legacy) {
        PickleBytes p = new PickleBytes().proto()
                .global("collections", "OrderedDict").put(0).emptyTuple().reduce().put(1)
                .mark();
        for (Spec s : specs) {
            p.str(s.name()).global("torch._utils", "_rebuild_tensor_v2")
                    .mark()
                    .mark().str("storage").global("torch", s.storageType()).str(s.key()).str("cpu").integer(s.storageNumel());
            if (legacy) p.none();
            p.tuple().persid()
                    .integer(s.offset()).ints(s.size()).ints(s.stride()).newFalse()
                    .get(0).emptyTuple().reduce()
                    .tuple().reduce();
        }
        return p.setitems()
                .emptyDict().str("_metadata").emptyDict().setitem().op('b')
                .stop().bytes();
    }

    /** A zip archive {@code folder/data.pkl}, {@code folder/data/<key>}, {@code folder/version}, entries stored. */
    static void writeZip(Path file, String folder, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(folder + "/data.pkl", pickle);
        storages.forEach((key, bytes) -> entries.put(folder + "/data/" + key, bytes));
        entries.put(folder + "/version", "3\n".getBytes());
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                entry.setCompressedSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /** The legacy layout: magic, protocol, sys_info, state_dict pickle, key list, then per key count + bytes. */
    static void writeLegacy(Path file, byte[] pickle, Map<String, byte[]> storages, Map<String, Integer> elementSizes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PickleBytes().proto()
                .long1((byte) 0x6c, (byte) 0xfc, (byte) 0x9c, (byte) 0x46, (byte) 0xf9, (byte) 0x20, (byte) 0x6a, (byte) 0xa8, (byte) 0x50, (byte) 0x19)
                .stop().bytes());
        out.writeBytes(new PickleBytes().proto().op('M').raw((byte) 0xe9, (byte) 0x03).stop().bytes());
        out.writeBytes(new PickleBytes().proto().emptyDict().mark()
                .str("protocol_version").op('M').raw((byte) 0xe9, (byte) 0x03)
                .str("little_endian").newTrue()
                .setitems().stop().bytes());
        out.writeBytes(pickle);
        PickleBytes keys = new PickleBytes().proto().emptyList().mark();
        for (String key : storages.keySet()) keys.str(key);
        out.writeBytes(keys.appends().stop().bytes());
        for (Map.Entry<String, byte[]> e : storages.entrySet()) {
            long count = e.getValue().length / elementSizes.get(e.getKey());
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(count).array());
            out.writeBytes(e.getValue());
        }
        Files.write(file, out.toByteArray());
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] shorts(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }

    static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }
}
