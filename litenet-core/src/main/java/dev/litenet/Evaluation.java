package dev.litenet;

import dev.litenet.data.BadImage;
import dev.litenet.eval.Calibration;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a classifier did on labelled data it did not train on.
 *
 * @param classes       the class names, in index order
 * @param n             how many images were evaluated
 * @param accuracy      the share of images whose most probable class is their own
 * @param loss          the mean cross-entropy
 * @param confusion     {@code confusion[actual][predicted]} counts
 * @param precision     per class: of the images predicted as it, the share that are it (NaN if none was)
 * @param recall        per class: of its images, the share predicted as it (NaN if it has none)
 * @param misclassified the wrong answers
 * @param skipped       the files that could not be read, with the reason
 * @param topK          {@code topK[k-1]} is the top-k accuracy (the true class among the k most probable), for k = 1
 *                      to min(5, classes)
 * @param calibration   how far the predicted class's probability can be trusted: the reliability diagram's bins and
 *                      the expected calibration error
 */
public record Evaluation(List<String> classes, int n, double accuracy, double loss, int[][] confusion,
                         double[] precision, double[] recall, List<Misclassified> misclassified, List<BadImage> skipped,
                         double[] topK, Calibration calibration) {

    /**
     * One wrong answer.
     *
     * @param file        the image
     * @param actual      its class
     * @param predicted   the class predicted
     * @param probability the probability given to the predicted class
     */
    public record Misclassified(Path file, String actual, String predicted, double probability) {}

    /**
     * Scores logits against labels.
     *
     * @param classes the class names
     * @param logits  (N, K) scores
     * @param labels  (N) true classes
     * @param files   the images of the rows
     * @param skipped files left out, with the reason
     * @return the evaluation
     */
    public static Evaluation of(List<String> classes, Tensor logits, int[] labels, List<Path> files, List<BadImage> skipped) {
        int n = labels.length, k = classes.size();
        int[][] confusion = new int[k][k];
        List<Misclassified> wrong = new ArrayList<>();
        Tensor probs = CrossEntropy.softmax(logits);
        int correct = 0;
        int[] rank = new int[Math.min(5, k)];
        double[] confidence = new double[n];
        boolean[] right = new boolean[n];
        for (int i = 0; i < n; i++) {
            int above = 0;                                     // classes more probable than the true one
            for (int j = 0; j < k; j++) if (probs.data[i * k + j] > probs.data[i * k + labels[i]]) above++;
            for (int r = above; r < rank.length; r++) rank[r]++;
            int predicted = argmax(probs.data, i * k, k);
            confusion[labels[i]][predicted]++;
            confidence[i] = probs.data[i * k + predicted];
            right[i] = predicted == labels[i];
            if (predicted == labels[i]) correct++;
            else wrong.add(new Misclassified(files.get(i), classes.get(labels[i]), classes.get(predicted), probs.data[i * k + predicted]));
        }
        double[] precision = new double[k], recall = new double[k];
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c], predictedC = 0, actualC = 0;
            for (int j = 0; j < k; j++) { predictedC += confusion[j][c]; actualC += confusion[c][j]; }
            precision[c] = predictedC == 0 ? Double.NaN : (double) tp / predictedC;
            recall[c] = actualC == 0 ? Double.NaN : (double) tp / actualC;
        }
        double loss = n == 0 ? Double.NaN : CrossEntropy.loss(logits, labels);
        return new Evaluation(List.copyOf(classes), n, n == 0 ? Double.NaN : (double) correct / n, loss, confusion,
                precision, recall, List.copyOf(wrong), List.copyOf(skipped),
                java.util.Arrays.stream(rank).mapToDouble(c -> n == 0 ? Double.NaN : (double) c / n).toArray(),
                Calibration.of(confidence, right));
    }

    /**
     * The number of right answers.
     *
     * @return accuracy times n, rounded
     */
    public int correct() { return (int) Math.round(accuracy * n); }

    static int argmax(float[] v, int from, int len) {
        int best = 0;
        for (int i = 1; i < len; i++) if (v[from + i] > v[from + best]) best = i;
        return best;
    }

    /**
     * As JSON-ready values: accuracy, loss, n, confusion, classes, precision, recall, misclassified, skipped,
     * calibration.
     *
     * @return maps, lists, strings and numbers
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("loss", loss);
        m.put("n", n);
        m.put("top_k_accuracy", java.util.Arrays.stream(topK).boxed().toList());
        List<Object> rows = new ArrayList<>();
        for (int[] row : confusion) rows.add(java.util.Arrays.stream(row).boxed().toList());
        m.put("confusion", rows);
        m.put("classes", classes);
        m.put("precision", java.util.Arrays.stream(precision).boxed().toList());
        m.put("recall", java.util.Arrays.stream(recall).boxed().toList());
        m.put("misclassified", misclassified.stream().map(w -> Map.of("file", w.file().toString(), "actual", w.actual(),
                "predicted", w.predicted(), "probability", w.probability())).toList());
        m.put("skipped", skipped.stream().map(b -> Map.of("file", b.path().toString(), "reason", b.reason())).toList());
        m.put("calibration", calibration.toJson());
        return m;
    }
}
