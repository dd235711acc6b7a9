package dev.litenet.io;

import dev.litenet.models.TfliteImport;
import dev.litenet.models.TfliteMobileNetV2;

import dev.litenet.Shared;
import dev.litenet.io.TfliteModel.Padding;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The float reference interpreter on real photos: with Google's preprocessing, both ImageNet files put the
 * top-1 of 1001 classes (0 = background) on a cat breed (282..286) for cats and a dog breed (152..269) for dogs.
 */
class TfliteReferenceTest {

    @Test
    void tfSamePaddingPutsTheExtraAtBottomRight() {
        assertThat(TfliteReference.outSizeAndPad(Padding.SAME, 224, 3, 2)).containsExactly(112, 0); // total 1
        assertThat(TfliteReference.outSizeAndPad(Padding.SAME, 112, 3, 1)).containsExactly(112, 1); // total 2
        assertThat(TfliteReference.outSizeAndPad(Padding.SAME, 7, 3, 2)).containsExactly(4, 1);     // total 2
        assertThat(TfliteReference.outSizeAndPad(Padding.SAME, 8, 1, 2)).containsExactly(4, 0);     // total 0
        assertThat(TfliteReference.outSizeAndPad(Padding.VALID, 7, 7, 1)).containsExactly(1, 0);
    }

    @Test
    void theFirstCatIsACatForBothFiles() throws IOException {
        Path first;
        try (var files = Files.list(Shared.path("data/cats-dogs/val/cat"))) {
            first = files.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        for (Path model : List.of(TfliteFiles.uint8(), TfliteFiles.int8())) assertTop1(model, first, 282, 286);
    }

    @Test
    void catsAndDogsAreTheirOwnImageNetClasses() throws IOException {
        for (Path model : List.of(TfliteFiles.uint8(), TfliteFiles.int8())) {
            assertTop1(model, Shared.path("data/cats-dogs/val/cat/cat.117.jpg"), 282, 286);
            assertTop1(model, Shared.path("data/cats-dogs/val/dog/dog.1000.jpg"), 152, 269);
            assertTop1(model, Shared.path("data/cats-dogs/val/dog/dog.113.jpg"), 152, 269);
        }
    }

    private static void assertTop1(Path modelFile, Path photo, int firstClass, int lastClass) throws IOException {
        TfliteModel model = TfliteFile.read(modelFile);
        TfliteImport imported = TfliteMobileNetV2.toStateDict(model);
        var result = TfliteReference.run(model, ImageNetInput.load(photo, imported.preprocessing()));
        assertThat(result.features()).hasSize(1280);
        assertThat(result.logits()).hasSize(1001);
        assertThat(result.top1()).as("%s on %s: %s", modelFile.getFileName(), photo.getFileName(),
                imported.labels().get(result.top1())).isBetween(firstClass, lastClass);
    }
}
