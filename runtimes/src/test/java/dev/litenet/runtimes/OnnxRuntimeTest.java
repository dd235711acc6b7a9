package dev.litenet.runtimes;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.litenet.ExportOptions;
import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.export.Exportable;
import dev.litenet.export.Exporter;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every exported ONNX file run by ONNX Runtime Java 1.29 (the oracle: not part of the product) on real photos gives
 * LiteNet's logits within 1e-4 of the largest, at a batch of several photos (the batch dimension is dynamic), and
 * onnx's checker (full check) accepts it: every architecture of the zoo (seeded weights, BatchNorm statistics away
 * from identity), Google's pretrained MobileNetV2 and MobileNet V1 (TF SAME padding, the background output dropped), a
 * fine-tuned run, and a frozen-head run trained with test-time flip (both views in the graph; or one view, whose
 * outputs for a photo and its mirror average to LiteNet's).
 */
class OnnxRuntimeTest {
    static final double TOLERANCE = 1e-4;
    static OrtEnvironment env;
    static final List<Path> checked = new ArrayList<>();
    @TempDir static Path tmp;

    @BeforeAll static void start() { env = OrtEnvironment.getEnvironment(); }

    /** onnx's checker over every file the tests wrote, in one process. */
    @AfterAll static void checker() throws Exception {
        if (checked.isEmpty()) return;
        OnnxChecker.requireAvailable();
        String out = OnnxChecker.check(checked);
        System.out.print(out);
        assertThat(out).contains("ok").doesNotContain("FAIL");
    }

    static List<Architecture> architectures() { return Architectures.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void everyArchitecture(Architecture a) throws Exception {
        Model model = Exportable.model(a, 7, 96, false);
        Path file = tmp.resolve(a.name() + ".onnx");
        Exporter.export(model, file, Exporter.Format.ONNX, null, true, "test");
        double worst = agreement(model, file, Runtimes.photos("val", 2));
        System.out.printf("ORT %s: max |ORT - LiteNet| / max |LiteNet| = %.2e%n", a.name(), worst);
    }

    @Test void googlesPretrainedMobileNetV2() throws Exception {
        ImageClassifier net = ImageClassifier.pretrained(Shared.quantWeights());
        Path file = tmp.resolve("mobilenet_v2_1.0_224_quant.onnx");
        net.export(file);
        double worst = agreement(net.model(), file, Runtimes.photos("val", 2));
        System.out.printf("ORT pretrained mobilenet_v2 (Google): %.2e%n", worst);
    }

    @Test void googlesPretrainedMobileNetV1() throws Exception {
        ImageClassifier net = ImageClassifier.pretrained(Shared.path("weights/mobilenet_v1_0.25_128_quant/mobilenet_v1_0.25_128_quant.tflite"));
        Path file = tmp.resolve("mobilenet_v1_0.25_128_quant.onnx");
        net.export(file);
        double worst = agreement(net.model(), file, Runtimes.photos("val", 2));
        System.out.printf("ORT pretrained mobilenet_v1 0.25/128 (Google): %.2e%n", worst);
    }

    @Test void aFineTunedRun() throws Exception {
        ImageClassifier run = TrainedRuns.fineTuned(tmp);
        Path file = tmp.resolve("fine-tuned.onnx");
        run.export(file, ExportOptions.onnx());
        double worst = agreement(run.model(), file, Runtimes.photos("val", 2));
        System.out.printf("ORT fine-tuned mobilenet_v2 (features.16 on): %.2e%n", worst);
    }

    @Test void aFrozenHeadRunWithTestTimeFlip() throws Exception {
        ImageClassifier run = TrainedRuns.frozenWithFlip(tmp);
        Path file = tmp.resolve("frozen-flip.onnx");
        Exporter.Result r = run.export(file, ExportOptions.onnx());
        assertThat(r.notes()).anyMatch(n -> n.contains("both views"));
        double worst = agreement(run.model(), file, Runtimes.photos("val", 2));
        System.out.printf("ORT frozen head with test-time flip (both views): %.2e%n", worst);
    }

    /** One view in the file: the file's logits for a photo and its mirror, averaged, are LiteNet's (as the note says). */
    @Test void aFrozenHeadRunWithTestTimeFlipInOneView() throws Exception {
        ImageClassifier run = TrainedRuns.frozenWithFlip(Files.createDirectories(tmp.resolve("one-view")));
        Path file = tmp.resolve("frozen-one-view.onnx");
        Exporter.Result r = run.export(file, ExportOptions.onnx().oneView());
        assertThat(r.notes()).anyMatch(n -> n.contains("average the outputs for the image and its mirror"));
        int s = run.inputSize();
        double worst = 0;
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            assertThat(session.getMetadata().getCustomMetadata().get("test_time_flip")).contains("one view");
            for (Path photo : Runtimes.photos("val", 2)) {
                float[] x = Runtimes.prepare(run.preprocess(), photo), image = Runtimes.nchw(x, s), batch = new float[2 * image.length];
                System.arraycopy(image, 0, batch, 0, image.length);
                System.arraycopy(mirrored(image, s), 0, batch, image.length, image.length);
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), new long[] {2, 3, s, s});
                     OrtSession.Result result = session.run(Map.of("image", input))) {
                    float[][] logits = (float[][]) result.get("logits").orElseThrow().getValue();
                    float[] mean = new float[logits[0].length];
                    for (int k = 0; k < mean.length; k++) mean[k] = 0.5f * (logits[0][k] + logits[1][k]);
                    double e = Exportable.relativeError(mean, Exportable.logits(run.model(), x));
                    assertThat(e).as(photo.getFileName().toString()).isLessThan(TOLERANCE);
                    worst = Math.max(worst, e);
                }
            }
        }
        checked.add(file);
        System.out.printf("ORT frozen head with test-time flip (one view, outputs averaged): %.2e%n", worst);
    }

    /** NCHW (3,S,S) mirrored left to right. */
    static float[] mirrored(float[] nchw, int s) {
        float[] out = new float[nchw.length];
        for (int c = 0; c < 3; c++) for (int y = 0; y < s; y++) for (int x = 0; x < s; x++) out[(c * s + y) * s + x] = nchw[(c * s + y) * s + s - 1 - x];
        return out;
    }

    /** ORT's logits against LiteNet's for the photos, as one batch; returns the worst relative difference. */
    static double agreement(Model model, Path file, List<Path> photos) throws OrtException {
        checked.add(file);
        int s = model.preprocess().outputSize(), n = photos.size();
        float[] batch = new float[n * 3 * s * s];
        List<float[]> ours = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = Runtimes.prepare(model.preprocess(), photos.get(i));
            System.arraycopy(Runtimes.nchw(x, s), 0, batch, i * 3 * s * s, 3 * s * s);
            ours.add(dropBackground(model, Exportable.logits(model, x)));
        }
        double worst = 0;
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), new long[] {n, 3, s, s});
             OrtSession.Result result = session.run(Map.of("image", input))) {
            float[][] logits = (float[][]) result.get("logits").orElseThrow().getValue();
            float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("architecture", model.architecture())
                    .containsKeys("labels", "preprocessing", "litenet_version", "input_size");
            for (int i = 0; i < n; i++) {
                double e = Exportable.relativeError(logits[i], ours.get(i));
                assertThat(e).as(file.getFileName() + " " + photos.get(i).getFileName()).isLessThan(TOLERANCE);
                worst = Math.max(worst, e);
                assertThat(Runtimes.argmax(probabilities[i])).isEqualTo(Runtimes.argmax(ours.get(i)));
            }
        }
        return worst;
    }

    /** LiteNet's logits without Google's "background" output, as the exported file has them. */
    static float[] dropBackground(Model model, float[] logits) {
        boolean background = !model.labels().isEmpty() && model.labels().getFirst().equals("background");
        return background ? java.util.Arrays.copyOfRange(logits, 1, logits.length) : logits;
    }
}
