package dev.litenet;

import dev.litenet.io.Budget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The public API's contract for misuse: every call with bad data throws {@link BadInputException} with one
 * clear message; a null argument itself is a {@link NullPointerException} naming the parameter (as the javadoc
 * of {@link ImageClassifier} says); {@code k} above the number of classes is refused.
 */
class ApiContractTest {
    static ImageClassifier net;
    static PreparedImage cat;
    @TempDir static Path tmp;

    @BeforeAll static void load() {
        net = ImageClassifier.pretrained(Shared.path("weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite"));
        cat = net.prepare(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"));
    }

    @Test void kOutsideOneToTheClassesIsRefused() {
        Path photo = Shared.path("data/cats-dogs/val/cat/cat.100.jpg");
        for (int k : new int[] {0, -1, 1001, 100_000, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> net.predict(photo, k)).isExactlyInstanceOf(BadInputException.class)
                    .hasMessage("top-k must be 1 to 1000 (the classes of this model), got " + k);
            assertThatThrownBy(() -> net.predictBatch(List.of(cat), k)).isExactlyInstanceOf(BadInputException.class);
            assertThatThrownBy(() -> net.predictAll(List.of(photo), k)).isExactlyInstanceOf(BadInputException.class);
        }
        assertThat(net.predict(photo, 1000)).hasSize(1000);
    }

    @Test void badBatchesAreBadInput() {
        assertThatThrownBy(() -> net.predictBatch(List.of(), 1)).isExactlyInstanceOf(BadInputException.class).hasMessageContaining("empty batch");
        assertThatThrownBy(() -> net.embedBatch(List.of())).isExactlyInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> net.probabilities(List.of())).isExactlyInstanceOf(BadInputException.class);
        List<PreparedImage> withNull = new ArrayList<>(List.of(cat, cat));
        withNull.add(null);
        assertThatThrownBy(() -> net.predictBatch(withNull, 1)).isExactlyInstanceOf(BadInputException.class).hasMessage("images[2] is null");
        assertThatThrownBy(() -> net.embedBatch(withNull)).isExactlyInstanceOf(BadInputException.class).hasMessage("images[2] is null");
        PreparedImage small = new PreparedImage("small.jpg", 8, new float[8 * 8 * 3]);
        assertThatThrownBy(() -> net.predictBatch(List.of(cat, small), 1)).isExactlyInstanceOf(BadInputException.class)
                .hasMessage("small.jpg: prepared at 8, this classifier takes 224 (prepare it with this classifier)");
        assertThatThrownBy(() -> net.predictBatch(Collections.nCopies(ImageClassifier.MAX_BATCH_SIZE + 1, cat), 1))
                .isExactlyInstanceOf(BadInputException.class).hasMessageContaining("over the most of " + ImageClassifier.MAX_BATCH_SIZE);
        List<Path> files = new ArrayList<>(List.of(Shared.path("data/cats-dogs/val/cat/cat.100.jpg")));
        files.add(null);
        assertThatThrownBy(() -> net.predictAll(files, 1)).isExactlyInstanceOf(BadInputException.class).hasMessage("images[1] is null");
        assertThatThrownBy(() -> net.embedAll(files)).isExactlyInstanceOf(BadInputException.class).hasMessage("images[1] is null");
        assertThatThrownBy(() -> net.predictAll(List.of(), 1, 0)).isExactlyInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> net.predictAll(List.of(), 1, 100_000)).isExactlyInstanceOf(BadInputException.class);
    }

    @Test void preparedImagesCheckThemselves() {
        for (int size : new int[] {0, -3, Integer.MIN_VALUE, 26_755, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> new PreparedImage("x", size, new float[3])).as("size %d", size)
                    .isExactlyInstanceOf(BadInputException.class).hasMessageStartingWith("x: a prepared image's size must be 1 to");
        }
        assertThatThrownBy(() -> new PreparedImage("x", 4, new float[47])).isExactlyInstanceOf(BadInputException.class)
                .hasMessage("x: a prepared image of size 4 needs 4×4×3 = 48 values, got 47");
        float[] nan = new float[48];
        nan[5] = Float.NaN;
        assertThatThrownBy(() -> new PreparedImage("x", 4, nan)).isExactlyInstanceOf(BadInputException.class).hasMessageContaining("NaN at index 5");
        assertThatThrownBy(() -> new PreparedImage("x", 4, null)).isExactlyInstanceOf(NullPointerException.class).hasMessage("pixels");
        assertThatThrownBy(() -> new PreparedImage(null, 4, new float[48])).isExactlyInstanceOf(NullPointerException.class).hasMessage("name");
    }

    @Test void nullArgumentsNameTheirParameter() {
        assertThatThrownBy(() -> net.predict((Path) null, 1)).isExactlyInstanceOf(NullPointerException.class).hasMessage("image");
        assertThatThrownBy(() -> net.predict((BufferedImage) null, 1)).isExactlyInstanceOf(NullPointerException.class).hasMessage("image");
        assertThatThrownBy(() -> net.predictBatch(null, 1)).isExactlyInstanceOf(NullPointerException.class).hasMessage("images");
        assertThatThrownBy(() -> net.predictAll(null, 1)).isExactlyInstanceOf(NullPointerException.class).hasMessage("images");
        assertThatThrownBy(() -> net.prepare("x", (byte[]) null)).isExactlyInstanceOf(NullPointerException.class).hasMessage("bytes");
        assertThatThrownBy(() -> net.embed((Path) null)).isExactlyInstanceOf(NullPointerException.class).hasMessage("image");
        assertThatThrownBy(() -> net.evaluate(null)).isExactlyInstanceOf(NullPointerException.class).hasMessage("folder");
    }

    @Test void anImageOverBudgetOnlyAfterResizingIsNamedByFile() throws IOException {
        Path thin = tmp.resolve("thin.png");
        ImageIO.write(new BufferedImage(20_000, 1, BufferedImage.TYPE_3BYTE_BGR), "png", thin.toFile());
        ImageClassifier torchvision = net.withPreprocess(dev.litenet.data.Preprocess.TORCHVISION_IMAGENET);
        assertThatThrownBy(() -> torchvision.predict(thin, 1)).isExactlyInstanceOf(BadInputException.class)
                .hasMessage(thin + ": image of 5120000x256 pixels is over the budget of " + Budget.IMAGE_PIXELS + " pixels");
        assertThat(torchvision.predictAll(List.of(thin), 1).getFirst().error()).startsWith(thin + ": image of 5120000x256");
        byte[] bytes = Files.readAllBytes(thin);
        assertThatThrownBy(() -> torchvision.prepare("upload.png", bytes)).hasMessageStartingWith("upload.png: image of 5120000x256");
        assertThatThrownBy(() -> torchvision.prepare("bad\nname", new byte[] {1, 2, 3})).isExactlyInstanceOf(BadInputException.class)
                .hasMessage("bad\\u000aname: not a supported image (JPEG, PNG, BMP, GIF)");
        assertThatThrownBy(() -> net.prepare("x", Arrays.copyOf(bytes, 0))).hasMessage("x: empty file");
    }
}
