package dev.litenet.data;

import java.util.List;

/** Training and validation samples over the same class names. */
public record DatasetSplit(List<String> classes, List<Sample> train, List<Sample> val) {
    public DatasetSplit {
        classes = List.copyOf(classes);
        train = List.copyOf(train);
        val = List.copyOf(val);
    }
}
