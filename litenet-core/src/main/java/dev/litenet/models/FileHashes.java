package dev.litenet.models;


import dev.litenet.io.CacheMac;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sha256 of a weights file, computed once per version of the file: a version is its real path, size,
 * modification and status change times and file key (inode). The hash is remembered for the process, and the hash
 * of a known checkpoint ({@link KnownWeights}) also in {@code <cache>/weights/.sha256/}, one small file a version
 * holding the version, the hash and their keyed MAC ({@link CacheMac}); a remembered entry that does not name this
 * very version, or whose MAC does not match, is ignored and the file hashed again. A weights file is hashed to check it against its known
 * sha256, to key the feature and prepared-weights caches, and to record where a model came from; hashing 14 MB
 * every time took longer than reading it.
 */
final class FileHashes {
    private static final Map<String, String> BY_VERSION = new ConcurrentHashMap<>();
    private static final int BUFFER = 1 << 16, MAX_ENTRY_BYTES = 4096;

    private FileHashes() {}

    static String sha256Hex(Path file) throws IOException {
        return sha256Hex(file, WeightsCache.defaultDir().resolve(".sha256"));
    }

    /** As {@link #sha256Hex(Path)}, remembering in {@code dir}. */
    static String sha256Hex(Path file, Path dir) throws IOException {
        String version = version(file);
        String sha = BY_VERSION.get(version);
        if (sha != null) return sha;
        Path entry = entry(dir, version);
        sha = remembered(entry, version);
        if (sha == null) {
            sha = hash(file);
            if (known(sha)) remember(entry, version, sha);
        }
        BY_VERSION.put(version, sha);
        return sha;
    }

    /** The entry of a version of a file in {@code dir}. */
    static Path entry(Path dir, String version) {
        return dir.resolve(HexFormat.of().formatHex(sha256().digest(version.getBytes(StandardCharsets.UTF_8)), 0, 16));
    }

    /** Whether this is the sha256 of one of the {@link KnownWeights}: the files worth remembering, a bounded few. */
    static boolean known(String sha256) {
        return KnownWeights.bySha256(sha256).isPresent();
    }

    /** The sha256 of the bytes, read now. */
    static String hash(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) != -1; ) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    // real path, size, modification time, file key and (on Unix) the status change time, which no one can set back
    static String version(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Object changed;
        try {
            changed = Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException noUnix) {
            changed = "-";
        }
        return file.toRealPath() + "\n" + a.size() + " " + a.lastModifiedTime() + " " + changed + " " + a.fileKey();
    }

    // the hash an entry holds for exactly this version, or null
    private static String remembered(Path entry, String version) {
        try {
            if (!Files.isRegularFile(entry) || Files.size(entry) > MAX_ENTRY_BYTES) return null;
            String text = Files.readString(entry, StandardCharsets.UTF_8);
            if (!text.startsWith(version + "\n")) return null;
            String[] rest = text.substring(version.length() + 1).strip().split("\n");
            if (rest.length != 2 || !rest[0].matches("[0-9a-f]{64}") || !rest[1].matches("[0-9a-f]{64}")) return null;
            return CacheMac.verify(mac(version, rest[0]), HexFormat.of().parseHex(rest[1])) ? rest[0] : null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    // the entry's MAC binds the hash to this version of this file: a line forged or copied from another entry fails
    private static byte[] mac(String version, String sha) {
        return CacheMac.of("sha256".getBytes(StandardCharsets.UTF_8), version.getBytes(StandardCharsets.UTF_8), sha.getBytes(StandardCharsets.UTF_8));
    }

    // best effort: a cache that cannot be written only costs the next process a hash
    private static void remember(Path entry, String version, String sha) {
        try {
            Files.createDirectories(entry.getParent());
            Path tmp = Files.createTempFile(entry.getParent(), "sha256", ".tmp");
            Files.writeString(tmp, version + "\n" + sha + "\n" + HexFormat.of().formatHex(mac(version, sha)) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException ignored) {
            // not remembered
        }
    }
}
