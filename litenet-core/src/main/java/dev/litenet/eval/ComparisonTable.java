package dev.litenet.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Comparison} as text: a header saying how the small nets were trained, their table (parameters,
 * multiply-adds, test accuracy, training time, latency); the zoo's table (parameters, multiply-adds, weights file,
 * latency at batch 1 on one thread and batched on more, multiply-adds per second, published ImageNet top-1); the
 * backbones' cross-validation table (input size, embedding, cost, latency, accuracy and log-loss mean ± sd). A pure
 * function of the comparison.
 */
public final class ComparisonTable {
    private ComparisonTable() {}

    public static String format(Comparison c) {
        StringBuilder out = new StringBuilder();
        if (c.setup() != null) {
            Comparison.Setup s = c.setup();
            out.append("Lesson nets trained on ").append(s.data()).append('\n');
            out.append(String.format(Locale.ROOT, "%s training images%s, %s test images; %d epochs, batch %d, Adam lr %s, seed %d, %d threads%n",
                    count(s.trainImages()),
                    s.trainImages() < s.trainAvailable() ? " (--train-limit: the first " + count(s.trainImages()) + " of " + count(s.trainAvailable()) + ")" : "",
                    count(s.testImages()), s.epochs(), s.batchSize(), decimal(s.learningRate()), s.seed(), c.threads()));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"Model", "Layers", "Params", "Mult-adds", "Test acc", "Train time", "ms/img b=1", "ms/img b=64"});
            for (Comparison.TrainedModel m : c.trained()) {
                rows.add(new String[]{m.name(), m.layers(), count(m.params()), count(m.multAdds()),
                        String.format(Locale.ROOT, "%.4f", m.testAccuracy()),
                        String.format(Locale.ROOT, "%.1f s", m.trainSeconds()),
                        ms(m.msPerImageBatch1()), ms(m.msPerImageBatch64())});
            }
            out.append('\n').append(align(rows, 2));
        }
        if (!c.image().isEmpty()) {
            if (c.setup() != null) out.append('\n');
            out.append(zoo(c.image(), c.imageSize()));
        }
        if (c.transfer() != null) {
            if (c.setup() != null || !c.image().isEmpty()) out.append('\n');
            out.append(transfer(c.transfer()));
        }
        return out.toString();
    }

    /** The zoo's rows: cost, file size, latency in both settings, throughput, and the published top-1 with its weights. */
    static String zoo(List<Comparison.ImageModel> rows, int imageSize) {
        Latency single = rows.getFirst().single(), batched = rows.getFirst().batched();
        String one = setting(single), many = setting(batched);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Architectures at %dx%d, 1000 classes: fused eval forward, median ms per image after warm-up; "
                        + "%s = batch %d on %d %s, %s = batch %d on %d %s%n", imageSize, imageSize,
                one, single.batch(), single.threads(), single.threads() == 1 ? "thread" : "threads",
                many, batched.batch(), batched.threads(), batched.threads() == 1 ? "thread" : "threads"));
        List<String[]> table = new ArrayList<>();
        table.add(new String[]{"Model", "Params", "Mult-adds", "File", "ms " + one, "ms " + many, "GMAC/s " + one, "ImageNet top-1 (published, weights)"});
        for (Comparison.ImageModel m : rows) {
            Comparison.Published p = m.published();
            table.add(new String[]{m.name(), count(m.params()), giga(m.multAdds()), megabytes(m.fileBytes()),
                    ms(m.single().msPerImage()), ms(m.batched().msPerImage()),
                    String.format(Locale.ROOT, "%.1f", m.multAdds() / m.single().msPerImage() / 1e6),
                    p == null ? "-" : decimal(p.top1()) + " % (" + p.weights() + (p.inputSize() == imageSize ? "" : ", at " + p.inputSize()) + ")"});
        }
        out.append('\n').append(align(table, 1, 1));
        return out.toString();
    }

    /** The backbones' cross-validation: what each costs at its input size and how well its frozen features do. */
    static String transfer(Comparison.Transfer t) {
        StringBuilder out = new StringBuilder();
        int photos = t.backbones().isEmpty() ? 0 : t.backbones().getFirst().cv().photos();
        out.append(String.format(Locale.ROOT, "Frozen-feature transfer on %s: %d-fold cross-validation (fold seed %d) of %s photos, %s%n",
                t.data(), t.folds(), t.foldSeed(), count(photos),
                t.inputSize() == 0 ? "each backbone at its own input size" : "every backbone at " + t.inputSize() + "x" + t.inputSize()));
        out.append("Head: ").append(t.recipe()).append('\n');
        List<String[]> table = new ArrayList<>();
        String one = t.backbones().isEmpty() ? "b1 t1" : setting(t.backbones().getFirst().latency());
        table.add(new String[]{"Backbone", "Input", "Embedding", "Params", "Mult-adds", "ms " + one, "CV accuracy", "CV log-loss", "Wrong",
                "ImageNet top-1", "Time"});
        for (Comparison.Backbone b : t.backbones()) {
            Comparison.CrossValidated cv = b.cv();
            table.add(new String[]{b.weights(), Integer.toString(b.inputSize()), Integer.toString(b.embeddingSize()), count(b.params()),
                    giga(b.multAdds()), ms(b.latency().msPerImage()),
                    String.format(Locale.ROOT, "%.2f %% ± %.2f", 100 * cv.accuracyMean(), 100 * cv.accuracySd()),
                    String.format(Locale.ROOT, "%.4f ± %.4f", cv.logLossMean(), cv.logLossSd()),
                    count(cv.wrong()) + (cv.photos() == photos ? "" : " of " + count(cv.photos())),
                    Double.isNaN(b.imagenetTop1()) ? "-" : decimal(b.imagenetTop1()) + " %",
                    String.format(Locale.ROOT, "%.1f s", cv.seconds())});
        }
        out.append('\n').append(align(table, 1));
        return out.toString();
    }

    /** "b1 t1": batch and threads of a latency, as the column headers name them. */
    static String setting(Latency l) { return "b" + l.batch() + " t" + l.threads(); }

    /** Columns padded to their widest cell, two spaces apart; the first {@code textColumns} left-aligned, the rest right. */
    static String align(List<String[]> rows, int textColumns) { return align(rows, textColumns, 0); }

    /**
     * Text columns padded to their widest cell, two spaces apart, lines without trailing spaces: the first
     * {@code textColumns} and the last {@code trailingText} columns left-aligned, the others (numbers) right-aligned.
     *
     * @param rows one array of cells per line, all of the same length, the header first
     */
    public static String align(List<String[]> rows, int textColumns, int trailingText) {
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i < textColumns || i >= r.length - trailingText ? r[i] + pad : pad + r[i]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    public static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    /** 300,774,272 -> "300.77 M"; 1,814,073,344 -> "1.81 G". */
    static String giga(long n) {
        return n >= 1_000_000_000L ? String.format(Locale.ROOT, "%.2f G", n / 1e9) : String.format(Locale.ROOT, "%.2f M", n / 1e6);
    }

    /** Milliseconds with three significant digits at least (0.00123 -> "0.00123", 12.3456 -> "12.35"). */
    static String ms(double v) {
        if (v >= 10) return String.format(Locale.ROOT, "%.2f", v);
        if (v >= 0.1) return String.format(Locale.ROOT, "%.3f", v);
        return String.format(Locale.ROOT, "%.5f", v);
    }

    /** 14,020,096 bytes -> "14.0 MB" (decimal megabytes). */
    static String megabytes(long bytes) { return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6); }

    static String decimal(double v) { return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(); }
}
