package dev.litenet.runtimes;

import dev.litenet.Shared;
import dev.litenet.data.ImageDecoder;
import dev.litenet.data.Preprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the runtime tests share: the repo, real photos, and skipping (or, in CI, failing) when a runtime is missing. */
final class Runtimes {
    private Runtimes() {}

    /** The repository's root. */
    static Path repo() {
        return Path.of(System.getenv().getOrDefault("LITENET_REPO", Path.of("").toAbsolutePath().getParent().toString())).toAbsolutePath().normalize();
    }

    /** A runtime the test needs: present, or a skip with the reason (a failure when {@code CI=true}: nothing passes by not running). */
    static void require(boolean present, String why) {
        if (present) return;
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(why);
        assumeTrue(false, why);
    }

    /** The first {@code perClass} photos of each class of cats-dogs {@code split}, cats then dogs. */
    static List<Path> photos(String split, int perClass) {
        List<Path> out = new ArrayList<>();
        for (String c : List.of("cat", "dog")) {
            try (Stream<Path> files = Files.list(Shared.path("data/cats-dogs/" + split + "/" + c))) {
                out.addAll(files.sorted().limit(perClass).toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Photos spread over the split: every {@code step}-th of each class, cats then dogs. */
    static List<Path> spread(String split, int step) {
        List<Path> out = new ArrayList<>();
        for (String c : List.of("cat", "dog")) {
            try (Stream<Path> files = Files.list(Shared.path("data/cats-dogs/" + split + "/" + c))) {
                List<Path> all = files.sorted().toList();
                for (int i = 0; i < all.size(); i += step) out.add(all.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** A photo prepared as the preprocessing says (no test-time flip: the network sees one view). */
    static float[] prepare(Preprocess p, Path photo) {
        return p.pipeline().apply(ImageDecoder.decode(photo), new SplittableRandom(0)).pixels();
    }

    /** NHWC (S,S,3) -> NCHW (3,S,S). */
    static float[] nchw(float[] nhwc, int s) {
        float[] out = new float[nhwc.length];
        for (int y = 0; y < s; y++) for (int x = 0; x < s; x++) for (int c = 0; c < 3; c++) out[(c * s + y) * s + x] = nhwc[(y * s + x) * 3 + c];
        return out;
    }

    /** The index of the largest value. */
    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
