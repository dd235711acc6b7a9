package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

/**
 * Softmax cross-entropy averaged over the batch, as torch's {@code F.cross_entropy(logits, labels)}:
 * logits (N, K), labels in [0, K). {@link #gradient} is dL/dlogits = (softmax − onehot) / N.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Row-wise softmax, max-subtracted for stability. (N, K) -> (N, K). */
    public static Tensor softmax(Tensor logits) {
        int N = logits.dim(0), K = logits.size() / N;
        Tensor p = Tensor.zeros(N, K);
        for (int n = 0; n < N; n++) softmax(logits.data, n * K, K, p.data, n * K);
        return p;
    }

    /** The softmax of the K logits at {@code x[from..]} into {@code p[to..]}. */
    public static void softmax(float[] x, int from, int K, float[] p, int to) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < K; k++) max = Math.max(max, x[from + k]);
        double sum = 0;
        for (int k = 0; k < K; k++) sum += p[to + k] = (float) Math.exp(x[from + k] - max);
        for (int k = 0; k < K; k++) p[to + k] /= (float) sum;
    }

    /** Mean over the batch of −log softmax(logits)[label]. */
    public static double loss(Tensor logits, int[] labels) {
        int N = logits.dim(0), K = logits.size() / N;
        double total = 0;
        for (int n = 0; n < N; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < K; k++) max = Math.max(max, logits.data[n * K + k]);
            double sum = 0;
            for (int k = 0; k < K; k++) sum += Math.exp(logits.data[n * K + k] - max);
            total += Math.log(sum) + max - logits.data[n * K + checkLabel(labels[n], K)];
        }
        return total / N;
    }

    /** dL/dlogits of {@link #loss}. */
    public static Tensor gradient(Tensor logits, int[] labels) {
        int N = logits.dim(0), K = logits.size() / N;
        Tensor g = softmax(logits);
        for (int n = 0; n < N; n++) {
            g.data[n * K + checkLabel(labels[n], K)] -= 1f;
            for (int k = 0; k < K; k++) g.data[n * K + k] /= N;
        }
        return g;
    }

    private static int checkLabel(int label, int K) {
        if (label < 0 || label >= K) throw new IllegalArgumentException("label " + label + " outside [0, " + K + ")");
        return label;
    }
}
