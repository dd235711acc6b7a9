package dev.litenet.examples;

import dev.litenet.ImageClassifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Classifies every image of a folder with pretrained ImageNet weights or a trained run folder, in batches,
 * printing one line per file: the best label and its probability, or why the file could not be read.
 * Arguments: weights name, weights file or run folder; the image folder.
 */
public final class ClassifyFolder {
    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[0]);
        ImageClassifier net = Files.isDirectory(model) ? ImageClassifier.load(model) : ImageClassifier.pretrained(args[0]);
        List<Path> images;
        try (Stream<Path> files = Files.walk(Path.of(args[1]))) {
            images = files.filter(Files::isRegularFile).sorted().toList();
        }
        for (ImageClassifier.FilePrediction p : net.predictAll(images, 1)) {
            if (p.ok()) System.out.printf("%s\t%s\t%.3f%n", p.file(), p.top().get(0).label(), p.top().get(0).probability());
            else System.out.printf("%s\terror\t%s%n", p.file(), p.error());
        }
    }
}
