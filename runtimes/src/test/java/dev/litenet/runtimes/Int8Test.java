package dev.litenet.runtimes;

import dev.litenet.ExportOptions;
import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.TransferLearning;
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
 * Full-integer int8 TFLite files run by LiteRT.js: a cats-vs-dogs classifier trained on Google's MobileNetV2 (frozen
 * backbone, test-time flip in the graph) keeps the float model's top-1 on at least 97 % of all 700 val photos and its
 * val accuracy within 0.5 points, and LiteNet's importer reads the int8 file back to LiteRT's answers; the file is
 * about a quarter of the float file. A fine-tuned run and every architecture of the zoo (seeded weights) export to
 * int8 and run under LiteRT with uint8 input and outputs.
 */
class Int8Test {
    @TempDir static Path tmp;

    @Test void aTrainedClassifierKeepsItsAnswers() throws Exception {
        Path data = Shared.catsDogs(tmp.resolve("data"), 150, 1);
        ImageClassifier run = TransferLearning.from(Shared.quantWeights()).data(data).epochs(5).batchSize(16)
                .inputSize(160).featureCache(tmp.resolve("cache")).fit().classifier();
        Path fp = tmp.resolve("cats-dogs.tflite"), q = tmp.resolve("cats-dogs-int8.tflite");
        run.export(fp, ExportOptions.tflite());
        Exporter.Result r = run.export(q, ExportOptions.tflite().int8(Shared.path("data/cats-dogs/train")).calibrationImages(100));
        assertThat(r.int8()).isTrue();
        double ratio = (double) Files.size(q) / Files.size(fp);
        List<Path> val = Runtimes.spread("val", 1);                         // all 700 val photos
        int s = run.inputSize();
        LiteRt litert = LiteRt.get();
        LiteRt.Model mq = litert.load(q), mf = litert.load(fp);
        assertThat(mq.inputs().getFirst().get("dtype")).isEqualTo("uint8");
        List<byte[]> pixels = new ArrayList<>();
        List<float[]> floats = new ArrayList<>();
        for (Path p : val) {
            float[] x = Runtimes.prepare(run.preprocess(), p);
            floats.add(x);
            pixels.add(LiteRtTest.pixels(run.preprocess(), x));
        }
        LiteRt.Runs rq = litert.runUint8(mq, pixels, 1, s, s, 3), rf = litert.runFloat(mf, floats, 1, s, s, 3);
        litert.unload(mq);
        litert.unload(mf);
        int agree = 0, rightQ = 0, rightF = 0;
        for (int i = 0; i < val.size(); i++) {
            int truth = val.get(i).getParent().getFileName().toString().equals("cat") ? 0 : 1;
            int tq = top1(rq.outputs().get(i)), tf = Runtimes.argmax(rf.outputs().get(i).getFirst());
            if (tq == tf) agree++;
            if (tq == truth) rightQ++;
            if (tf == truth) rightF++;
        }
        double agreement = 100.0 * agree / val.size(), accQ = 100.0 * rightQ / val.size(), accF = 100.0 * rightF / val.size();
        System.out.printf("int8 cats-dogs mobilenet_v2 at %d (both views): top-1 as float on %d/%d val photos (%.1f %%), "
                        + "val accuracy float %.2f %% int8 %.2f %% (%+.2f points), size %d vs %d bytes (%.3f), median %.1f ms vs %.1f ms in LiteRT%n",
                s, agree, val.size(), agreement, accF, accQ, accQ - accF, Files.size(q), Files.size(fp), ratio,
                median(rq.millis()), median(rf.millis()));
        ImageClassifier back = ImageClassifier.pretrained(q);                 // LiteNet's import: the int8 weights, run in float
        List<ImageClassifier.FilePrediction> backs = back.predictAll(val, 1);
        int sameAsLiteRt = 0;
        for (int i = 0; i < val.size(); i++) if (backs.get(i).top().getFirst().index() == top1(rq.outputs().get(i))) sameAsLiteRt++;
        System.out.printf("int8 cats-dogs read back by LiteNet: top-1 as LiteRT's int8 run on %d/%d val photos%n", sameAsLiteRt, val.size());
        assertThat(100.0 * sameAsLiteRt / val.size()).isGreaterThanOrEqualTo(97.0);
        assertThat(agreement).isGreaterThanOrEqualTo(97.0);
        assertThat(Math.abs(accQ - accF)).isLessThanOrEqualTo(0.5);
        assertThat(ratio).isBetween(0.2, 0.33);
    }

