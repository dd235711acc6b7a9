package dev.litenet.models;

import dev.litenet.Mutations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.litenet.data.Preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzz target for a run folder's metadata: mutants of a real model.json beside real weights of a small model,
 * read past the manifest check (which would refuse every mutant by its sha256).
 */
class RunFolderFuzzTest {
    private static Path dir;
    private static byte[] meta;

    @BeforeAll static void seeds() throws IOException {
        dir = Files.createTempDirectory("fuzz-run");
        Model model = new Model(new MobileNetV2(2, 0.35f), List.of("cat", "dog"), Preprocess.TORCHVISION_IMAGENET, "fuzz", "0", List.of());
        RunFolder.save(dir, model);
        meta = Files.readAllBytes(dir.resolve(RunFolder.META));
    }


    @Test void runFolderMetadata() throws IOException {
        Mutations.fuzz("run-folder", List.of(meta), dir.resolve(RunFolder.META), 
                () -> RunFolder.read(dir.resolve(RunFolder.META), dir.resolve(RunFolder.MODEL), null));
    }
}
