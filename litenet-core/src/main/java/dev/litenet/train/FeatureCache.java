package dev.litenet.train;

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
 * Format: "LNFC1", int dim, then records of 32 bytes sha256 + dim big-endian floats.
 */
public final class FeatureCache {
    private static final byte[] MAGIC = {'L', 'N', 'F', 'C', '1'};
    private final Path file;
    private final int dim;
    private final Map<String, float[]> features = new HashMap<>();
    private boolean dirty;

    private FeatureCache(Path file, int dim) { this.file = file; this.dim = dim; }

    /** Opens (or starts) the cache for these weights and this preprocessing in {@code dir}. */
    public static FeatureCache open(Path dir, String weightsSha256, String preprocessing, int dim) {
        String key = sha256Hex((weightsSha256 + "\n" + preprocessing + "\n" + dim).getBytes()).substring(0, 16);
        FeatureCache cache = new FeatureCache(dir.resolve("features-" + key + ".bin"), dim);
        cache.read();
        return cache;
    }

    public Path file() { return file; }

    public int size() { return features.size(); }

    public float[] get(String imageSha256) { return features.get(imageSha256); }

    public void put(String imageSha256, float[] f) {
        if (f.length != dim) throw new IllegalArgumentException("feature of " + f.length + " values, cache holds " + dim);
        features.put(imageSha256, f);
        dirty = true;
    }

    private void read() {
        if (!Files.isRegularFile(file)) return;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC) || in.readInt() != dim) return;
            byte[] sha = new byte[32];
            while (true) {
                try {
                    in.readFully(sha);
                } catch (EOFException end) {
                    break;
                }
                float[] f = new float[dim];
                for (int i = 0; i < dim; i++) f[i] = in.readFloat();
                for (float v : f) if (!Float.isFinite(v)) throw new IOException("a non-finite feature value");   // damaged
                features.put(HexFormat.of().formatHex(sha), f);
            }
        } catch (IOException damaged) {
            features.clear();                                           // rebuilt from the images
        }
    }

    /** Writes the cache atomically if anything was added. */
    public void save() throws IOException {
        if (!dirty) return;
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "features", ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.write(MAGIC);
            out.writeInt(dim);
            for (var e : features.entrySet()) {
                out.write(HexFormat.of().parseHex(e.getKey()));
                for (float v : e.getValue()) out.writeFloat(v);
            }
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
