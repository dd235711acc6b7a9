package dev.litenet.models;

import dev.litenet.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

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
    void onlyKnownCheckpointsAreRememberedAndAForgedEntryIsIgnored(@TempDir Path dir) throws IOException {
        Path small = dir.resolve("w.bin"), memo = dir.resolve("memo");
        Files.write(small, new byte[] {9, 9});
        FileHashes.sha256Hex(small, memo);
        assertThat(memo).as("an unknown file is not remembered on disk").doesNotExist();

        Path weights = dir.resolve("weights.tflite");
        Files.copy(Shared.quantWeights(), weights);
        String sha = FileHashes.sha256Hex(weights, memo);
        assertThat(FileHashes.known(sha)).isTrue();
        List<Path> entries;
        try (var listed = Files.list(memo)) {
            entries = listed.toList();
        }
        assertThat(entries).hasSize(1);
        Files.writeString(entries.get(0), "another version\n" + "00".repeat(32) + "\n");
        Files.setLastModifiedTime(weights, FileTime.fromMillis(0));   // a new version, not yet in memory
        assertThat(FileHashes.sha256Hex(weights, memo)).isEqualTo(sha);
    }
}
