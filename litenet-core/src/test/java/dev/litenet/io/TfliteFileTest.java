package dev.litenet.io;

import dev.litenet.io.TfliteModel.Op;
import dev.litenet.io.TfliteModel.Tensor;
import dev.litenet.io.TfliteModel.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Reading Google's two MobileNetV2 TFLite files; facts from shared/weights/README.md. */
class TfliteFileTest {

    @Test
    void readsTheUint8GraphAsTheReadmeDescribesIt() {
        TfliteModel m = TfliteFile.read(TfliteFiles.uint8());
        assertThat(m.version()).isEqualTo(3);
        assertThat(m.tensors()).hasSize(174);
        assertThat(opCounts(m)).isEqualTo(Map.of(Op.CONV_2D, 36, Op.DEPTHWISE_CONV_2D, 17, Op.ADD, 10,
                Op.AVERAGE_POOL_2D, 1, Op.RESHAPE, 1, Op.SOFTMAX, 1));
        Tensor input = m.tensor(0);
        assertThat(m.inputs()).containsExactly(0);
        assertThat(input.name()).isEqualTo("input");
        assertThat(input.type()).isEqualTo(Type.UINT8);
        assertThat(input.shape()).containsExactly(1, 224, 224, 3);
        assertThat(input.quantization().scale()).containsExactly(0.0078125f);
        assertThat(input.quantization().zeroPoint()).containsExactly(128L);
        assertThat(m.outputs()).containsExactly(173);
        assertThat(m.tensor(173).name()).isEqualTo("MobilenetV2/Predictions/Softmax");
        assertThat(m.tensor(169).name()).isEqualTo("MobilenetV2/Logits/AvgPool");
        assertThat(m.tensor(169).shape()).containsExactly(1, 1, 1, 1280);
        assertThat(m.metadata()).contains("TFLITE_METADATA");
    }

    @Test
    void dequantizesPerTensorUint8WeightsOntoTheirGrid() {
        TfliteModel m = TfliteFile.read(TfliteFiles.uint8());
        Tensor stem = m.tensor(m.operators().get(0).inputs()[1]);
        assertThat(stem.shape()).containsExactly(32, 3, 3, 3);
        float scale = stem.quantization().scale()[0];
        assertThat(scale).isCloseTo(0.0339689f, within(1e-7f));
        assertThat(stem.quantization().zeroPoint()).containsExactly(122L);
        for (float v : stem.values()) {
            double q = v / scale + 122;
            assertThat(q).isCloseTo(Math.rint(q), within(1e-3));
            assertThat(Math.rint(q)).isBetween(0.0, 255.0);
        }
        // the bias is int32 with scale = input scale x weight scale
        Tensor bias = m.tensor(m.operators().get(0).inputs()[2]);
        assertThat(bias.type()).isEqualTo(Type.INT32);
        assertThat(bias.quantization().scale()[0]).isCloseTo(0.0078125f * scale, within(1e-9f));
        for (float v : bias.values()) {
            double q = v / bias.quantization().scale()[0];
            assertThat(q).isCloseTo(Math.rint(q), within(1e-2));
        }
    }

    @Test
    void dequantizesPerChannelInt8WeightsAlongTheirQuantizedDimension() {
        TfliteModel m = TfliteFile.read(TfliteFiles.int8());
        Tensor conv = m.tensor(m.operators().get(1).inputs()[1]);        // [32,3,3,3], channels along dim 0
        Tensor depthwise = m.tensor(m.operators().get(2).inputs()[1]);   // [1,3,3,32], channels along dim 3
        assertThat(conv.quantization().quantizedDimension()).isZero();
        assertThat(depthwise.quantization().quantizedDimension()).isEqualTo(3);
        assertSymmetricInt8PerChannel(conv, 27);
        assertSymmetricInt8PerChannel(depthwise, 1);
    }

    /**
     * Value i belongs to channel (i / inner) % 32; each channel's values are integers times its own scale and
     * use the full symmetric range (max |q| = 127, or 0 for a dead all-zero channel), which fails if values were
     * matched to the wrong scale.
     */
    private static void assertSymmetricInt8PerChannel(Tensor t, int inner) {
        float[] scale = t.quantization().scale();
        assertThat(scale).hasSize(32);
        int[] maxAbs = new int[32];
        for (int i = 0; i < t.values().length; i++) {
            int c = (i / inner) % 32;
            double q = t.values()[i] / scale[c];
            assertThat(q).isCloseTo(Math.rint(q), within(1e-3));
            assertThat(Math.rint(q)).isBetween(-127.0, 127.0);
            maxAbs[c] = Math.max(maxAbs[c], (int) Math.abs(Math.rint(q)));
        }
        assertThat(IntStream.of(maxAbs).boxed().toList()).isSubsetOf(0, 127).contains(127);
    }

    @Test
    void readsTheInt8GraphWithQuantizeAndMean() {
        TfliteModel m = TfliteFile.read(TfliteFiles.int8());
        assertThat(opCounts(m)).isEqualTo(Map.of(Op.QUANTIZE, 2, Op.CONV_2D, 36, Op.DEPTHWISE_CONV_2D, 17,
                Op.ADD, 10, Op.MEAN, 1, Op.RESHAPE, 1, Op.SOFTMAX, 1));
        Tensor input = m.tensor(m.inputs()[0]);
        assertThat(input.type()).isEqualTo(Type.UINT8);
        assertThat(input.quantization().scale()[0]).isCloseTo(1 / 127.5f, within(1e-7f));
        assertThat(input.quantization().zeroPoint()).containsExactly(127L);
        assertThat(m.tensor(m.outputs()[0]).name()).isEqualTo("Identity");
    }

    @Test
    void findsTheLabelsBesideTheFile() {
        TfliteModel m = TfliteFile.read(TfliteFiles.uint8());
        assertThat(m.labels()).hasSize(1001);
        assertThat(m.labels().get(0)).isEqualTo("background");
        assertThat(m.labels().get(282)).isEqualTo("tabby, tabby cat");
    }

    @Test
    void findsTheLabelsInTheZipAppendedToTheFile(@TempDir Path dir) throws Exception {
        Path alone = Files.copy(TfliteFiles.int8(), dir.resolve("model.tflite"));
        Path besideOriginal = TfliteFiles.int8().resolveSibling("imagenet_labels.txt");
        assertThat(TfliteFile.read(alone).labels()).isEqualTo(Files.readAllLines(besideOriginal));
    }

    private static Map<Op, Integer> opCounts(TfliteModel m) {
        Map<Op, Integer> counts = new TreeMap<>();
        m.operators().forEach(op -> counts.merge(op.op(), 1, Integer::sum));
        return counts;
    }
}
