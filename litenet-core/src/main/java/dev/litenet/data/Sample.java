package dev.litenet.data;

import java.nio.file.Path;

/** One labelled image file: {@code label} indexes the class names of its {@link ImageFolder}. */
public record Sample(Path path, int label) {}
