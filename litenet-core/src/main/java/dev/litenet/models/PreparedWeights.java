package dev.litenet.models;

import dev.litenet.data.Preprocess;
import dev.litenet.io.CacheMac;
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

/**
 * A pretrained network as a known checkpoint's file ({@link KnownWeights}) became one, kept in
 * {@code <cache>/prepared/<sha256>.lnpw}, named by the file's sha256, so a later process maps it and copies the
 * model's own arrays in one go instead of parsing, dequantizing and reordering the file again. Format (little-endian): "LNPW", version 3, the architecture's
 * name, its width, classes, padding, then every state entry of the model in its order: name, value count and the values
 * in the model's stored layout; a keyed MAC ({@link CacheMac}) of the sha256 the file is named by and everything
 * before it ends the file, so a file of another model, renamed or linked in, is as unusable as a damaged one. A file that is damaged, of another
 * version or does not fit the model is ignored (and written again), never trusted.
 */
final class PreparedWeights {
    /**
     * The format's version, raised whenever the import code changes what a file becomes (layouts, folding), so files
     * prepared by an older release are ignored and prepared again. The preprocessing is not stored: it is the known
     * checkpoint's ({@link KnownWeights}), as current code states it.
     */
    private static final int MAGIC = 0x57504e4c, VERSION = 4;      // "LNPW"
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
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return null;      // a link to another model's file: not ours
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size > MAX_BYTES || size < 8 + CacheMac.BYTES) return null;
            // mapped, not read: the values are copied once, from the page cache into the model
            ByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            int end = (int) size - CacheMac.BYTES;
            byte[] stored = new byte[CacheMac.BYTES];
            b.get(end, stored);
            if (!CacheMac.verify(mac(sha256, b.slice(0, end)), stored) || b.getInt() != MAGIC || b.getInt() != VERSION) return null;
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
            long size = 28L + arch.length + CacheMac.BYTES;
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
            b.put(mac(sha256, ByteBuffer.wrap(b.array(), 0, b.position())));
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

    /** The MAC of a file's content and the sha256 it is named by: a file of another checkpoint, renamed, fails. */
    private static byte[] mac(String sha256, ByteBuffer content) {
        javax.crypto.Mac mac = CacheMac.mac();
        mac.update(("lnpw " + sha256 + "\n").getBytes(StandardCharsets.UTF_8));
        mac.update(content.duplicate());
        return mac.doFinal();
    }

    private static String string(ByteBuffer b, int end) {
        int n = b.getInt();
        if (n < 0 || n > end - b.position() || n > 1 << 16) throw new IllegalArgumentException("bad string length " + n);
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }}
