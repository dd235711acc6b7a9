package dev.litenet.io;

import dev.litenet.BadInputException;
import dev.litenet.Fixtures;
import dev.litenet.Shared;
import dev.litenet.data.Preprocess;
import dev.litenet.models.MobileNetV1;
import dev.litenet.models.Network;
import dev.litenet.models.StateDict;
import dev.litenet.models.TfliteImport;
import dev.litenet.models.TfliteMobileNetV1;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Tensor;
import dev.litenet.tensor.TorchTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Google's four MobileNet V1 TFLite files imported into {@link MobileNetV1}: the state_dict has exactly the
 * network's keys in order (the embedding extractor all but {@code classifier.*}), the width, classes, input size,
 * preprocessing and labels come from each file, and the network with these weights (dequantized, run in float)
 * computes what the independent op-by-op interpreter {@link TfliteReference} computes from the file on real photos.
 */
class TfliteMobileNetV1Test {
    @TempDir Path dir;

    /** What each file is: width, input size, classes (0: no classifier). */
    static Path file(String name) {
        return name.equals("1.0_224_embedding") ? TfliteFiles.v1EmbeddingExtractor() : TfliteFiles.v1(name);
    }

    @ParameterizedTest
    @CsvSource({"0.25_128, 0.25, 128, 1001", "0.5_160, 0.5, 160, 1001", "0.75_192, 0.75, 192, 1001", "1.0_224_embedding, 1.0, 224, 0"})
    void importsEveryFileWithItsWidthSizeClassesAndLabels(String name, float alpha, int size, int classes) {
        TfliteModel model = TfliteFile.read(file(name));
        assertThat(TfliteMobileNetV1.recognizes(model)).isTrue();
        TfliteImport imported = TfliteMobileNetV1.toStateDict(model);
        assertThat(imported.architecture()).isEqualTo("mobilenet_v1");
        assertThat(imported.widthMult()).isEqualTo(alpha);
        assertThat(imported.numClasses()).isEqualTo(classes);
        assertThat(imported.hasClassifier()).isEqualTo(classes > 0);
        assertThat(imported.padding()).isEqualTo(Padding.TF_SAME);
        // each file's input is uint8 with scale 1/128 and zero point 128: (p - 128) / 128 after TF-slim's eval crop
        assertThat(imported.preprocessing()).isEqualTo(Preprocess.tfCentralCrop(0.875, size, 128, 128));
        if (classes > 0) assertThat(imported.labels()).hasSize(1001).startsWith("background", "tench, Tinca tinca");
        else assertThat(imported.labels()).isEmpty();

        MobileNetV1 net = new MobileNetV1(Math.max(classes, 1), alpha);
        List<String> keys = new ArrayList<>(StateDict.of(net).keySet());
        if (classes == 0) keys.removeIf(k -> k.startsWith("classifier."));
        assertThat(new ArrayList<>(imported.stateDict().keySet())).isEqualTo(keys);
        long expected = net.numParameters() - (classes == 0 ? net.head().numParameters() : 0);
        assertThat(imported.parameterCount()).isEqualTo(expected);
        Map<String, TorchTensor> sd = imported.stateDict();
        int stem = MobileNetV1.depth(32, alpha), last = MobileNetV1.depth(1024, alpha);
        assertThat(sd.get("features.0.0.weight").shape()).containsExactly(stem, 3, 3, 3);
        assertThat(sd.get("features.1.0.0.weight").shape()).containsExactly(stem, 1, 3, 3);
        assertThat(sd.get("features.1.1.0.weight").shape()).containsExactly(MobileNetV1.depth(64, alpha), stem, 1, 1);
        assertThat(sd.get("features.13.1.0.weight").shape()).containsExactly(last, last, 1, 1);
        if (classes > 0) assertThat(sd.get("classifier.1.weight").shape()).containsExactly(classes, last);
    }

    @Test
    void batchNormsAreIdentityPlusTheFoldedBiasWithTfSlimsEps() {
        TfliteModel m = TfliteFile.read(TfliteFiles.v1("0.5_160"));
        Map<String, TorchTensor> sd = TfliteMobileNetV1.toStateDict(m).stateDict();
        assertThat(sd.get("features.0.1.bias").data()).containsExactly(m.tensor(m.operators().get(0).inputs()[2]).values());
        assertThat(sd.get("features.13.0.1.bias").data()).containsExactly(m.tensor(m.operators().get(25).inputs()[2]).values());
        assertThat(sd.get("classifier.1.bias").data()).containsExactly(m.tensor(m.operators().get(28).inputs()[2]).values());
        for (var e : sd.entrySet()) {
            String key = e.getKey();
            float[] v = e.getValue().data();
            if (key.endsWith("running_mean")) assertThat(v).containsOnly(0f);
            if (key.endsWith("running_var")) for (float f : v) assertThat(f + MobileNetV1.BN_EPS).isEqualTo(1f);
            if (key.endsWith(".weight") && e.getValue().shape().length == 1) assertThat(v).as(key).containsOnly(1f);
        }
    }

