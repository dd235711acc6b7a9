package dev.litenet.models;

import dev.litenet.data.Preprocess;
import dev.litenet.io.Locations;
import dev.litenet.nn.Parameter;
import dev.litenet.tensor.Padding;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A pretrained network as a known checkpoint's file ({@link KnownWeights}) became one, kept in
 * {@code <cache>/prepared/<sha256>.lnpw}, named by the file's sha256, so a later process maps it and copies the
 * model's own arrays in one go instead of parsing, dequantizing and reordering the file again. Format (little-endian): "LNPW", version 3, the architecture's
 * name, its width, classes, padding, then every state entry of the model in its order: name, value count and the values
 * in the model's stored layout; a CRC-32 of everything before it ends the file. A file that is damaged, of another
 * version or does not fit the model is ignored (and written again), never trusted.
 */
final class PreparedWeights {
    /**
     * The format's version, raised whenever the import code changes what a file becomes (layouts, folding), so files
     * prepared by an older release are ignored and prepared again. The preprocessing is not stored: it is the known
     * checkpoint's ({@link KnownWeights}), as current code states it.
     */
    private static final int MAGIC = 0x57504e4c, VERSION = 3;      // "LNPW"
    private static final long MAX_BYTES = 256L << 20;
    private static final int MIN_HEAD_INPUTS = 8;                   // the narrowest embedding of any architecture

    private PreparedWeights() {}

    /** A network in eval mode with its preprocessing; {@code headless}: its head is a placeholder (stored as 0 classes). */
    record Prepared(Network network, Preprocess preprocess, boolean headless) {}

    /** {@code <cache>/prepared}. */
    static Path defaultDir() { return Locations.cache().resolve("prepared"); }

    /** The model prepared from the file with this sha256, or null when there is none to trust. */
    static Prepared read(Path dir, String sha256) {
        Path file = dir.resolve(sha256 + ".lnpw");
        if (!Files.isRegularFile(file)) return null;
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size > MAX_BYTES || size < 12) return null;
            // mapped, not read: the values are copied once, from the page cache into the model
            ByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            int end = (int) size - 8;
            CRC32 crc = new CRC32();
            crc.update(b.slice(0, end));
            if (b.getLong(end) != crc.getValue() || b.getInt() != MAGIC || b.getInt() != VERSION) return null;
            Architecture architecture = Architectures.find(string(b, end)).orElse(null);
            float width = b.getFloat();
            int classes = b.getInt(), padding = b.getInt();
            if (architecture == null || classes < 0 || classes > Architecture.MAX_CLASSES || padding < 0 || padding >= Padding.values().length) return null;
            if (4L * MIN_HEAD_INPUTS * classes > end) return null;      // the classifier alone would not fit the file
            WeightsInfo known = KnownWeights.bySha256(sha256).orElse(null);
            if (known == null) return null;
            Network model = architecture.build(Math.max(1, classes), width, 0);
            Map<String, Parameter> entries = model.stateEntries();
            if (b.getInt() != entries.size()) return null;
            for (var e : entries.entrySet()) {
                float[] data = e.getValue().data;
                if (!string(b, end).equals(e.getKey()) || b.getInt() != data.length || end - b.position() < 4L * data.length) return null;
                b.asFloatBuffer().get(data);
                b.position(b.position() + 4 * data.length);
            }
            if (b.position() != end) return null;
            model.setPadding(Padding.values()[padding]);
            model.train(false);
            return new Prepared(model, known.preprocessing(), classes == 0);
        } catch (IOException | RuntimeException | InternalError damaged) {        // InternalError: truncated while mapped
            return null;
        }
    }

    /** Keeps the model for the next process; best effort, as a cache that cannot be written only costs time. */
    static void write(Path dir, String sha256, Prepared p) {
        Path file = dir.resolve(sha256 + ".lnpw");
        try {
            Network net = p.network();
            Map<String, Parameter> entries = net.stateEntries();
            byte[] arch = net.config().architecture().getBytes(StandardCharsets.UTF_8);
            long size = 28L + arch.length + 8;
            for (var e : entries.entrySet()) size += 8L + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4L * e.getValue().data.length;
            if (size > MAX_BYTES) return;
            ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(MAGIC).putInt(VERSION).putInt(arch.length).put(arch).putFloat(net.config().widthMult())
                    .putInt(p.headless() ? 0 : net.numClasses()).putInt(net.padding().ordinal());
            b.putInt(entries.size());
            for (var e : entries.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                float[] data = e.getValue().data;
                b.putInt(name.length).put(name).putInt(data.length);
                b.asFloatBuffer().put(data);
                b.position(b.position() + 4 * data.length);
            }
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, b.position());
            b.putLong(crc.getValue());
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "prepared", ".tmp");
            try {
                Files.write(tmp, b.array());
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException ignored) {
            // not kept: the next process imports the file again
        }
    }

    private static String string(ByteBuffer b, int end) {
        int n = b.getInt();
        if (n < 0 || n > end - b.position() || n > 1 << 16) throw new IllegalArgumentException("bad string length " + n);
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }}
