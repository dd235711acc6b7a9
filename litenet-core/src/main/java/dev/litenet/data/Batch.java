package dev.litenet.data;

import dev.litenet.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;

/** A batch of preprocessed images: {@code images} is (B,H,W,3); {@code labels[i]} and {@code files.get(i)} belong to image i. */
public record Batch(Tensor images, int[] labels, List<Path> files) {
    public Batch {
        if (images.rank() != 4 || images.dim(0) != labels.length || labels.length != files.size() || images.dim(3) != 3) {
            throw new IllegalArgumentException("batch of " + images.shapeString() + ", " + labels.length + " labels, " + files.size() + " files");
        }
        files = List.copyOf(files);
    }

    public int size() { return labels.length; }
}
