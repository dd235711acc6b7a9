package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.io.TfliteFile;
import dev.litenet.io.TfliteModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code litenet export} end to end: a trained run to ONNX, float TFLite and int8 TFLite, the exported TFLite file
 * read back by {@code predict --weights} to the run's own answers, and one line naming what is wrong for every
 * unsupported combination, with no file left behind.
 */
class ExportCommandTest {
    @TempDir static Path tmp;
    static Path run;

    @BeforeAll static void aTrainedRun() throws IOException {
        Path data = Shared.catsDogs(tmp.resolve("pets"), 8, 4);
        run = tmp.resolve("run");
        String[] r = TrainCommandTest.run("train", "--data", data.toString(), "--weights", Shared.quantWeights().toString(),
                "--out", run.toString(), "--epochs", "2", "--batch-size", "4", "--input-size", "96", "--cache", tmp.resolve("cache").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
    }

    @Test void aRunToEveryFormat() throws IOException {
        String[] onnx = TrainCommandTest.run("export", "--model", run.toString(), "--format", "onnx", "--out", tmp.resolve("m.onnx").toString());
        assertThat(onnx[0]).as(onnx[2]).isEqualTo("0");
        assertThat(onnx[1]).contains("ONNX float32, mobilenet_v2, 2 classes, input 96x96").contains("both views");
        String[] fp = TrainCommandTest.run("export", "--model", run.toString(), "--out", tmp.resolve("m.tflite").toString());
        assertThat(fp[0]).as(fp[2]).isEqualTo("0");
        String[] q = TrainCommandTest.run("export", "--model", run.toString(), "--format", "tflite", "--quantize", "int8",
                "--calibration", tmp.resolve("pets/train").toString(), "--calibration-images", "8", "--out", tmp.resolve("q.tflite").toString());
        assertThat(q[0]).as(q[2]).isEqualTo("0");
        assertThat(q[1]).contains("TFLite int8").contains("8 calibration images");
        assertThat(Files.size(tmp.resolve("q.tflite"))).isLessThan(Files.size(tmp.resolve("m.tflite")) / 3);
        TfliteModel graph = TfliteFile.read(tmp.resolve("q.tflite"));
        assertThat(graph.tensor(graph.inputs()[0]).type()).isEqualTo(TfliteModel.Type.UINT8);

        Path photo = tmp.resolve("pets/val/cat").toFile().listFiles()[0].toPath();
        String[] ours = TrainCommandTest.run("predict", "--model", run.toString(), "--format", "csv", photo.toString());
        String[] back = TrainCommandTest.run("predict", "--weights", tmp.resolve("m.tflite").toString(), "--format", "csv", photo.toString());
        assertThat(back[0]).as(back[2]).isEqualTo("0");
        assertThat(back[1].replace(tmp.resolve("m.tflite").getFileName().toString(), "")).isEqualTo(ours[1].replace("run", ""));
    }

    /** {@code forward} takes the run and the exported file alike: any model LiteNet loads, checked from the command line. */
    @Test void forwardRunsTheRunAndItsExportAlike() throws IOException {
        String[] fp = TrainCommandTest.run("export", "--model", run.toString(), "--out", tmp.resolve("f.tflite").toString());
        assertThat(fp[0]).as(fp[2]).isEqualTo("0");
        Path input = tmp.resolve("x.f32");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * 3 * 96 * 96).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < 3 * 96 * 96; i++) b.putFloat((float) (r.nextDouble() * 2 - 1));
        Files.write(input, b.array());
        String[] a = TrainCommandTest.run("forward", "--model", run.toString(), "--input", input.toString(), "--shape", "1,3,96,96",
                "--output", tmp.resolve("a.f32").toString());
        String[] c = TrainCommandTest.run("forward", "--weights", tmp.resolve("f.tflite").toString(), "--input", input.toString(),
                "--shape", "1,3,96,96", "--output", tmp.resolve("c.f32").toString());
        assertThat(a[0]).as(a[2]).isEqualTo("0");
        assertThat(c[0]).as(c[2]).isEqualTo("0");
        java.nio.FloatBuffer x = java.nio.ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("a.f32"))).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        java.nio.FloatBuffer y = java.nio.ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("c.f32"))).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        assertThat(y.remaining()).isEqualTo(x.remaining()).isEqualTo(2);
        for (int i = 0; i < 2; i++) assertThat(y.get(i)).isCloseTo(x.get(i), org.assertj.core.data.Offset.offset(1e-4f * Math.max(1f, Math.abs(x.get(i)))));
    }

    @Test void unsupportedCombinationsGetOneLine() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        String[][] cases = {
                {"export", "--model", run.toString(), "--format", "onnx", "--quantize", "int8", "--calibration", dir.toString(), "--out", dir.resolve("a.onnx").toString()},
                {"export", "--model", run.toString(), "--quantize", "int8", "--out", dir.resolve("a.tflite").toString()},
                {"export", "--model", run.toString(), "--out", dir.resolve("a.pb").toString()},
                {"export", "--model", run.toString(), "--quantize", "int8", "--calibration", dir.resolve("none").toString(), "--out", dir.resolve("b.tflite").toString()},
                {"export", "--format", "onnx", "--out", dir.resolve("c.onnx").toString()}};
        String[] expected = {"int8 is for --format tflite", "needs --calibration", "--format onnx|tflite", "none", "name the model"};
        for (int i = 0; i < cases.length; i++) {
            String[] r = TrainCommandTest.run(cases[i]);
            assertThat(r[0]).as(String.join(" ", cases[i])).isEqualTo("2");
            assertThat(r[2].strip().lines().count()).as(r[2]).isEqualTo(1);
            assertThat(r[2]).contains(expected[i]);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test void helpSaysWhatItDoes() {
        String[] r = TrainCommandTest.run("export", "--help");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("--format").contains("--quantize").contains("--calibration").contains("--one-view").contains("DEPLOY.md");
    }
}
