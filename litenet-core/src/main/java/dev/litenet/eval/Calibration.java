package dev.litenet.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a classifier's confidence can be taken at its word (Guo et al. 2017, "On Calibration of Modern Neural
 * Networks"): the images binned by the probability of their predicted class into equal-width bins over [0, 1],
 * each bin's mean confidence against its accuracy (a reliability diagram), and the expected calibration error
 * ECE = Σ_b (n_b / n) · |accuracy_b − confidence_b|. A calibrated classifier's 90 % answers are right 90 % of the
 * time; with two classes no image has a confidence below 0.5, so the lower half of the bins stays empty.
 *
 * @param bins the bins in order, empty ones included
 * @param ece  the expected calibration error, in [0, 1] (NaN with no images)
 */
public record Calibration(List<Bin> bins, double ece) {
    /** Bins of a reliability diagram, as Guo et al. draw it. */
    public static final int BINS = 10;

    /**
     * One bin.
     *
     * @param from       its lower edge (exclusive, except the first)
     * @param to         its upper edge (inclusive)
     * @param n          how many images fell in it
     * @param confidence their mean confidence (NaN when empty)
     * @param accuracy   the share of them predicted right (NaN when empty)
     */
    public record Bin(double from, double to, int n, double confidence, double accuracy) {}

    /** Keeps its own copy of the bins. */
    public Calibration { bins = List.copyOf(bins); }

    /**
     * The calibration of predictions.
     *
     * @param confidence per image, the probability of its predicted class
     * @param correct    per image, whether the prediction was right
     * @return the bins and the ECE
     */
    public static Calibration of(double[] confidence, boolean[] correct) {
        int[] n = new int[BINS], right = new int[BINS];
        double[] sum = new double[BINS];
        for (int i = 0; i < confidence.length; i++) {
            int b = Math.clamp((int) Math.ceil(confidence[i] * BINS) - 1, 0, BINS - 1);
            n[b]++;
            sum[b] += confidence[i];
            if (correct[i]) right[b]++;
        }
        List<Bin> bins = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            double conf = n[b] == 0 ? Double.NaN : sum[b] / n[b], acc = n[b] == 0 ? Double.NaN : (double) right[b] / n[b];
            bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, n[b], conf, acc));
            if (n[b] > 0) ece += (double) n[b] / confidence.length * Math.abs(acc - conf);
        }
        return new Calibration(bins, confidence.length == 0 ? Double.NaN : ece);
    }

    /**
     * As JSON-ready values: {@code {"ece":..,"bins":[{"from":..,"to":..,"n":..,"confidence":..,"accuracy":..}]}}.
     *
     * @return maps, lists and numbers (an empty bin's confidence and accuracy are null)
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ece", ece);
        m.put("bins", bins.stream().map(b -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("from", b.from());
            j.put("to", b.to());
            j.put("n", b.n());
            j.put("confidence", b.n() == 0 ? null : b.confidence());
            j.put("accuracy", b.n() == 0 ? null : b.accuracy());
            return j;
        }).toList());
        return m;
    }
}