    /** A fine-tuned run (BatchNorm folded into retrained convs) in int8: LiteRT's top-1 is LiteNet's float top-1, read back alike. */
    @Test void aFineTunedRunInInt8() throws Exception {
        ImageClassifier run = TrainedRuns.fineTuned(tmp);
        Path q = tmp.resolve("fine-tuned-int8.tflite");
        run.export(q, ExportOptions.tflite().int8(Shared.path("data/cats-dogs/train")).calibrationImages(50));
        List<Path> photos = Runtimes.photos("val", 10);
        int s = run.inputSize();
        List<byte[]> pixels = new ArrayList<>();
        List<float[]> ours = new ArrayList<>();
        for (Path p : photos) {
            float[] x = Runtimes.prepare(run.preprocess(), p);
            pixels.add(LiteRtTest.pixels(run.preprocess(), x));
            ours.add(Exportable.logits(run.model(), x));
        }
        LiteRt litert = LiteRt.get();
        LiteRt.Model m = litert.load(q);
        LiteRt.Runs runs = litert.runUint8(m, pixels, 1, s, s, 3);
        litert.unload(m);
        ImageClassifier back = ImageClassifier.pretrained(q);
        int agree = 0, readBack = 0;
        for (int i = 0; i < photos.size(); i++) {
            int theirs = top1(runs.outputs().get(i));
            if (theirs == Runtimes.argmax(ours.get(i))) agree++;
            if (back.predict(photos.get(i), 1).getFirst().index() == theirs) readBack++;
        }
        System.out.printf("int8 fine-tuned mobilenet_v2 at %d: top-1 as LiteNet's float on %d/%d val photos, LiteNet's import of it as LiteRT on %d/%d%n",
                s, agree, photos.size(), readBack, photos.size());
        assertThat(agree).isGreaterThanOrEqualTo(photos.size() - 2);                 // a run this small has near-ties
        assertThat(readBack).isGreaterThanOrEqualTo(photos.size() - 2);
    }

    static List<Architecture> architectures() { return Architectures.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void everyArchitectureRunsInInt8(Architecture a) throws Exception {
        Model model = Exportable.model(a, 7, 96, false);
        List<float[]> calibration = new ArrayList<>();
        for (Path p : Runtimes.spread("train", 100)) calibration.add(Runtimes.prepare(model.preprocess(), p));
        Path fp = tmp.resolve(a.name() + ".tflite"), q = tmp.resolve(a.name() + "-int8.tflite");
        Exporter.export(model, fp, Exporter.Format.TFLITE, null, true, "test");
        Exporter.export(model, q, Exporter.Format.TFLITE, calibration, true, "test");
        List<Path> photos = Runtimes.photos("val", 10);
        LiteRt litert = LiteRt.get();
        LiteRt.Model m = litert.load(q);
        List<byte[]> pixels = new ArrayList<>();
        List<float[]> ours = new ArrayList<>();
        for (Path p : photos) {
            float[] x = Runtimes.prepare(model.preprocess(), p);
            pixels.add(LiteRtTest.pixels(model.preprocess(), x));
            ours.add(Exportable.logits(model, x));
        }
        int s = model.preprocess().outputSize();
        LiteRt.Runs runs = litert.runUint8(m, pixels, 1, s, s, 3);
        litert.unload(m);
        int agree = 0;
        double corr = 0;
        for (int i = 0; i < photos.size(); i++) {
            if (top1(runs.outputs().get(i)) == Runtimes.argmax(ours.get(i))) agree++;
            corr += correlation(runs.outputs().get(i).getFirst(), ours.get(i));
        }
        System.out.printf("int8 %s (seeded weights): top-1 as LiteNet's float on %d/%d photos, mean correlation of logits %.3f, %d vs %d bytes%n",
                a.name(), agree, photos.size(), corr / photos.size(), Files.size(q), Files.size(fp));
        assertThat(corr / photos.size()).isGreaterThan(0.9);
    }

    /** The top class of a uint8 file's outputs: its logits, ties broken by its probabilities. */
    static int top1(List<float[]> outputs) {
        float[] logits = outputs.get(0), probabilities = outputs.get(1);
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best] || logits[i] == logits[best] && probabilities[i] > probabilities[best]) best = i;
        }
        return best;
    }

    static double correlation(float[] a, float[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb + 1e-30);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
