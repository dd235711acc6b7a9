package dev.litenet.io;

import dev.litenet.models.TfliteImport;
import dev.litenet.models.TfliteMobileNetV2;

import dev.litenet.tensor.TorchTensor;

import dev.litenet.Shared;
import dev.litenet.io.TfliteModel.Padding;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The torchvision state_dict made from both TFLite files: keys and order against a real torchvision
 * state_dict (fixtures/mobilenet_v2), parameter count, and values: torch-layout convs plus the identity
 * BatchNorms recompute the reference interpreter's first three convs and its logits.
 */
class TfliteMobileNetV2Test {
    /** torchvision 3,504,872 parameters for 1000 classes; 1001 classes add 1280 + 1 more. */
    private static final long PARAMETERS_1001 = 3_504_872 - 1_281_000 + 1_282_281;

    @Test
    void keysAreExactlyTorchvisionsInOrderForBothFiles() throws IOException {
        List<String> torchvision = torchvisionKeys();
        assertThat(torchvision).hasSize(314);
        for (Path file : List.of(TfliteFiles.uint8(), TfliteFiles.int8())) {
            TfliteImport imported = TfliteMobileNetV2.toStateDict(TfliteFile.read(file));
            assertThat(new ArrayList<>(imported.stateDict().keySet())).isEqualTo(torchvision);
            assertThat(imported.parameterCount()).isEqualTo(PARAMETERS_1001).isEqualTo(3_506_153);
            assertThat(imported.numClasses()).isEqualTo(1001);
            assertThat(imported.padding()).isEqualTo(dev.litenet.tensor.Padding.TF_SAME);
            assertThat(imported.labels()).hasSize(1001).startsWith("background");
            Map<String, TorchTensor> sd = imported.stateDict();
            assertThat(sd.get("features.0.0.weight").shape()).containsExactly(32, 3, 3, 3);
            assertThat(sd.get("features.1.conv.0.0.weight").shape()).containsExactly(32, 1, 3, 3);
            assertThat(sd.get("features.1.conv.1.weight").shape()).containsExactly(16, 32, 1, 1);
            assertThat(sd.get("features.2.conv.0.0.weight").shape()).containsExactly(96, 16, 1, 1);
            assertThat(sd.get("features.17.conv.1.0.weight").shape()).containsExactly(960, 1, 3, 3);
            assertThat(sd.get("features.17.conv.2.weight").shape()).containsExactly(320, 960, 1, 1);
            assertThat(sd.get("features.18.0.weight").shape()).containsExactly(1280, 320, 1, 1);
            assertThat(sd.get("classifier.1.weight").shape()).containsExactly(1001, 1280);
            assertThat(sd.get("classifier.1.bias").shape()).containsExactly(1001);
        }
    }

    @Test
    void batchNormsAreIdentityPlusTheFoldedBias() {
        TfliteModel m = TfliteFile.read(TfliteFiles.uint8());
        Map<String, TorchTensor> sd = TfliteMobileNetV2.toStateDict(m).stateDict();
        assertThat(sd.get("features.0.1.bias").data()).containsExactly(m.tensor(m.operators().get(0).inputs()[2]).values());
        for (var e : sd.entrySet()) {
            String key = e.getKey();
            float[] v = e.getValue().data();
            if (key.endsWith("running_mean")) assertThat(v).containsOnly(0f);
            if (key.endsWith("running_var")) for (float f : v) assertThat(f + 1e-5f).isEqualTo(1f);
            if (key.endsWith("num_batches_tracked")) {
                assertThat(e.getValue().shape()).isEmpty();
                assertThat(v).containsExactly(0f);
            }
            if (key.endsWith(".weight") && e.getValue().shape().length == 1) assertThat(v).as(key).containsOnly(1f);
        }
    }

    @Test
    void preprocessingComesFromTheInputQuantization() {
        var uint8 = TfliteMobileNetV2.toStateDict(TfliteFile.read(TfliteFiles.uint8())).preprocessing();
        assertThat(uint8).isEqualTo(dev.litenet.data.Preprocess.tfCentralCrop(0.875, 224, 128, 128));
        var int8 = TfliteMobileNetV2.toStateDict(TfliteFile.read(TfliteFiles.int8())).preprocessing();
        assertThat(int8.normalize().offset()[0]).isEqualTo(127f);
        assertThat(int8.normalize().scale()[0]).isCloseTo(127.5f, within(1e-3f));
    }

