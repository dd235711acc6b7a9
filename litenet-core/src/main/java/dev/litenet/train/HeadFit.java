package dev.litenet.train;

import dev.litenet.eval.Accuracy;
import dev.litenet.BadInputException;
import dev.litenet.TrainEvent;
import dev.litenet.data.Orders;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.nn.Linear;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Trains a linear head on frozen features: the one head-training loop of {@code train} and {@code cv}.
 * The head learns on standardized features (better conditioned, as a logistic regression would be); the
 * standardization is folded into its weights at the end, so the returned head reads raw features.
 * Only the photos given are seen: the caller decides what they are (a training set, or the other folds).
 * in features (N, dim) [+ their mirrors (N, dim)], labels (N) -> out Linear(dim, classes)
 */
public final class HeadFit {
    /** The head (reading raw features, mean of both views when mirrored), the epochs run, the epoch kept. */
    public record Fitted(Linear head, List<TrainEvent.EpochStats> history, int bestEpoch) {}

    private HeadFit() {}

    /**
     * @param plain      features of the training photos
     * @param mirror     features of their mirrors, row for row (needed when {@code o.mirrored()}), else null
     * @param validation scores a copy of the head (reading raw features) on photos it does not train on, for the
     *                   history only ({accuracy, loss}); null for none. It never chooses the epoch. It is called
     *                   every epoch, so it should read an {@link #input} built once.
     */
    public static Fitted fit(Features plain, Features mirror, int classes, HeadOptions o,
                             Function<Linear, double[]> validation, Consumer<TrainEvent> events) {
        if (o.mirrored() && mirror == null) throw new IllegalArgumentException("mirrored head needs mirror features");
        Features second = o.mirrored() ? mirror : null;
        int n = plain.size(), dim = plain.x()[0].length;
        boolean[] held = o.holdout() > 0 ? holdout(plain.labels(), classes, o.holdout(), o.seed()) : new boolean[n];
        List<float[]> rows = new ArrayList<>();
        List<Integer> rowLabels = new ArrayList<>();
        int heldCount = 0;
        for (int i = 0; i < n; i++) {
            if (held[i]) { heldCount++; continue; }
            rows.add(plain.x()[i]);
            rowLabels.add(plain.labels()[i]);
            if (second != null) {
                rows.add(second.x()[i]);
                rowLabels.add(plain.labels()[i]);
            }
        }
        Features fitRaw = new Features(rows.toArray(float[][]::new), rowLabels.stream().mapToInt(Integer::intValue).toArray(), List.of());
        float[][] moments = fitRaw.moments();
        Features fit = fitRaw.standardized(moments);
        Features heldOut = heldCount == 0 ? null : views(plain, second, held).standardized(moments);
        Tensor heldOutX = heldOut == null ? null : input(heldOut, null);                       // built once, read every epoch

        Linear head = new Linear(dim, classes);
        Trainer.initLinear(head, o.seed());
        Optimizer optimizer = Optimizer.create(o.optimizer(), head.parameters(), o.lr(), o.weightDecay());
        long stepsPerEpoch = (fit.size() + o.batchSize() - 1) / o.batchSize(), total = stepsPerEpoch * o.epochs(), step = 0;
        List<TrainEvent.EpochStats> history = new ArrayList<>();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = o.epochs();
        float[] bestW = null, bestB = null;
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            long start = System.nanoTime();
            long first = step;
            double[] lossAcc = epoch(head, optimizer, fit, epoch, o.batchSize(), o.seed(), o.labelSmoothing(),
                    s -> o.lr() * o.schedule().factor(first + s, total));
            step += stepsPerEpoch;
            if (!Double.isFinite(lossAcc[0])) {
                throw new BadInputException("training diverged: the loss of epoch " + epoch + " is " + lossAcc[0]
                        + "; try a smaller learning rate (now " + o.lr() + ")");
            }
            double[] val = validation == null ? new double[]{Double.NaN, Double.NaN} : validation.apply(folded(head, moments));
            history.add(new TrainEvent.EpochStats(epoch, lossAcc[1], lossAcc[0], val[0], val[1],
                    (System.nanoTime() - start) / 1e9));
            events.accept(new TrainEvent.EpochEnd(history.getLast()));
            if (heldOut != null) {
                double loss = CrossEntropy.loss(head.forward(heldOutX), heldOut.labels());
                if (loss < bestLoss) {
                    bestLoss = loss;
                    bestEpoch = epoch;
                    bestW = head.weight.data.clone();
                    bestB = head.bias.data.clone();
                } else if (epoch - bestEpoch >= o.patience()) {
                    events.accept(new TrainEvent.Note("early stop after epoch " + epoch + ": holdout loss lowest at epoch " + bestEpoch));
                    break;
                }
            }
        }
        if (bestW != null && bestEpoch != history.size()) {
            System.arraycopy(bestW, 0, head.weight.data, 0, bestW.length);
            System.arraycopy(bestB, 0, head.bias.data, 0, bestB.length);
            events.accept(new TrainEvent.Note("kept the head of epoch " + bestEpoch + " (lowest loss on the holdout photos)"));
        }
        Trainer.foldStandardization(head, moments);
        return new Fitted(head, List.copyOf(history), heldOut == null ? history.size() : bestEpoch);
    }

    /**
     * One pass of a head over rows of features, in an order fixed by (seed, epoch): the one head-training loop.
     *
     * @param rate the learning rate of each step of the pass (0, 1, ...)
     * @return {mean loss, accuracy} over the pass
     */
    static double[] epoch(Linear head, Optimizer optimizer, Features rows, int epoch, int batchSize, long seed,
                          double labelSmoothing, java.util.function.IntToDoubleFunction rate) {
        int n = rows.size();
        int[] order = Orders.shuffled(n, new SplittableRandom(seed * 7919 + epoch));
        head.setRecording(true);
        double lossSum = 0;
        int correct = 0;
        for (int from = 0, step = 0; from < n; from += batchSize, step++) {
            int to = Math.min(n, from + batchSize);
            optimizer.setLearningRate(rate.applyAsDouble(step));
            Tensor x = rows.rows(order, from, to);
            int[] labels = rows.labels(order, from, to);
            Tensor logits = head.forward(x);
            lossSum += CrossEntropy.loss(logits, labels) * labels.length;
            correct += Accuracy.correct(logits, labels);
            optimizer.zeroGrad();
            head.backward(smoothedGradient(logits, labels, labelSmoothing));
            optimizer.step();
        }
        head.setRecording(false);
        return new double[]{lossSum / n, (double) correct / n};
    }

    /** Logits of a head that reads raw features: one row per photo, the mean of both views when {@code mirror} is given. */
    public static Tensor logits(Linear head, Features plain, Features mirror) {
        return head.forward(input(plain, mirror));
    }

    /**
     * What a head reads for these photos, to build once and score every epoch.
     * in features (N, dim) [+ their mirrors (N, dim)] -> out (N, dim), the mean of both views when {@code mirror} is given
     *
     * @param plain  features of the photos
     * @param mirror features of their mirrors, row for row, or null
     * @return the head's input
     */
    public static Tensor input(Features plain, Features mirror) {
        Features x = mirror == null ? plain : views(plain, mirror, null);
        return x.rows(Orders.identity(x.size()), 0, x.size());
    }

    /** The rows (all, or where {@code pick}) of {@code plain}, averaged with {@code mirror}'s when given. */
    static Features views(Features plain, Features mirror, boolean[] pick) {
        List<float[]> x = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<java.nio.file.Path> files = new ArrayList<>();
        for (int i = 0; i < plain.size(); i++) {
            if (pick != null && !pick[i]) continue;
            float[] a = plain.x()[i], row = a;
            if (mirror != null) {
                float[] b = mirror.x()[i];
                row = new float[a.length];
                for (int j = 0; j < a.length; j++) row[j] = 0.5f * (a[j] + b[j]);
            }
            x.add(row);
            labels.add(plain.labels()[i]);
            if (!plain.files().isEmpty()) files.add(plain.files().get(i));
        }
        return new Features(x.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(), files);
    }

    /** A stratified, seeded share of each class set aside: about round(n_c * fraction) photos of class c, at least 1. */
    static boolean[] holdout(int[] labels, int classes, double fraction, long seed) {
        boolean[] held = new boolean[labels.length];
        SplittableRandom random = new SplittableRandom(seed ^ 0x40D0_17L);
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) if (labels[i] == c) members.add(i);
            if (members.size() < 2) continue;
            int[] order = Orders.shuffled(members.size(), random);
            long take = Math.max(1, Math.round(members.size() * fraction));
            for (int i = 0; i < take; i++) held[members.get(order[i])] = true;
        }
        return held;
    }

    /** dL/dlogits of cross-entropy against (1-ε)·onehot + ε/K (torch's {@code label_smoothing}), mean over the batch. */
    static Tensor smoothedGradient(Tensor logits, int[] labels, double epsilon) {
        if (epsilon == 0) return CrossEntropy.gradient(logits, labels);
        int n = labels.length, k = logits.size() / n;
        Tensor g = CrossEntropy.softmax(logits);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double target = epsilon / k + (j == labels[i] ? 1 - epsilon : 0);
                g.data[i * k + j] = (float) ((g.data[i * k + j] - target) / n);
            }
        }
        return g;
    }

    private static Linear folded(Linear standardizedHead, float[][] moments) {
        Linear copy = new Linear(standardizedHead.in, standardizedHead.out);
        System.arraycopy(standardizedHead.weight.data, 0, copy.weight.data, 0, copy.weight.data.length);
        System.arraycopy(standardizedHead.bias.data, 0, copy.bias.data, 0, copy.bias.data.length);
        Trainer.foldStandardization(copy, moments);
        return copy;
    }
}
