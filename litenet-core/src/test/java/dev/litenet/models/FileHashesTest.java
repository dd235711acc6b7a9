package dev.litenet.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A file's sha256 is remembered for its version only. */
class FileHashesTest {
    @Test
    void aChangedFileIsHashedAgain(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.bin"), memo = dir.resolve("memo");
        Files.write(file, new byte[] {1, 2, 3});
        String first = FileHashes.sha256Hex(file, memo);
        assertThat(first).isEqualTo(FileHashes.hash(file)).isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
        assertThat(FileHashes.sha256Hex(file, memo)).isEqualTo(first);
        Files.write(file, new byte[] {1, 2, 4});                        // same size, new content
        assertThat(FileHashes.sha256Hex(file, memo)).isEqualTo(FileHashes.hash(file)).isNotEqualTo(first);
    }

    @Test
    void aForgedEntryIsIgnored(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.bin"), memo = dir.resolve("memo");
        Files.write(file, new byte[] {9, 9});
        FileHashes.sha256Hex(file, memo);
        try (var entries = Files.list(memo)) {
            for (Path e : entries.toList()) Files.writeString(e, "another version\n" + "00".repeat(32) + "\n");
        }
        Files.write(file, new byte[] {9, 8});                           // a new version, not yet in memory
        assertThat(FileHashes.sha256Hex(file, memo)).isEqualTo(FileHashes.hash(file));
    }
}