    @Test
    void torchLayoutWeightsReproduceTheReferenceInterpreter() throws IOException {
        for (Path file : List.of(TfliteFiles.uint8(), TfliteFiles.int8())) {
            TfliteModel m = TfliteFile.read(file);
            TfliteImport imported = TfliteMobileNetV2.toStateDict(m);
            Path photo = Shared.path("data/cats-dogs/val/cat/cat.100.jpg");
            var ref = TfliteReference.run(m, ImageNetInput.load(photo, imported.preprocessing()));
            var sd = imported.stateDict();
            // the first three convs: stem 3x3 s2, depthwise 3x3, project 1x1 (no ReLU6)
            int first = m.operators().get(0).op() == TfliteModel.Op.QUANTIZE ? 1 : 0;
            float[] x = ref.tensors()[m.operators().get(first).inputs()[0]];
            float[] stem = torchConv(sd, "features.0.0", "features.0.1", x, 224, 3, 2, false, true);
            float[] dw = torchConv(sd, "features.1.conv.0.0", "features.1.conv.0.1", stem, 112, 32, 1, true, true);
            float[] project = torchConv(sd, "features.1.conv.1", "features.1.conv.2", dw, 112, 32, 1, false, false);
            assertClose(stem, ref.tensors()[m.operators().get(first).outputs()[0]]);
            assertClose(dw, ref.tensors()[m.operators().get(first + 1).outputs()[0]]);
            assertClose(project, ref.tensors()[m.operators().get(first + 2).outputs()[0]]);
            // the classifier: logits = W features + b
            float[] w = sd.get("classifier.1.weight").data(), b = sd.get("classifier.1.bias").data(), logits = new float[1001];
            for (int o = 0; o < 1001; o++) {
                double sum = b[o];
                for (int i = 0; i < 1280; i++) sum += w[o * 1280 + i] * ref.features()[i];
                logits[o] = (float) sum;
            }
            assertClose(logits, ref.logits());
        }
    }

    /**
     * Conv2d from torch-layout weights {@code [out, in/groups, k, k]} (groups = channels when depthwise), then
     * eval BatchNorm {@code (z - mean) / sqrt(var + 1e-5) * weight + bias}, then ReLU6. TF-SAME padding.
     * x (size,size,channels) NHWC -> (size/stride, size/stride, out) NHWC.
     */
    private static float[] torchConv(Map<String, TorchTensor> sd, String conv, String bn, float[] x, int size,
                                     int channels, int stride, boolean depthwise, boolean relu6) {
        TorchTensor weight = sd.get(conv + ".weight");
        int out = weight.shape()[0], perGroup = weight.shape()[1], k = weight.shape()[2];
        int[] sizeAndPad = TfliteReference.outSizeAndPad(Padding.SAME, size, k, stride);
        int os = sizeAndPad[0], pad = sizeAndPad[1];
        float[] w = weight.data(), y = new float[os * os * out];
        float[] gamma = sd.get(bn + ".weight").data(), beta = sd.get(bn + ".bias").data();
        float[] mean = sd.get(bn + ".running_mean").data(), var = sd.get(bn + ".running_var").data();
        for (int oy = 0; oy < os; oy++)
            for (int ox = 0; ox < os; ox++)
                for (int o = 0; o < out; o++) {
                    double z = 0;
                    for (int i = 0; i < perGroup; i++) {
                        int ic = depthwise ? o : i;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
                                    z += w[((o * perGroup + i) * k + ky) * k + kx] * x[(iy * size + ix) * channels + ic];
                                }
                            }
                    }
                    double v = (z - mean[o]) / Math.sqrt(var[o] + 1e-5) * gamma[o] + beta[o];
                    y[(oy * os + ox) * out + o] = (float) (relu6 ? Math.min(Math.max(v, 0), 6) : v);
                }
        return y;
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(1e-4f + 1e-4f * Math.abs(expected[i])));
        }
    }

    /**
     * The state_dict keys of torchvision's MobileNetV2, in order, from the pickle inside the fixture .pth
     * (the strings after BINUNICODE opcodes 'X' that name parameters and buffers).
     */
    private static List<String> torchvisionKeys() throws IOException {
        Pattern key = Pattern.compile("(features|classifier)(\\.(\\d+|conv))*\\.(weight|bias|running_mean|running_var|num_batches_tracked)");
        byte[] pickle;
        try (ZipFile zip = new ZipFile(Shared.path("fixtures/mobilenet_v2/mobilenet_v2_calib.pth").toFile())) {
            var entry = zip.stream().filter(e -> e.getName().endsWith("/data.pkl")).findFirst().orElseThrow();
            pickle = zip.getInputStream(entry).readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (int i = 0; i + 5 < pickle.length; i++) {
            if (pickle[i] != 'X') continue;
            int n = b.getInt(i + 1);
            if (n <= 0 || n > 100 || i + 5 + n > pickle.length) continue;
            String s = new String(pickle, i + 5, n, StandardCharsets.UTF_8);
            if (key.matcher(s).matches()) keys.add(s);
        }
        return new ArrayList<>(keys);
    }
}
