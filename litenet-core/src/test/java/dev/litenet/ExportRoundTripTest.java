package dev.litenet;

import dev.litenet.export.Exportable;
import dev.litenet.export.Exporter;
import dev.litenet.io.TfliteFile;
import dev.litenet.io.TfliteModel;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LiteNet reads back the TFLite files it exports, of every architecture, to the same predictions: float files to the
 * original's logits within 1e-5, int8 files (weights dequantized) to its top-1. The files carry what the Task Library
 * reads (the labels zipped onto the file, TFLITE_METADATA) and LiteNet's own metadata. Unsupported combinations fail
 * with one message, and a failed export leaves nothing behind.
 */
class ExportRoundTripTest {
    @TempDir Path tmp;

    static List<Architecture> architectures() { return Architectures.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void floatFilesReadBackToTheSameLogits(Architecture a) {
        Model model = Exportable.model(a, 3, 64, a.name().equals("mobilenet_v2"));
        Path file = tmp.resolve(a.name() + ".tflite");
        Exporter.export(model, file, Exporter.Format.TFLITE, null, true, LiteNet.VERSION);
        ImageClassifier again = ImageClassifier.pretrained(file);
        assertThat(again.architecture()).isEqualTo(a.name());
        assertThat(again.labels()).isEqualTo(model.labels());
        assertThat(again.preprocess()).isEqualTo(model.preprocess());
        float[] x = Exportable.input(64, 5);
        float[] ours = Exportable.logits(model, x), theirs = Exportable.logits(again.model(), x);
        assertThat(Exportable.relativeError(theirs, ours)).isLessThan(1e-5);
    }

    @Test void googlesPretrainedMobileNetV2ReadsBackWithItsPaddingAndPreprocessing() throws IOException {
        ImageClassifier net = ImageClassifier.pretrained(Shared.quantWeights());
        Path file = tmp.resolve("pretrained.tflite");
        net.export(file);
        ImageClassifier again = ImageClassifier.pretrained(file);
        assertThat(again.network().padding()).isEqualTo(net.network().padding());
        assertThat(again.preprocess()).isEqualTo(net.preprocess());
        assertThat(again.labels()).isEqualTo(net.labels());
        Path photo = Shared.path("data/cats-dogs/val/cat/cat.100.jpg");
        float[] a = net.probabilities(List.of(net.prepare(photo)))[0], b = again.probabilities(List.of(again.prepare(photo)))[0];
        assertThat(Exportable.relativeError(b, a)).isLessThan(1e-5);
    }

    /** An int8 file reads back to its int8 weights run in float: the original's logits within a few percent. */
    @Test void anInt8FileReadsBackToItsWeights() {
        Model model = Exportable.model(Architectures.get("mobilenet_v2"), 3, 64, false);
        List<float[]> calibration = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) calibration.add(Exportable.input(64, 100 + i));
        Path file = tmp.resolve("int8.tflite");
        Exporter.Result r = Exporter.export(model, file, Exporter.Format.TFLITE, calibration, true, LiteNet.VERSION);
        assertThat(r.int8()).isTrue();
        TfliteModel graph = TfliteFile.read(file);
        assertThat(graph.tensor(graph.inputs()[0]).type()).isEqualTo(TfliteModel.Type.UINT8);
        ImageClassifier again = ImageClassifier.pretrained(file);
        assertThat(again.labels()).isEqualTo(model.labels());
        for (int i = 0; i < 3; i++) {
            float[] x = Exportable.input(64, 200 + i);
            float[] ours = Exportable.logits(model, x), theirs = Exportable.logits(again.model(), x);
            assertThat(Exportable.relativeError(theirs, ours)).isLessThan(0.05);
        }
    }

    @Test void theFileCarriesTheTaskLibrarysMetadataAndTheLabels() throws IOException {
        Model model = Exportable.model(Architectures.get("mobilenet_v2"), 2, 32, false);
        Path file = tmp.resolve("m.tflite");
        Exporter.export(model, file, Exporter.Format.TFLITE, null, true, LiteNet.VERSION);
        assertThat(TfliteFile.read(file).metadata()).containsExactly(Exporter.TFLITE_METADATA, Exporter.LITENET_METADATA);
        byte[] meta = TfliteFile.metadata(file, Exporter.TFLITE_METADATA);
        assertThat(new String(meta, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("M001");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(new String(zip.getInputStream(zip.getEntry("labels.txt")).readAllBytes())).isEqualTo("class 0\nclass 1\n");
        }
    }

    @Test void aTestTimeFlipModelWithOneViewSaysSo() {
        Model model = Exportable.model(Architectures.get("mobilenet_v2"), 2, 32, true);
        Exporter.Result both = Exporter.export(model, tmp.resolve("both.onnx"), Exporter.Format.ONNX, null, true, LiteNet.VERSION);
        Exporter.Result one = Exporter.export(model, tmp.resolve("one.onnx"), Exporter.Format.ONNX, null, false, LiteNet.VERSION);
        assertThat(both.graph().opCounts()).containsEntry("Reverse", 1);
        assertThat(one.graph().opCounts()).doesNotContainKey("Reverse");
        assertThat(both.notes()).anyMatch(n -> n.contains("both views in the graph"));
        assertThat(one.notes()).anyMatch(n -> n.contains("exported with one view"));
    }

    @Test void unsupportedCombinationsSayWhatIsNotSupported() {
        ImageClassifier net = ImageClassifier.pretrained(Shared.quantWeights());
        assertThatThrownBy(() -> net.export(tmp.resolve("x.onnx"), ExportOptions.onnx().int8(tmp)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("int8 quantization is for TFLite files");
        assertThatThrownBy(() -> net.export(tmp.resolve("x.pb"))).isInstanceOf(BadInputException.class).hasMessageContaining(".onnx or .tflite");
        assertThatThrownBy(() -> net.export(tmp.resolve("x.tflite"), ExportOptions.tflite().int8(tmp.resolve("none"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no such folder");
    }

    @Test void aFailedExportLeavesNothingBehind() throws IOException {
        Model model = Exportable.model(Architectures.get("mobilenet_v2"), 2, 32, false);
        Path blocked = Files.createDirectories(tmp.resolve("out/m.tflite"));          // a folder where the file should go
        assertThatThrownBy(() -> Exporter.export(model, blocked, Exporter.Format.TFLITE, null, true, LiteNet.VERSION))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("cannot write");
        try (Stream<Path> left = Files.list(tmp.resolve("out"))) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("m.tflite");
        }
    }
}
