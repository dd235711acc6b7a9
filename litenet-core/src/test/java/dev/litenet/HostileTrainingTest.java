package dev.litenet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue classes 7, 8 and 9: degenerate data and settings are refused with one clear message before training. */
class HostileTrainingTest {
    @TempDir Path dir;

    private Path imageFolder(String... classes) throws IOException {
        Path data = dir.resolve("data");
        for (String c : classes) {
            Files.createDirectories(data.resolve(c));
            for (int i = 0; i < 3; i++) ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR), "png", data.resolve(c).resolve(i + ".png").toFile());
        }
        return data;
    }

    @Test void aRunFolderInsideTheDataFolderIsRefused() throws IOException {
        Path data = imageFolder("cat", "dog");
        assertThatThrownBy(() -> TransferLearning.from("weights.tflite").data(data).runFolder(data.resolve("run")).fit())
                .isInstanceOf(BadInputException.class).hasMessageContaining("the run folder is inside the data folder");
    }

    @Test void oneClassIsRefused() throws IOException {
        Path data = imageFolder("cat");
        String weights = Shared.path("weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite").toString();
        assertThatThrownBy(() -> TransferLearning.from(weights).data(data).runFolder(dir.resolve("run")).fit())
                .isInstanceOf(BadInputException.class).hasMessageContaining("at least 2 class folders, found 1 [cat]");
    }

    @Test void nonFiniteSettingsAreRefused() {
        assertThatThrownBy(() -> TransferLearning.from("w").learningRate(Double.POSITIVE_INFINITY)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> TransferLearning.from("w").weightDecay(Double.NaN)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> TransferLearning.from("w").batchSize(Integer.MAX_VALUE)).isInstanceOf(BadInputException.class);
    }
}
