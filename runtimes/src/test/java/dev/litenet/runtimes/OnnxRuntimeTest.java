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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every exported ONNX file run by ONNX Runtime Java 1.29 (the oracle: not part of the product) on real photos gives
 * LiteNet's logits within 1e-4 of the largest, at a batch of several photos (the batch dimension is dynamic), and
 * onnx's checker (full check) accepts it: every architecture of the zoo (seeded weights, BatchNorm statistics away
 * from identity), Google's pretrained MobileNetV2 (TF SAME padding, the background output dropped), and a fine-tuned
 * run trained with test-time flip (both views in the graph).
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
