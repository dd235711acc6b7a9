package dev.litenet.io;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The keyed MAC (HMAC-SHA256) every cache entry carries, so an entry is used only when this user's LiteNet wrote
 * it for exactly what it claims: a forged, copied, renamed or damaged entry fails the check and is rebuilt. The
 * key is 32 random bytes in {@code <cache>/.key}, readable by its owner only, made on first use; a cache whose key
 * cannot be read or made gets a key for this process alone (its entries are then only good within it).
 */
public final class CacheMac {
    /** Bytes of a MAC. */
    public static final int BYTES = 32;
    private static volatile byte[] key;
    private static volatile Path keyFile;

    private CacheMac() {}

    /** The MAC of {@code parts}, each length-prefixed so no two lists of parts give the same input. */
    public static byte[] of(byte[]... parts) {
        Mac mac = mac();
        for (byte[] p : parts) {
            mac.update(new byte[]{(byte) (p.length >>> 24), (byte) (p.length >>> 16), (byte) (p.length >>> 8), (byte) p.length});
            mac.update(p);
        }
        return mac.doFinal();
    }

    /** A MAC over many bytes, fed by the caller: {@code update} then {@code doFinal}. */
    public static Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** True if {@code mac} is the expected one, compared in constant time. */
    public static boolean verify(byte[] expected, byte[] mac) { return mac != null && MessageDigest.isEqual(expected, mac); }

    private static byte[] key() {
        Path file = Locations.cache().resolve(".key");
        byte[] k = key;
        if (k != null && file.equals(keyFile)) return k;
        synchronized (CacheMac.class) {
            if (key != null && file.equals(keyFile)) return key;
            key = load(file);
            keyFile = file;
            return key;
        }
    }

    private static byte[] load(Path file) {
        try {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == BYTES) return Files.readAllBytes(file);
        } catch (IOException ignored) {
            // made below
        }
        byte[] fresh = new byte[BYTES];
        new SecureRandom().nextBytes(fresh);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".key", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the folder's own protection applies
                }
                Files.write(tmp, fresh);
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                else Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            byte[] written = Files.readAllBytes(file);                  // another process may have made it first
            return written.length == BYTES ? written : fresh;
        } catch (IOException | RuntimeException e) {
            return Arrays.copyOf(fresh, BYTES);
        }
    }
}
