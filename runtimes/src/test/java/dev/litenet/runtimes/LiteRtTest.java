package dev.litenet.runtimes;

import dev.litenet.ExportOptions;
import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.data.Normalize;
import dev.litenet.data.Preprocess;
import dev.litenet.export.Exportable;
import dev.litenet.export.Exporter;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every exported TFLite file run by Google's LiteRT.js in headless Chromium ({@link LiteRt}): float32 files give
 * LiteNet's logits within 1e-4 of the largest on real photos, for every architecture of the zoo, Google's pretrained
 * MobileNetV2 and trained runs (test-time flip in the graph); and, as a standing check of LiteNet's TFLite importer,
 * Google's own MobileNet files give under LiteRT the top-1 class LiteNet's import of them gives.
 */
class LiteRtTest {
    static final double TOLERANCE = 1e-4;
    @TempDir static Path tmp;

    static List<Architecture> architectures() { return Architectures.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void floatFileOfEveryArchitecture(Architecture a) throws Exception {
        Model model = Exportable.model(a, 7, 96, false);
        Path file = tmp.resolve(a.name() + ".tflite");
        Exporter.export(model, file, Exporter.Format.TFLITE, null, true, "test");
        System.out.printf("LiteRT float %s: %.2e%n", a.name(), agreement(model, file, Runtimes.photos("val", 2)));
    }

    @Test void floatFileOfGooglesPretrainedMobileNetV2() throws Exception {
        ImageClassifier net = ImageClassifier.pretrained(Shared.quantWeights());
        Path file = tmp.resolve("pretrained.tflite");
        net.export(file);
        System.out.printf("LiteRT float pretrained mobilenet_v2: %.2e%n", agreement(net.model(), file, Runtimes.photos("val", 2)));
    }

    @Test void floatFilesOfTrainedRuns() throws Exception {
        for (ImageClassifier run : List.of(TrainedRuns.fineTuned(tmp), TrainedRuns.frozenWithFlip(tmp))) {
            Path file = tmp.resolve("run.tflite");
            run.export(file, ExportOptions.tflite());
            System.out.printf("LiteRT float trained run (flip %s): %.2e%n", run.preprocess().flipAverage(),
                    agreement(run.model(), file, Runtimes.photos("val", 2)));
        }
    }

    /** Google's uint8 and int8 MobileNet files under LiteRT against LiteNet's import of them (float): the same top-1. */
    @Test void googlesFilesAgreeWithLiteNetsImport() throws Exception {
        List<Path> photos = Runtimes.photos("val", 8);
        for (String f : List.of("mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite",
                "tf2_mobilenet_v2_1.0_224_ptq/tf2_mobilenet_v2_1.0_224_ptq.tflite",
                "mobilenet_v1_0.25_128_quant/mobilenet_v1_0.25_128_quant.tflite",
                "mobilenet_v1_0.5_160_quant/mobilenet_v1_0.5_160_quant.tflite",
                "mobilenet_v1_0.75_192_quant/mobilenet_v1_0.75_192_quant.tflite")) {
            Path weights = Shared.path("weights/" + f);
            ImageClassifier net = ImageClassifier.pretrained(weights);
            LiteRt litert = LiteRt.get();
            LiteRt.Model m = litert.load(weights);
            int s = net.inputSize();
            List<byte[]> inputs = new ArrayList<>();
            for (Path p : photos) inputs.add(pixels(net.preprocess(), Runtimes.prepare(net.preprocess(), p)));
            LiteRt.Runs runs = litert.runUint8(m, inputs, 1, s, s, 3);
            litert.unload(m);
            int agree = 0;
            for (int i = 0; i < photos.size(); i++) {
                float[] theirs = runs.outputs().get(i).getFirst();                       // uint8 softmax, index 0 = background
                float[] ours = net.probabilities(List.of(net.prepare(photos.get(i))))[0];
                if (Runtimes.argmax(theirs) - 1 == Runtimes.argmax(ours)) agree++;
            }
            System.out.printf("LiteRT %s: top-1 as LiteNet's import on %d/%d photos%n", weights.getFileName(), agree, photos.size());
            assertThat(agree).as(f).isGreaterThanOrEqualTo(photos.size() - 3);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** A prepared image back to the uint8 pixels it came from: {@code round(x · scale + offset)}. */
    static byte[] pixels(Preprocess p, float[] normalized) {
        Normalize n = p.normalize();
        float[] off = n.offset(), sc = n.scale();
        byte[] out = new byte[normalized.length];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Math.max(0, Math.min(255, Math.round(normalized[i] * sc[i % 3] + off[i % 3])));
        return out;
    }

    /** LiteRT's float logits against LiteNet's for the photos; returns the worst relative difference. */
    static double agreement(Model model, Path file, List<Path> photos) throws Exception {
        LiteRt litert = LiteRt.get();
        LiteRt.Model m = litert.load(file);
        assertThat(m.inputs().getFirst().get("dtype")).isEqualTo("float32");
        int s = model.preprocess().outputSize();
        List<float[]> inputs = new ArrayList<>();
        for (Path p : photos) inputs.add(Runtimes.prepare(model.preprocess(), p));
        LiteRt.Runs runs = litert.runFloat(m, inputs, 1, s, s, 3);
        litert.unload(m);
        double worst = 0;
        for (int i = 0; i < photos.size(); i++) {
            float[] ours = OnnxRuntimeTest.dropBackground(model, Exportable.logits(model, inputs.get(i)));
            float[] logits = runs.outputs().get(i).get(0), probabilities = runs.outputs().get(i).get(1);
            double e = Exportable.relativeError(logits, ours);
            assertThat(e).as(file.getFileName() + " " + photos.get(i).getFileName()).isLessThan(TOLERANCE);
            assertThat(Runtimes.argmax(probabilities)).isEqualTo(Runtimes.argmax(ours));
            worst = Math.max(worst, e);
        }
        assertThat(Files.size(file)).isPositive();
        return worst;
    }
}