    @Test
    void mobileNetV2FilesAreNotMobileNetV1() {
        for (Path file : List.of(TfliteFiles.uint8(), TfliteFiles.int8())) {
            TfliteModel model = TfliteFile.read(file);
            assertThat(TfliteMobileNetV1.recognizes(model)).as(file.toString()).isFalse();
            assertThatThrownBy(() -> TfliteMobileNetV1.toStateDict(model)).isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith(file + ": not a MobileNet V1: ")
                    .hasMessageContaining("ADD");
        }
    }

    /** A stride or an activation changed in the flatbuffer: the first conv that no longer matches is named, with its slot. */
    @Test
    void theFirstMismatchingConvIsNamed() throws IOException {
        // DepthwiseConv2DOptions slot 2 is stride_h: Conv2d_2_depthwise (operator 3) from stride 2 to 1
        Path stride = withOption(TfliteFiles.v1("0.25_128"), "stride.tflite", 3, 2, false, 1);
        assertThatThrownBy(() -> TfliteMobileNetV1.toStateDict(TfliteFile.read(stride))).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(stride + ": operator 3 (DEPTHWISE_CONV_2D) as features.2.0.0: expected stride 2");
        // Conv2DOptions slot 3 is the fused activation: Conv2d_1_pointwise (operator 2) from RELU6 to NONE
        Path relu = withOption(TfliteFiles.v1("0.25_128"), "activation.tflite", 2, 3, true, 0);
        assertThatThrownBy(() -> TfliteMobileNetV1.toStateDict(TfliteFile.read(relu))).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(relu + ": operator 2 (CONV_2D) as features.1.1.0: expected stride 1, SAME padding, RELU6 activation");
    }

    /** A copy of {@code source} with one field of one operator's builtin options set to {@code value}. */
    private Path withOption(Path source, String name, int operator, int slot, boolean byteField, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        FlatBuffer fb = new FlatBuffer(source, bytes);
        int graph = fb.tableAt(fb.vector(fb.root(), 2, 4), 0);
        int options = fb.tableField(fb.tableAt(fb.vector(graph, 3, 4), operator), 4);
        int at = fb.field(options, slot);
        assertThat(at).as("option slot %d is stored", slot).isPositive();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (byteField) b.put(at, (byte) value);
        else b.putInt(at, value);
        return Files.write(dir.resolve(name), bytes);
    }

    /**
     * Each file, imported and run by the engine (float, dequantized weights), against the reference interpreter run
     * on the file itself: the pooled features and the logits on a cat and a dog agree to 1e-4 of their largest
     * value, also through the folded inference twin.
     */
    @ParameterizedTest
    @CsvSource({"0.25_128", "0.5_160", "0.75_192", "1.0_224_embedding"})
    void engineMatchesTheReferenceInterpreter(String name) throws IOException {
        TfliteModel tflite = TfliteFile.read(file(name));
        TfliteImport imported = TfliteMobileNetV1.toStateDict(tflite);
        Network net = imported.network();
        int size = imported.preprocessing().outputSize();
        for (String image : new String[] {"data/cats-dogs/val/cat/cat.100.jpg", "data/cats-dogs/val/dog/dog.1000.jpg"}) {
            float[] x = ImageNetInput.load(Shared.path(image), imported.preprocessing());
            TfliteReference.Result expected = TfliteReference.run(tflite, x);
            Tensor input = new Tensor(x, 1, size, size, 3);
            double features = Fixtures.relMaxError(net.embed(input.copy()).data, expected.features());
            double fusedFeatures = Fixtures.relMaxError(net.fusedEmbedding().forward(input.copy()).data, expected.features());
            System.out.printf("%s %s: features rel. max error %.2e (fused %.2e)", name, image, features, fusedFeatures);
            assertThat(features).isLessThan(1e-4);
            assertThat(fusedFeatures).isLessThan(1e-4);
            if (imported.hasClassifier()) {
                double logits = Fixtures.relMaxError(net.forward(input.copy()).data, expected.logits());
                double fused = Fixtures.relMaxError(net.fused().forward(input.copy()).data, expected.logits());
                System.out.printf(", logits %.2e (fused %.2e), top-1 %d %s", logits, fused, expected.top1(), imported.labels().get(expected.top1()));
                assertThat(logits).isLessThan(1e-4);
                assertThat(fused).isLessThan(1e-4);
            } else {
                assertThat(expected.logits()).isNull();
            }
            System.out.println();
        }
    }
}
