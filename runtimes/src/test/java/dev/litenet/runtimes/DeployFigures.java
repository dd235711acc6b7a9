package dev.litenet.runtimes;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.litenet.ExportOptions;
import dev.litenet.ImageClassifier;
import dev.litenet.PreparedImage;
import dev.litenet.Shared;
import dev.litenet.export.Exportable;
import dev.litenet.export.Exporter;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of docs/DEPLOY.md, by hand, not in CI: {@code ./mvnw -pl runtimes -am test -Dtest=DeployFigures
 * -Dsurefire.failIfNoSpecifiedTests=false -Dlitenet.figures=runs/cats-dogs} (a run folder, relative to the repo). For
 * that run: its ONNX, float TFLite and int8 TFLite files, their agreement with LiteNet on all val photos, the int8
 * accuracy change, and the latency of one photo in LiteNet, ONNX Runtime and LiteRT.js (medians, a rough indication:
 * one shared machine); then the file sizes of every architecture of the zoo at 224, float against int8.
 */
@EnabledIfSystemProperty(named = "litenet.figures", matches = ".+")
class DeployFigures {
    @Test void figures() throws Exception {
        Path runDir = Runtimes.repo().resolve(System.getProperty("litenet.figures"));
        Path out = Files.createDirectories(Runtimes.repo().resolve("runtimes/target/figures"));
        ImageClassifier run = ImageClassifier.load(runDir);
        Path onnx = out.resolve("cats-dogs.onnx"), fp = out.resolve("cats-dogs.tflite"), q = out.resolve("cats-dogs-int8.tflite");
        run.export(onnx, ExportOptions.onnx());
        run.export(fp, ExportOptions.tflite());
        long t0 = System.nanoTime();
        Exporter.Result rq = run.export(q, ExportOptions.tflite().int8(Shared.path("data/cats-dogs/train")));
        System.out.printf(Locale.ROOT, "int8 export with %d calibration photos: %.1f s%n", 200, (System.nanoTime() - t0) / 1e9);
        rq.notes().forEach(n -> System.out.println("  " + n));
        System.out.printf(Locale.ROOT, "sizes: onnx %d, tflite %d, int8 %d bytes (int8/float %.3f)%n", Files.size(onnx), Files.size(fp), Files.size(q),
                (double) Files.size(q) / Files.size(fp));

        List<Path> val = Runtimes.spread("val", 1);
        int s = run.inputSize(), n = val.size();
        List<float[]> prepared = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        List<float[]> ours = new ArrayList<>();
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            float[] x = Runtimes.prepare(run.preprocess(), val.get(i));
            prepared.add(x);
            pixels.add(LiteRtTest.pixels(run.preprocess(), x));
            ours.add(Exportable.logits(run.model(), x));
            truth[i] = val.get(i).getParent().getFileName().toString().equals("cat") ? 0 : 1;
        }
        // ONNX Runtime
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double ortWorst = 0;
        int ortSame = 0;
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            for (int from = 0; from < n; from += 32) {
                int m = Math.min(32, n - from);
                float[] batch = new float[m * 3 * s * s];
                for (int i = 0; i < m; i++) System.arraycopy(Runtimes.nchw(prepared.get(from + i), s), 0, batch, i * 3 * s * s, 3 * s * s);
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), new long[] {m, 3, s, s});
                     OrtSession.Result r = session.run(Map.of("image", t))) {
                    float[][] logits = (float[][]) r.get("logits").orElseThrow().getValue();
                    for (int i = 0; i < m; i++) {
                        ortWorst = Math.max(ortWorst, Exportable.relativeError(logits[i], ours.get(from + i)));
                        if (Runtimes.argmax(logits[i]) == Runtimes.argmax(ours.get(from + i))) ortSame++;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "ORT: %d val photos, max relative logit difference %.2e, same top-1 %d/%d%n", n, ortWorst, ortSame, n);
            float[] one = Runtimes.nchw(prepared.getFirst(), s);
            double[] ms = new double[40];
            for (int i = 0; i < ms.length; i++) {
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(one), new long[] {1, 3, s, s})) {
                    long a = System.nanoTime();
                    session.run(Map.of("image", t)).close();
                    ms[i] = (System.nanoTime() - a) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "latency ORT (default threads): median %.1f ms of %d runs%n", Int8Test.median(Arrays.copyOfRange(ms, 10, 40)), 30);
        }
        // LiteNet
        PreparedImage img = new PreparedImage("first", s, prepared.getFirst());
        double[] ms = new double[40];
        for (int i = 0; i < ms.length; i++) {
            long a = System.nanoTime();
            run.predictBatch(List.of(img), 1);
            ms[i] = (System.nanoTime() - a) / 1e6;
        }
        System.out.printf(Locale.ROOT, "latency LiteNet: median %.1f ms of %d runs%n", Int8Test.median(Arrays.copyOfRange(ms, 10, 40)), 30);
        // LiteRT float and int8
        LiteRt litert = LiteRt.get();
        LiteRt.Model mf = litert.load(fp), mq = litert.load(q);
        LiteRt.Runs rf = litert.runFloat(mf, prepared, 1, s, s, 3), rqRuns = litert.runUint8(mq, pixels, 1, s, s, 3);
        double lrtWorst = 0;
        int agree = 0, rightF = 0, rightQ = 0, rightOurs = 0;
        for (int i = 0; i < n; i++) {
            lrtWorst = Math.max(lrtWorst, Exportable.relativeError(rf.outputs().get(i).getFirst(), ours.get(i)));
            int tf = Runtimes.argmax(rf.outputs().get(i).getFirst()), tq = Int8Test.top1(rqRuns.outputs().get(i));
            if (tf == tq) agree++;
            if (tf == truth[i]) rightF++;
            if (tq == truth[i]) rightQ++;
            if (Runtimes.argmax(ours.get(i)) == truth[i]) rightOurs++;
        }
        System.out.printf(Locale.ROOT, "LiteRT float: max relative logit difference %.2e on %d val photos; accuracy LiteNet %.2f %%, LiteRT float %.2f %%%n",
                lrtWorst, n, 100.0 * rightOurs / n, 100.0 * rightF / n);
        System.out.printf(Locale.ROOT, "LiteRT int8: top-1 as float on %d/%d (%.2f %%); accuracy %.2f %% (%+.2f points)%n",
                agree, n, 100.0 * agree / n, 100.0 * rightQ / n, 100.0 * (rightQ - rightF) / n);
        System.out.printf(Locale.ROOT, "latency LiteRT.js wasm: float median %.1f ms, int8 median %.1f ms (of %d runs each)%n",
                Int8Test.median(rf.millis()), Int8Test.median(rqRuns.millis()), n);
        litert.unload(mf);
        litert.unload(mq);

        // the zoo's file sizes at 224, float against int8
        System.out.println("| architecture | parameters | ONNX | TFLite float32 | TFLite int8 | int8/float |");
        for (Architecture a : Architectures.all()) {
            Model model = Exportable.model(a, 1000, 224, false);
            List<float[]> calibration = List.of(Runtimes.prepare(model.preprocess(), val.getFirst()), Runtimes.prepare(model.preprocess(), val.getLast()));
            Path o = out.resolve(a.name() + ".onnx"), f = out.resolve(a.name() + ".tflite"), i8 = out.resolve(a.name() + "-int8.tflite");
            Exporter.export(model, o, Exporter.Format.ONNX, null, true, "figures");
            Exporter.export(model, f, Exporter.Format.TFLITE, null, true, "figures");
            Exporter.export(model, i8, Exporter.Format.TFLITE, calibration, true, "figures");
            System.out.printf(Locale.ROOT, "| %s | %,d | %.1f MB | %.1f MB | %.1f MB | %.2f |%n", a.name(), model.network().numParameters(),
                    Files.size(o) / 1e6, Files.size(f) / 1e6, Files.size(i8) / 1e6, (double) Files.size(i8) / Files.size(f));
            Files.delete(o);
            Files.delete(f);
            Files.delete(i8);
        }
    }
}
