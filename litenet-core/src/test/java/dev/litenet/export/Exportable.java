package dev.litenet.export;

import dev.litenet.data.Preprocess;
import dev.litenet.models.Architecture;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Models for export tests: an architecture of the zoo at a small input with its seeded init, BatchNorm statistics made
 * non-trivial (so folding is exercised), and a few classes; and LiteNet's own logits for an input, the reference every
 * exported file is held to.
 */
public final class Exportable {
    private Exportable() {}

    /** An architecture's network, seeded, BatchNorm statistics random, eval mode, as a model with numbered labels. */
    public static Model model(Architecture a, int classes, int inputSize, boolean flip) {
        Network net = a.build(classes, 1f, 7);
        randomizeBatchNorm(net, new SplittableRandom(11));
        net.train(false);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < classes; i++) labels.add("class " + i);
        Preprocess p = Preprocess.TORCHVISION_IMAGENET.resizedTo(inputSize).withFlipAverage(flip);
        return new Model(net, labels, p, a.name() + " (seeded)", "", List.of());
    }

    /** Running statistics and affine parameters away from identity, as trained networks have them. */
    public static void randomizeBatchNorm(Layer l, SplittableRandom r) {
        if (l instanceof BatchNorm2d bn) {
            for (int c = 0; c < bn.channels; c++) {
                bn.weight.data[c] = (float) (0.5 + r.nextDouble());
                bn.bias.data[c] = (float) (r.nextDouble() - 0.5) * 0.2f;
                bn.runningMean.data[c] = (float) (r.nextDouble() - 0.5) * 0.2f;
                bn.runningVar.data[c] = (float) (0.5 + r.nextDouble());
            }
        }
        l.children().values().forEach(c -> randomizeBatchNorm(c, r));
    }

    /** LiteNet's logits for one prepared image (S·S·3), test-time flip as the model says, the "background" output kept. */
    public static float[] logits(Model model, float[] image) {
        int s = model.preprocess().outputSize();
        Tensor x = new Tensor(image.clone(), 1, s, s, 3);
        Layer backbone = model.network().fusedEmbedding();
        Tensor f = Inference.forward(backbone, x);
        if (model.preprocess().flipAverage()) {
            Tensor g = Inference.forward(backbone, dev.litenet.train.Features.mirrored(x));
            for (int i = 0; i < f.data.length; i++) f.data[i] = 0.5f * (f.data[i] + g.data[i]);
        }
        return model.network().head().fused().forward(f).data;
    }

    /** max |a − b| over max |b|. */
    public static double relativeError(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError(a.length + " values against " + b.length);
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / Math.max(scale, 1e-12);
    }

    /** A deterministic input in the normalized range. */
    public static float[] input(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size * size * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 4 - 2);
        return x;
    }
}
