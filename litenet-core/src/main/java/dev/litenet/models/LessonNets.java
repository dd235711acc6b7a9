package dev.litenet.models;

import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Flatten;
import dev.litenet.nn.Init;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.MaxPool2d;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;

import java.util.SplittableRandom;

/**
 * The four MNIST networks of the lesson's earlier units (MicrosoftDocs/pytorchfundamentals,
 * computer-vision-pytorch: 3-train-dense-neural-networks, 4-multilayer-dense-neural-networks,
 * 4-convolutional-networks), with their layer sizes, parameter names and torch's default init. Input
 * (N,28,28,1) -> logits (N, classes). The lesson ends each net with LogSoftmax and trains with NLLLoss; here the
 * nets return logits and train with cross-entropy, which is the same loss and the same argmax.
 *
 * <pre>
 *   dense  Flatten, Linear(784,10)                                       7,850 parameters
 *   mlp    Flatten, Linear(784,100), ReLU, Linear(100,10)               79,510
 *   cnn1   OneConv: conv 1→9 5×5, ReLU, Flatten, fc 5184→10             52,084
 *   cnn2   MultiLayerCNN: conv1 1→10 5×5, ReLU, pool 2×2,
 *          conv2 10→20 5×5, ReLU, pool 2×2, fc 320→10                    8,490
 * </pre>
 * {@link Flatten} uses torch's (C,H,W) order, so torch weights for {@code fc} load unchanged.
 */
public final class LessonNets {
    private LessonNets() {}

    /** {@code nn.Sequential(nn.Flatten(), nn.Linear(784, 10), nn.LogSoftmax())}. */
    public static Sequential dense(int numClasses, long seed) {
        return init(new Sequential(new Flatten(), new Linear(784, numClasses)), seed);
    }

    /** {@code nn.Sequential(nn.Flatten(), nn.Linear(784,100), nn.ReLU(), nn.Linear(100,10), nn.LogSoftmax())}. */
    public static Sequential mlp(int numClasses, long seed) {
        return init(new Sequential(new Flatten(), new Linear(784, 100), new ReLU(), new Linear(100, numClasses)), seed);
    }

    public static OneConv oneConv(int numClasses, long seed) { return init(new OneConv(numClasses), seed); }

    public static MultiLayerCNN multiLayerCnn(int numClasses, long seed) { return init(new MultiLayerCNN(numClasses), seed); }

    /** The lesson's {@code OneConv}: 9 filters 5×5 without padding, 28→24, then 9·24·24 = 5184 features. */
    public static final class OneConv extends Sequential {
        OneConv(int numClasses) {
            add("conv", unpadded(new Conv2d(1, 9, 5, 1, 1, true)));
            add("relu", new ReLU());
            add("flatten", new Flatten());
            add("fc", new Linear(5184, numClasses));
        }
    }

    /**
     * The lesson's {@code MultiLayerCNN}: 28→24→12→8→4, 20·4·4 = 320 features. The lesson applies one pool
     * module twice and ReLU as a function; here each application is its own child ({@code relu1, pool1, ...}),
     * which leaves the parameter names ({@code conv1, conv2, fc}) as torch's.
     */
    public static final class MultiLayerCNN extends Sequential {
        MultiLayerCNN(int numClasses) {
            add("conv1", unpadded(new Conv2d(1, 10, 5, 1, 1, true)));
            add("relu1", new ReLU());
            add("pool1", new MaxPool2d(2, 2, 0));
            add("conv2", unpadded(new Conv2d(10, 20, 5, 1, 1, true)));
            add("relu2", new ReLU());
            add("pool2", new MaxPool2d(2, 2, 0));
            add("flatten", new Flatten());
            add("fc", new Linear(320, numClasses));
        }
    }

    private static Conv2d unpadded(Conv2d c) {
        c.setPad(0);
        return c;
    }

    private static <L extends Layer> L init(L net, long seed) {
        Init.torchDefaults(net, new SplittableRandom(seed));
        return net;
    }
}
