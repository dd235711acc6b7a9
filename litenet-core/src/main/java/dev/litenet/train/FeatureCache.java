package dev.litenet.train;

import dev.litenet.io.CacheMac;

import javax.crypto.Mac;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Backbone features kept on disk, so a frozen backbone runs once per image and every epoch after that trains
 * the head in seconds. One file per (weights checksum, preprocessing): {@code features-<key>.bin} maps each
 * image's sha256 to its feature vector. A damaged file is ignored and rebuilt, never trusted.
 * Format: "LNFC2", int dim, then records of 32 bytes sha256 + dim big-endian floats, then a keyed MAC
 * ({@link CacheMac}) of the weights' sha256, the preprocessing, the dimension and everything before it: a file
 * damaged (a flipped bit, swapped records), or written for other weights or by another key, is not used.
 */
public final class FeatureCache {
    private static final long MAX_BYTES = 4L << 30;
    private static final byte[] MAGIC = {'L', 'N', 'F', 'C', '2'};
    private final Path file;
    private final String owner;                 // what the file caches: weights, preprocessing, dimension
    private String note;
    private final int dim;
    private final Map<String, float[]> features = new HashMap<>();
    private boolean dirty;

    private FeatureCache(Path file, String owner, int dim) { this.file = file; this.owner = owner; this.dim = dim; }

    /** Opens (or starts) the cache for these weights and this preprocessing in {@code dir}. */
    public static FeatureCache open(Path dir, String weightsSha256, String preprocessing, int dim) {
        String owner = weightsSha256 + "\n" + preprocessing + "\n" + dim;
        String key = sha256Hex(owner.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        FeatureCache cache = new FeatureCache(dir.resolve("features-" + key + ".bin"), owner, dim);
        cache.read();
        return cache;
    }

    public Path file() { return file; }

    public int size() { return features.size(); }

    /**
     * One line when the file was there but not used (damaged, written by another key or for other weights): it is
     * rebuilt from the images; null otherwise.
     */
    public String note() { return note; }

    public float[] get(String imageSha256) { return features.get(imageSha256); }

    public void put(String imageSha256, float[] f) {
        if (f.length != dim) throw new IllegalArgumentException("feature of " + f.length + " values, cache holds " + dim);
        features.put(imageSha256, f);
        dirty = true;
    }

    private void read() {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return;
        long record = 32L + 4L * dim;
        try {
            long size = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : -1;
            long records = (size - MAGIC.length - 4 - CacheMac.BYTES) / record;
            if (size < 0 || size > MAX_BYTES || records < 0 || MAGIC.length + 4 + records * record + CacheMac.BYTES != size) {
                throw new IOException("not a feature cache of " + dim + " values");
            }
            Mac mac = CacheMac.mac();
            mac.update(("features\n" + owner + "\n").getBytes(StandardCharsets.UTF_8));
            Map<String, float[]> read = new HashMap<>();
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
                DataInputStream in = new DataInputStream(new FilterInputStream(raw) {
                    @Override public int read() throws IOException {
                        int c = super.read();
                        if (c >= 0) mac.update((byte) c);
                        return c;
                    }

                    @Override public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) mac.update(b, off, n);
                        return n;
                    }
                });
                byte[] magic = in.readNBytes(MAGIC.length);
                if (!java.util.Arrays.equals(magic, MAGIC) || in.readInt() != dim) throw new IOException("another format");
                byte[] sha = new byte[32];
                for (long r = 0; r < records; r++) {
                    in.readFully(sha);
                    float[] f = new float[dim];
                    for (int i = 0; i < dim; i++) f[i] = in.readFloat();
                    read.put(HexFormat.of().formatHex(sha), f);
                }
                byte[] expected = mac.doFinal();
                if (!CacheMac.verify(expected, raw.readNBytes(CacheMac.BYTES))) throw new IOException("its MAC does not match");
            }
            for (float[] f : read.values()) for (float v : f) if (!Float.isFinite(v)) throw new IOException("a non-finite feature value");
            features.putAll(read);
        } catch (IOException | RuntimeException damaged) {
            features.clear();                                           // rebuilt from the images
            note = "feature cache " + file + " not used (" + damaged.getMessage() + "): damaged, or not written for these weights; rebuilding it";
            dirty = true;
        }
    }

    /** Writes the cache atomically if anything was added. */
    public void save() throws IOException {
        if (!dirty) return;
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "features", ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            Mac mac = CacheMac.mac();
            mac.update(("features\n" + owner + "\n").getBytes(StandardCharsets.UTF_8));
            DataOutputStream body = new DataOutputStream(new java.io.FilterOutputStream(out) {
                @Override public void write(int b) throws IOException {
                    mac.update((byte) b);
                    out.write(b);
                }

                @Override public void write(byte[] b, int off, int len) throws IOException {
                    mac.update(b, off, len);
                    out.write(b, off, len);
                }
            });
            body.write(MAGIC);
            body.writeInt(dim);
            for (var e : features.entrySet()) {
                body.write(HexFormat.of().parseHex(e.getKey()));
                for (float v : e.getValue()) body.writeFloat(v);
            }
            body.flush();
            out.write(mac.doFinal());
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        dirty = false;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
