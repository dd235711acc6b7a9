package dev.litenet.runtimes;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.litenet.ExportOptions;
import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/deploy/classify.py, the Python page of docs/DEPLOY.md, run by Debian's python3 with onnx, numpy and PIL on an
 * exported file: its preprocessing, read from the file's metadata, gives LiteNet's input (to 1/50 of a normalized
 * unit, PIL's and LiteNet's resizes round alike but not to the bit), for a torchvision-style model and one of Google's
 * weights (TensorFlow's bilinear resize). onnxruntime's Python package cannot be installed here: a stand-in records the
 * batch the script hands it, and ONNX Runtime Java runs that batch on the file, to LiteNet's answers.
 */
class PythonSnippetTest {
    @TempDir Path tmp;

    @Test void theScriptPreparesPhotosAsLiteNetDoes() throws Exception {
        OnnxChecker.requireAvailable();
        Path stub = tmp.resolve("stub/onnxruntime");
        Files.createDirectories(stub);
        try (InputStream in = PythonSnippetTest.class.getResourceAsStream("/python-stub/onnxruntime/__init__.py")) {
            Files.write(stub.resolve("__init__.py"), in.readAllBytes());
        }
        List<Path> photos = List.of(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"), Shared.path("data/cats-dogs/val/dog/dog.1000.jpg"));
        List<dev.litenet.models.Model> models = List.of(ImageClassifier.pretrained(Shared.quantWeights()).model(), TrainedRuns.fineTuned(tmp).model(),
                dev.litenet.export.Exportable.model(dev.litenet.models.Architectures.get("resnet18"), 3, 112, true));     // torchvision's resize and crop
        for (dev.litenet.models.Model net : models) {
            Path model = tmp.resolve("model.onnx");
            dev.litenet.export.Exporter.export(net, model, dev.litenet.export.Exporter.Format.ONNX, null, true, "test");
            Path dump = tmp.resolve("batch.npy");
            List<String> cmd = new ArrayList<>(List.of(OnnxChecker.PYTHON.toString(), Runtimes.repo().resolve("docs/deploy/classify.py").toString(), model.toString()));
            photos.forEach(p -> cmd.add(p.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PYTHONPATH", tmp.resolve("stub").toString());
            pb.environment().put("LITENET_ORT_STUB_DUMP", dump.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains(photos.getFirst().toString() + ": ");
            float[] batch = npy(dump);
            int s = net.preprocess().outputSize(), per = 3 * s * s;
            assertThat(batch).hasSize(photos.size() * per);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), new long[] {photos.size(), 3, s, s});
                 OrtSession.Result r = session.run(Map.of("image", x))) {
                float[][] probabilities = (float[][]) r.get("probabilities").orElseThrow().getValue();
                for (int i = 0; i < photos.size(); i++) {
                    float[] prepared = Runtimes.prepare(net.preprocess(), photos.get(i)), ours = Runtimes.nchw(prepared, s);
                    double worst = 0;
                    for (int k = 0; k < per; k++) worst = Math.max(worst, Math.abs(ours[k] - batch[i * per + k]));
                    System.out.printf("classify.py %s, %s: max |python - LiteNet| input difference %.4f%n", net.architecture(), photos.get(i).getFileName(), worst);
                    assertThat(worst).as("input of " + photos.get(i)).isLessThan(0.05);
                    float[] logits = OnnxRuntimeTest.dropBackground(net, dev.litenet.export.Exportable.logits(net, prepared));
                    assertThat(Runtimes.argmax(probabilities[i])).isEqualTo(Runtimes.argmax(logits));
                }
            }
        }
    }

    /** A little-endian float32 .npy file's values. */
    static float[] npy(Path file) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int major = b.get(6);
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        String header = new String(b.array(), major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'")) throw new IllegalStateException("not float32: " + header);
        b.position(start);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
