package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An MNIST-style data set from a folder of IDX files ({@code train-images-idx3-ubyte(.gz)},
 * {@code train-labels-idx1-ubyte(.gz)}, {@code t10k-...}): images as NHWC floats in [0,1], labels as ints.
 *
 * @param images (N, rows, cols, 1), pixel / 255
 * @param labels N class indices, 0..255 as stored
 */
public record IdxDataset(Tensor images, int[] labels) {

    /** The training split ({@code train-*}) or the test split ({@code t10k-*}) in {@code dir}. */
    public static IdxDataset load(Path dir, boolean train) {
        String split = train ? "train" : "t10k";
        Path imagesFile = find(dir, split + "-images-idx3-ubyte");
        Path labelsFile = find(dir, split + "-labels-idx1-ubyte");
        IdxArray images = IdxFile.read(imagesFile);
        IdxArray labels = IdxFile.read(labelsFile);
        if (images.dims().length != 3) {
            throw new BadInputException(imagesFile, "images need dimensions [count, rows, cols], got " + Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new BadInputException(labelsFile, "labels need dimensions [count], got " + Arrays.toString(labels.dims()));
        }
        if (labels.count() != images.count()) {
            throw new BadInputException(labelsFile, labels.count() + " labels for " + images.count() + " images in " + imagesFile.getFileName());
        }
        return new IdxDataset(toImages(images), toLabels(labels));
    }

    public int size() { return labels.length; }

    // in [N, rows, cols] unsigned bytes -> out (N, rows, cols, 1) floats in [0,1]
    private static Tensor toImages(IdxArray idx) {
        float[] pixels = new float[idx.data().length];
        for (int i = 0; i < pixels.length; i++) pixels[i] = idx.unsigned(i) / 255f;
        int[] d = idx.dims();
        return new Tensor(pixels, d[0], d[1], d[2], 1);
    }

    private static int[] toLabels(IdxArray idx) {
        int[] labels = new int[idx.count()];
        for (int i = 0; i < labels.length; i++) labels[i] = idx.unsigned(i);
        return labels;
    }

    /** {@code dir/name}, else {@code dir/name.gz}. */
    private static Path find(Path dir, String name) {
        Path raw = dir.resolve(name), gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(raw)) return raw;
        if (Files.isRegularFile(gz)) return gz;
        throw new BadInputException(dir, "no " + name + " or " + name + ".gz");
    }
}
