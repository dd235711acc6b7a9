package dev.litenet.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Comparison} as text: a header saying how the small nets were trained, their table (parameters,
 * multiply-adds, test accuracy, training time, latency), then the image models' table with each model's
 * multiply-adds and time as a fraction of the heaviest one's. A pure function of the comparison.
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
            long heavyMacs = c.image().stream().mapToLong(Comparison.ImageModel::multAdds).max().orElse(1);
            Comparison.ImageModel heavy = c.image().stream().filter(m -> m.multAdds() == heavyMacs).findFirst().orElseThrow();
            out.append(String.format(Locale.ROOT, "Image models at %dx%d, 1000 classes: fused eval forward, batch 1, median of timed runs after warm-up, %d threads%n",
                    c.imageSize(), c.imageSize(), c.threads()));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"Model", "Params", "Mult-adds", "ms/img", "Mult-adds vs " + heavy.name(), "Time vs " + heavy.name()});
            for (Comparison.ImageModel m : c.image()) {
                rows.add(new String[]{m.name(), count(m.params()), giga(m.multAdds()), ms(m.msPerImage()),
                        String.format(Locale.ROOT, "%.3f", (double) m.multAdds() / heavy.multAdds()),
                        String.format(Locale.ROOT, "%.3f", m.msPerImage() / heavy.msPerImage())});
            }
            out.append('\n').append(align(rows, 1));
        }
        return out.toString();
    }

    /** Columns padded to their widest cell, two spaces apart; the first {@code textColumns} left-aligned, the rest right. */
    static String align(List<String[]> rows, int textColumns) {
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i < textColumns ? r[i] + pad : pad + r[i]);
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

    static String decimal(double v) { return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(); }
}
