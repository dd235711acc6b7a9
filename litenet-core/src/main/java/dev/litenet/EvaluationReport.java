package dev.litenet;

import dev.litenet.explain.Overlay;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The page a person opens after training: an {@link Evaluation} with every misclassified photo shown beside its
 * Grad-CAM heatmaps, as one self-contained HTML file ({@link #html()}: no script, nothing fetched, images inline as
 * {@code data:} URIs). Collected by {@link #of}, formatted by a pure function.
 *
 * <pre>{@code
 * Evaluation e = net.evaluate(Path.of("cats-dogs/val"));
 * Files.writeString(Path.of("report.html"), EvaluationReport.of(net, e, "cats-dogs val", p -> {}).html());
 * }</pre>
 *
 * @param title      the page's heading
 * @param model      one line about the model (architecture, weights, classes, input)
 * @param evaluation the scores
 * @param wrong      the misclassified photos, most confident first
 */
public record EvaluationReport(String title, String model, Evaluation evaluation, List<Wrong> wrong) {
    /** The side of the report's thumbnails, in pixels. */
    public static final int THUMBNAIL = 192;

    /**
     * One misclassified photo with what the network looked at.
     *
     * @param file              the photo
     * @param actual            its class
     * @param predicted         the class predicted
     * @param probability       the probability of the predicted class
     * @param actualProbability the probability of its own class
     * @param layer             the layer of the heatmaps
     * @param photo             the photo as the network saw it, a JPEG thumbnail
     * @param whyPredicted      the Grad-CAM heatmap of the predicted class over it, a JPEG thumbnail
     * @param whyNotActual      the heatmap of its own class, a JPEG thumbnail
     * @param error             null, or why the photo could not be explained (then the thumbnails are empty)
     */
    public record Wrong(Path file, String actual, String predicted, double probability, double actualProbability, String layer,
                        byte[] photo, byte[] whyPredicted, byte[] whyNotActual, String error) {}

    /** Keeps its own copy of the list. */
    public EvaluationReport { wrong = List.copyOf(wrong); }

    /**
     * Explains every misclassified photo of an evaluation (two Grad-CAM passes each: the predicted class and the
     * photo's own), most confident mistakes first.
     *
     * @param net        the classifier that was evaluated
     * @param evaluation its evaluation
     * @param title      the page's heading
     * @param progress   told after each photo (task "explain misclassified", done, total, photos per second)
     * @return the report, ready for {@link #html()}
     */
    public static EvaluationReport of(ImageClassifier net, Evaluation evaluation, String title, Consumer<TrainEvent.Progress> progress) {
        List<Evaluation.Misclassified> mistakes = new ArrayList<>(evaluation.misclassified());
        mistakes.sort(Comparator.comparingDouble(Evaluation.Misclassified::probability).reversed()
                .thenComparing(m -> m.file().toString()));
        List<Wrong> wrong = new ArrayList<>(mistakes.size());
        long start = System.nanoTime();
        for (Evaluation.Misclassified m : mistakes) {
            wrong.add(explain(net, m));
            progress.accept(new TrainEvent.Progress("explain misclassified", wrong.size(), mistakes.size(),
                    wrong.size() / Math.max(1e-9, (System.nanoTime() - start) / 1e9)));
        }
        String model = net.architecture() + " · " + net.origin() + " · " + net.labels().size() + " classes · input " + net.inputSize()
                + (net.preprocess().flipAverage() ? " · test-time flip" : "");
        return new EvaluationReport(title, model, evaluation, wrong);
    }

    private static Wrong explain(ImageClassifier net, Evaluation.Misclassified m) {
        try {
            PreparedImage image = net.prepare(m.file());
            Explanation why = net.explain(image, Explanation.PREDICTED, null);
            Explanation whyNot = net.explain(image, net.labels().indexOf(m.actual()), null);
            BufferedImage view = why.view();
            return new Wrong(m.file(), m.actual(), m.predicted(), m.probability(), whyNot.explained().probability(), why.layer(),
                    thumbnail(Overlay.scaled(view, THUMBNAIL)), thumbnail(Overlay.blend(view, why.heatmap(), THUMBNAIL)),
                    thumbnail(Overlay.blend(view, whyNot.heatmap(), THUMBNAIL)), null);
        } catch (BadInputException e) {
            return new Wrong(m.file(), m.actual(), m.predicted(), m.probability(), Double.NaN, "", new byte[0], new byte[0], new byte[0], e.getMessage());
        }
    }

    private static byte[] thumbnail(BufferedImage image) { return Overlay.jpeg(image, 0.85f); }

    /**
     * The report as one self-contained HTML page: accuracy, the confusion matrix, per-class precision and recall,
     * the reliability diagram, and the misclassified photos with their heatmaps.
     *
     * @return the page
     */
    public String html() { return ReportHtml.format(this); }
}
