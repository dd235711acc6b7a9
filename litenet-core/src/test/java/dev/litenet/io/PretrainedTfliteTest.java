package dev.litenet.io;

import dev.litenet.models.TfliteMobileNetV2;

import dev.litenet.models.Model;
import dev.litenet.models.Pretrained;

import dev.litenet.Fixtures;
import dev.litenet.Shared;
import dev.litenet.data.Batch;
import dev.litenet.data.BatchLoader;
import dev.litenet.data.ImageFolder;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's MobileNetV2 with the imported TFLite weights (TF SAME padding, identity BatchNorms) against the
 * independent op-by-op interpreter, and zero-shot sense on the 700 validation photos.
 */
class PretrainedTfliteTest {
    @ParameterizedTest
    @ValueSource(strings = {"uint8", "int8"})
    void engineMatchesTheReferenceInterpreter(String which) throws IOException {
        Path file = which.equals("uint8") ? TfliteFiles.uint8() : TfliteFiles.int8();
        TfliteModel tflite = TfliteFile.read(file);
        Model p = Pretrained.load(file);
        assertThat(p.network().numParameters()).isEqualTo(3_506_153);
        for (String image : new String[]{"data/cats-dogs/val/cat/cat.100.jpg", "data/cats-dogs/val/dog/dog.1000.jpg"}) {
            float[] x = ImageNetInput.load(Shared.path(image), TfliteMobileNetV2.toStateDict(tflite).preprocessing());
            TfliteReference.Result expected = TfliteReference.run(tflite, x);
            Tensor input = new Tensor(x, 1, 224, 224, 3);
            assertThat(Fixtures.relMaxError(p.network().embed(input.copy()).data, expected.features())).isLessThan(1e-4);
            assertThat(Fixtures.relMaxError(p.network().forward(input.copy()).data, expected.logits())).isLessThan(1e-4);
            assertThat(Fixtures.relMaxError(p.network().fused().forward(input.copy()).data, expected.logits())).isLessThan(1e-4);
        }
    }

    /**
     * With no training at all, the ImageNet classes already tell cats from dogs: the summed probability of the
     * cat classes (281–285 in 1000-class indexing, +1 for TFLite's background) against the dog classes (151–268)
     * picks the right animal for at least 90 % of the 700 validation photos (an independent float
     * re-implementation measured 93.4 %), and the top-1 class is in the right group for most of them.
     */
    @Test
    void zeroShotCatsVersusDogs() {
        Model p = Pretrained.load(TfliteFiles.uint8());
        Layer net = p.network().fused();
        ImageFolder val = ImageFolder.open(Shared.path("data/cats-dogs/val"));
        int groupRight = 0, top1Right = 0, n = 0;
        try (BatchLoader loader = new BatchLoader(val.samples(), p.preprocess().pipeline(), BatchLoader.Options.of(32))) {
            for (Batch b : loader.epoch(0)) {
                Tensor probs = CrossEntropy.softmax(net.forward(b.images()));
                for (int i = 0; i < b.size(); i++) {
                    int off = i * 1001;
                    double cat = 0, dog = 0;
                    for (int c = 282; c <= 286; c++) cat += probs.data[off + c];
                    for (int c = 152; c <= 269; c++) dog += probs.data[off + c];
                    boolean isCat = b.labels()[i] == 0;
                    if ((cat > dog) == isCat) groupRight++;
                    int top = 0;
                    for (int c = 1; c < 1001; c++) if (probs.data[off + c] > probs.data[off + top]) top = c;
                    if (isCat ? top >= 282 && top <= 286 : top >= 152 && top <= 269) top1Right++;
                    n++;
                }
            }
        }
        System.out.printf("zero-shot on %d val photos: group probability %.4f, top-1 in group %.4f%n", n, groupRight / (double) n, top1Right / (double) n);
        assertThat(n).isEqualTo(700);
        assertThat(groupRight / (double) n).isGreaterThanOrEqualTo(0.90);
        assertThat(top1Right / (double) n).isGreaterThanOrEqualTo(0.80);
    }
}
