package dev.litenet.eval;

import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;

/** Top-1 accuracy: the share of images whose largest logit is their label. */
public final class Accuracy {
    private Accuracy() {}

    /** logits (N, K), labels[N] -> how many rows have their maximum (the first, on ties) at the label. */
    public static int correct(Tensor logits, int[] labels) {
        int N = logits.dim(0), K = logits.size() / N, right = 0;
        for (int n = 0; n < N; n++) {
            int best = 0;
            for (int k = 1; k < K; k++) if (logits.data[n * K + k] > logits.data[n * K + best]) best = k;
            if (best == labels[n]) right++;
        }
        return right;
    }

    /** The model in eval mode over images (N, ...) in batches: the fraction right. */
    public static double of(Layer model, Tensor images, int[] labels, int batchSize) {
        int n = labels.length, per = images.size() / Math.max(1, images.dim(0)), right = 0;
        if (n == 0) return Double.NaN;
        boolean wasTraining = model.isTraining();
        model.train(false);
        model.setRecording(false);
        try {
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                int[] shape = images.shape.clone();
                shape[0] = to - from;
                float[] data = new float[(to - from) * per];
                System.arraycopy(images.data, from * per, data, 0, data.length);
                int[] y = new int[to - from];
                System.arraycopy(labels, from, y, 0, y.length);
                right += correct(model.forward(new Tensor(data, shape)), y);
            }
        } finally {
            model.train(wasTraining);
        }
        return (double) right / n;
    }
}
