package dev.litenet.train;

import dev.litenet.TrainEvent;

import dev.litenet.data.BadImagePolicy;
import dev.litenet.data.Batch;
import dev.litenet.data.BatchLoader;
import dev.litenet.data.Sample;
import dev.litenet.data.Transform;
import dev.litenet.models.Pretrained;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a frozen backbone over labelled images: (N images) -> (N, dim) features, the rows of images that could
 * not be read left out (and reported). With a {@link FeatureCache}, images already seen are not run again.
 */
public record Features(float[][] x, int[] labels, List<Path> files) {

    public int size() { return labels.length; }

    /** Per-feature mean and standard deviation over the rows: {mean[dim], std[dim]} (std at least 1e-6). */
    public float[][] moments() {
        int dim = x[0].length;
        double[] sum = new double[dim], sq = new double[dim];
        for (float[] row : x) for (int j = 0; j < dim; j++) { sum[j] += row[j]; sq[j] += (double) row[j] * row[j]; }
        float[] mean = new float[dim], std = new float[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = (float) (sum[j] / x.length);
            std[j] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, sq[j] / x.length - mean[j] * (double) mean[j])));
        }
        return new float[][]{mean, std};
    }

    /** The same rows standardized: (x - mean) / std. */
    public Features standardized(float[][] moments) {
        float[][] z = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = new float[x[i].length];
            for (int j = 0; j < z[i].length; j++) z[i][j] = (x[i][j] - moments[0][j]) / moments[1][j];
        }
        return new Features(z, labels, files);
    }

    /** The given rows, in that order. */
    public Features select(int[] rows) {
        float[][] sx = new float[rows.length][];
        int[] sl = new int[rows.length];
        List<Path> sf = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            sx[i] = x[rows[i]];
            sl[i] = labels[rows[i]];
            if (!files.isEmpty()) sf.add(files.get(rows[i]));
        }
        return new Features(sx, sl, sf);
    }

    /** Rows [from, to) as a (to-from, dim) tensor. */
    public Tensor rows(int[] order, int from, int to) {
        int dim = x[0].length;
        Tensor t = Tensor.zeros(to - from, dim);
        for (int i = from; i < to; i++) System.arraycopy(x[order[i]], 0, t.data, (i - from) * dim, dim);
        return t;
    }

    public int[] labels(int[] order, int from, int to) {
        int[] l = new int[to - from];
        for (int i = from; i < to; i++) l[i - from] = labels[order[i]];
        return l;
    }

    /**
     * Features of every sample through {@code backbone} (an inference model: images (B,H,W,3) -> (B, dim)).
     * {@code cache} may be null (augmented images are never cached).
     */
    public static Features extract(String what, List<Sample> samples, Layer backbone, Transform transform,
                                   BatchLoader.Options options, FeatureCache cache, Consumer<TrainEvent> events) {
        return extractViews(what, samples, backbone, transform, options, java.util.Collections.singletonList(cache), events).getFirst();
    }

    /**
     * Features of every sample and, when {@code caches} has two entries, of its left-right mirror, from one decode
     * per image: view 0 is {@code transform}'s output, view 1 its mirror ({@link #mirrored}). {@code caches} holds one
     * cache (or null) per view. A sample found in every cache is not decoded again.
     */
    public static List<Features> extractViews(String what, List<Sample> samples, Layer backbone, Transform transform,
                                              BatchLoader.Options options, List<FeatureCache> caches, Consumer<TrainEvent> events) {
        int views = caches.size();
        List<Map<Path, float[]>> found = new ArrayList<>();
        for (int v = 0; v < views; v++) found.add(new HashMap<>());
        Map<Path, String> shaOf = new HashMap<>();
        List<Sample> todo = new ArrayList<>();
        for (Sample s : samples) {
            boolean all = true;
            for (int v = 0; v < views; v++) {
                FeatureCache cache = caches.get(v);
                float[] f = null;
                if (cache != null) {
                    String sha = shaOf.computeIfAbsent(s.path(), Pretrained::sha256);
                    f = cache.get(sha);
                }
                if (f != null) found.get(v).put(s.path(), f);
                else all = false;
            }
            if (!all) todo.add(s);
        }
        if (!todo.isEmpty()) {
            BatchLoader.Options opts = options.badImages() == BadImagePolicy.SKIP
                    ? options.skipBadImages(bad -> events.accept(new TrainEvent.Skipped(bad))) : options;
            long start = System.nanoTime();
            int done = 0;
            try (BatchLoader loader = new BatchLoader(todo, transform, opts)) {
                for (Batch b : loader.epoch(0)) {
                    for (int v = 0; v < views; v++) {
                        Tensor out = Inference.forward(backbone, v == 0 ? b.images() : mirrored(b.images()));
                        int dim = out.size() / b.size();
                        for (int i = 0; i < b.size(); i++) {
                            float[] f = new float[dim];
                            System.arraycopy(out.data, i * dim, f, 0, dim);
                            Path p = b.files().get(i);
                            found.get(v).put(p, f);
                            if (caches.get(v) != null) caches.get(v).put(shaOf.get(p), f);
                        }
                    }
                    done += b.size();
                    events.accept(new TrainEvent.Progress(what, done, todo.size(), done / ((System.nanoTime() - start) / 1e9)));
                }
            }
            for (FeatureCache cache : caches) {
                if (cache == null) continue;
                try {
                    cache.save();
                } catch (IOException e) {
                    events.accept(new TrainEvent.Note("could not save the feature cache " + cache.file() + ": " + e.getMessage()));
                }
            }
        }
        List<Features> out = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            List<float[]> x = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (Sample s : samples) {
                if (!found.get(0).containsKey(s.path()) || !found.get(v).containsKey(s.path())) continue;   // unreadable: reported by the loader
                x.add(found.get(v).get(s.path()));
                labels.add(s.label());
                files.add(s.path());
            }
            out.add(new Features(x.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(), files));
        }
        return out;
    }

    /** Left-right mirror of each image: in (N,H,W,C) -> out (N,H,W,C). */
    public static Tensor mirrored(Tensor x) { return mirrored(x, Tensor.zeros(x.shape)); }

    /** The same into {@code m}, a tensor of x's shape (every value written). */
    public static Tensor mirrored(Tensor x, Tensor m) {
        int n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
        for (int row = 0; row < n * h; row++) {
            for (int col = 0; col < w; col++) System.arraycopy(x.data, (row * w + col) * c, m.data, (row * w + w - 1 - col) * c, c);
        }
        return m;
    }
}
