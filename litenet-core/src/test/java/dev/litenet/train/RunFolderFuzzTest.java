package dev.litenet.train;

import dev.litenet.Mutations;
import dev.litenet.data.Preprocess;
import dev.litenet.models.MobileNetV2;
import dev.litenet.nn.Linear;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Fuzz target for a run folder's metadata: mutants of a real model.json beside real weights of a small model. */
class RunFolderFuzzTest {
    private static Path dir;
    private static byte[] meta;

    @BeforeContainer static void seeds() throws IOException {
        dir = Files.createTempDirectory("fuzz-run");
        MobileNetV2 model = new MobileNetV2(2, 0.35f);
        model.setClassifier(new Linear(model.lastChannel, 2));
        RunDir.saveModel(dir, model, RunDir.meta(model, List.of("cat", "dog"), Preprocess.TORCHVISION_IMAGENET, "fuzz", "0"));
        meta = Files.readAllBytes(dir.resolve(RunDir.META));
    }

    @AfterContainer static void report() { System.out.print(Mutations.report("run-folder")); }

    @Provide Arbitrary<List<Mutations.Mutation>> mutations() { return Mutations.mutations(); }

    @Property void runFolderMetadata(@ForAll("mutations") List<Mutations.Mutation> m) throws IOException {
        Mutations.check("run-folder", dir.resolve(RunDir.META), Mutations.apply(meta, m), () -> RunDir.load(dir));
    }
}
