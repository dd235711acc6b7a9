package dev.litenet.train;

import dev.litenet.data.Orders;
import dev.litenet.eval.Accuracy;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Minibatch training of a classifier on a data set held in memory (the lesson's {@code train_epoch}): each
 * epoch visits the images in a fresh seeded shuffle, in batches; per batch zero the gradients, forward in
 * training mode, cross-entropy, backward, one Adam step. Tells a listener after every epoch.
 */
public final class ArrayTrainer {
    /** How to train: epochs, batch size, Adam's learning rate (β 0.9/0.999, ε 1e-8, as torch's defaults), seed. */
    public record Settings(int epochs, int batchSize, double learningRate, long seed) {
        public Settings {
            if (epochs < 0 || batchSize < 1 || !(learningRate > 0)) throw new IllegalArgumentException("bad settings " + this);
        }
    }

    /**
     * One finished epoch, numbered from 1.
     *
     * @param meanLoss      batch-mean cross-entropy averaged over the epoch's images
     * @param trainAccuracy fraction right during training (training-mode outputs, as the lesson reports)
     * @param seconds       wall time of the epoch
     */
    public record EpochDone(int epoch, int epochs, double meanLoss, double trainAccuracy, double seconds) {}

    private ArrayTrainer() {}

    /** images (N,...) with labels[N] -> the epochs' records; the model's weights are trained in place. */
    public static List<EpochDone> fit(Layer model, Tensor images, int[] labels, Settings settings, Consumer<EpochDone> listener) {
        int n = labels.length;
        if (images.dim(0) != n) throw new IllegalArgumentException(images.dim(0) + " images but " + labels.length + " labels");
        Optimizer adam = new Adam(model.parameters(), settings.learningRate(), 0.9, 0.999, 1e-8);
        SplittableRandom random = new SplittableRandom(settings.seed());
        int[] order = Orders.identity(n);
        List<EpochDone> history = new ArrayList<>();
        model.train(true);
        model.setRecording(true);
        try {
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                long start = System.nanoTime();
                Orders.shuffle(order, random);
                double lossSum = 0;
                long right = 0;
                for (int from = 0; from < n; from += settings.batchSize()) {
                    int to = Math.min(n, from + settings.batchSize());
                    Tensor x = gather(images, order, from, to);
                    int[] y = new int[to - from];
                    for (int i = from; i < to; i++) y[i - from] = labels[order[i]];
                    adam.zeroGrad();
                    Tensor logits = model.forward(x);
                    lossSum += CrossEntropy.loss(logits, y) * y.length;
                    right += Accuracy.correct(logits, y);
                    model.backward(CrossEntropy.gradient(logits, y));
                    adam.step();
                }
                EpochDone done = new EpochDone(epoch, settings.epochs(), lossSum / n, (double) right / n,
                        (System.nanoTime() - start) / 1e9);
                history.add(done);
                listener.accept(done);
            }
        } finally {
            model.setRecording(false);
            model.train(false);
        }
        return history;
    }

    /** images (N, ...) -> the rows order[from..to) as a new (to-from, ...) batch. */
    static Tensor gather(Tensor images, int[] order, int from, int to) {
        int per = images.size() / images.dim(0);
        int[] shape = images.shape.clone();
        shape[0] = to - from;
        Tensor batch = Tensor.zeros(shape);
        for (int i = from; i < to; i++) System.arraycopy(images.data, order[i] * per, batch.data, (i - from) * per, per);
        return batch;
    }
}
