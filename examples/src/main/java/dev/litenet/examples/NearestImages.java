package dev.litenet.examples;

import dev.litenet.ImageClassifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Image search with embeddings: the backbone's 1280-d features of every image in a folder, then the images
 * closest to a query image by cosine similarity.
 * Arguments: the image folder, the query image, how many to show.
 */
public final class NearestImages {
    public static void main(String[] args) throws IOException {
        ImageClassifier net = ImageClassifier.pretrained("mobilenet_v2_1.0_224_quant");
        List<Path> images;
        try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
            images = files.filter(Files::isRegularFile).sorted().toList();
        }
        float[] query = net.embed(Path.of(args[1]));
        record Match(Path file, double similarity) {}
        net.embedAll(images).stream()
                .filter(ImageClassifier.FileEmbedding::ok)
                .map(e -> new Match(e.file(), cosine(query, e.embedding())))
                .sorted(Comparator.comparingDouble(Match::similarity).reversed())
                .limit(Integer.parseInt(args[2]))
                .forEach(m -> System.out.printf("%.4f\t%s%n", m.similarity(), m.file()));
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
