package dev.litenet;

import dev.litenet.data.ImageDecoder;
import dev.litenet.data.ImageFolder;
import dev.litenet.data.Pipeline;
import dev.litenet.data.Preprocess;
import dev.litenet.data.RgbImage;
import dev.litenet.io.Locations;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.models.Pretrained;
import dev.litenet.models.RunFolder;
import dev.litenet.models.WeightsCache;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

/**
 * An image classifier: a network of the zoo (MobileNetV2 by default; see {@code litenet compare} and
 * docs/ZOO.md for the others) with its preprocessing and class labels, ready to predict.
 *
 * <pre>{@code
 * ImageClassifier net = ImageClassifier.pretrained("mobilenet_v2_1.0_224_quant");
 * List<Prediction> top = net.predict(Path.of("cat.jpg"), 5);
 * }</pre>
 *
 * <p>Get one from pretrained ImageNet weights ({@link #pretrained}), from a run folder ({@link #load}), or by
 * {@link TransferLearning}. The preprocessing travels with the weights: Google's TFLite files crop the central
 * 87.5 % and resize to 224; torchvision's weights resize the shorter side (256, or 232 for {@code IMAGENET1K_V2})
 * and crop 224. A classifier trained with mirrored views ({@link TransferLearning#mirrored}) averages each image
 * with its mirror in every method that runs the network (its {@link Preprocess#flipAverage()} says so).
 *
 * <p><b>Class indices.</b> ImageNet weights predict torchvision's 1000 classes, indices 0–999. Google's TFLite
 * files have 1001 outputs whose output 0 is "background"; it is dropped before the softmax, so index 285 is
 * "Egyptian cat" whichever file the weights came from. A trained classifier's indices are its classes in
 * sorted folder order. {@link #labels()} lists them; {@link Prediction#index()} points into it.
 *
 * <p><b>Threads.</b> An {@code ImageClassifier} is safe to share: any number of threads may call its methods at
 * once. Decoding and preprocessing run on the calling threads; the network itself runs one batch at a time and
 * spreads each batch over LiteNet's worker threads ({@link LiteNet#setThreads}).
 *
 * <p><b>Errors.</b> An unreadable image or weights file is a {@link BadInputException} naming the file and the
 * problem. The batch methods that take many files report such files one by one in their results instead.
 */
public final class ImageClassifier {
    /** Images per forward pass in the methods that take many files. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final Model model;
    private final List<String> labels;
    private final int dropped;               // 1 when output 0 is TFLite's "background"
    private final Preprocess preprocess;
    private final Pipeline pipeline;
    private final Layer backbone, head;
    private final ReentrantLock network = new ReentrantLock();

    ImageClassifier(Model model) {
        this.model = model;
        List<String> outputLabels = model.labels();
        this.dropped = !outputLabels.isEmpty() && outputLabels.get(0).equals("background") ? 1 : 0;
        this.labels = outputLabels.isEmpty() ? numbered(model.network().numClasses())
                : List.copyOf(outputLabels.subList(dropped, outputLabels.size()));
        this.preprocess = model.preprocess();
        this.pipeline = preprocess.pipeline();
        model.network().train(false);
        this.backbone = model.network().fusedEmbedding();
        this.head = model.network().head().fused();
    }

    private static List<String> numbered(int classes) {
        return IntStream.range(0, classes).mapToObj(i -> "class " + i).toList();
    }

    /**
     * Pretrained ImageNet weights: a known name ({@code mobilenet_v2_1.0_224_quant}, {@code tf2_mobilenet_v2_1.0_224_ptq},
     * {@code IMAGENET1K_V1}, {@code IMAGENET1K_V2}, ...; {@code litenet predict --help} lists them all) or a
     * {@code .tflite}, {@code .pth} or {@code .safetensors} file, whose architecture is recognized from its keys and
     * shapes. A name is looked up in the cache ({@code $LITENET_CACHE}, default {@code ~/.cache/litenet}), then in
     * {@code $LITENET_SHARED/weights}, else downloaded from its published address and checked against its sha256.
     *
     * @param nameOrFile a known weights name or a path to a weights file
     * @return the classifier, with ImageNet labels
     * @throws BadInputException if the name is unknown, or the file is unreadable or not weights of an architecture
     *                           LiteNet knows (or fits several: then name one with {@link #pretrained(String, String)})
     */
    public static ImageClassifier pretrained(String nameOrFile) { return pretrained(nameOrFile, null); }

    /**
     * Pretrained weights of a named architecture: for a {@code .pth} or safetensors file whose keys and shapes do
     * not say which.
     *
     * @param nameOrFile   a known weights name or a path to a weights file
     * @param architecture an architecture's name ({@code mobilenet_v3_large}, ...), or null for the weights' own
     * @return the classifier, with ImageNet labels
     * @throws BadInputException if the name is unknown or the file is not weights of that architecture
     */
    public static ImageClassifier pretrained(String nameOrFile, String architecture) {
        return new ImageClassifier(Pretrained.load(weightsFile(nameOrFile), architecture));
    }

    /**
     * Pretrained weights from a file ({@code .tflite}, {@code .pth} or {@code .safetensors}).
     *
     * @param weightsFile the file
     * @return the classifier, with ImageNet labels
     * @throws BadInputException if the file is unreadable or not weights of an architecture LiteNet knows
     */
    public static ImageClassifier pretrained(Path weightsFile) { return new ImageClassifier(Pretrained.load(weightsFile)); }

    /**
     * The checked local file for a weights name or path: the cache, then {@code $LITENET_SHARED/weights}, else a
     * verified download.
     *
     * @param nameOrFile a known weights name or a path
     * @return an existing file
     * @throws BadInputException if the name is unknown or the download fails its check
     */
    public static Path weightsFile(String nameOrFile) {
        return WeightsCache.standard(Locations.localWeights()).resolve(nameOrFile, WeightsCache.Progress.NONE);
    }

    /**
     * A classifier saved by {@link #save} (or by {@code litenet train}).
     *
     * @param runFolder the run folder
     * @return the classifier with its class names and training history
     * @throws BadInputException if the folder is not a readable run folder
     */
    public static ImageClassifier load(Path runFolder) { return new ImageClassifier(RunFolder.load(runFolder)); }

    /**
     * Writes this classifier as a run folder: {@code model.safetensors}, {@code model.json} (classes,
     * preprocessing, origin), {@code history.json} and, when it was trained, {@code history.png}.
     *
     * @param runFolder the folder to write (created if needed; files of an earlier run are replaced)
     * @throws UncheckedIOException if the folder cannot be written
     */
    public void save(Path runFolder) {
        try {
            RunFolder.save(runFolder, model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runFolder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The class labels; {@link Prediction#index()} is a position in this list.
     *
     * @return the class labels; {@link Prediction#index()} is a position in this list
     */
    public List<String> labels() { return labels; }

    /**
     * The side of the square input the network sees after preprocessing (224 for the ImageNet weights).
     *
     * @return the side of the square input the network sees after preprocessing (224 for the ImageNet weights)
     */
    public int inputSize() { return preprocess.outputSize(); }

    /**
     * The length of the vectors {@link #embed} returns (1280 for MobileNetV2 1.0).
     *
     * @return the length of the vectors {@link #embed} returns (1280 for MobileNetV2 1.0)
     */
    public int embeddingSize() { return model.network().embeddingSize(); }

    /**
     * The architecture's name, as {@code --arch} takes it ({@code mobilenet_v2}, {@code mobilenet_v3_large}, ...).
     *
     * @return the architecture's name
     */
    public String architecture() { return model.architecture(); }

    /**
     * Where the weights came from (a file name).
     *
     * @return where the weights came from (a file name)
     */
    public String origin() { return model.origin(); }

    /**
     * The sha256 of the pretrained weights file the backbone came from.
     *
     * @return the sha256 of the pretrained weights file the backbone came from
     */
    public String sha256() { return model.sha256(); }

    /**
     * The epochs of training, empty for pretrained weights.
     *
     * @return the epochs of training, empty for pretrained weights
     */
    public List<TrainEvent.EpochStats> history() { return model.history(); }

    /**
     * The preprocessing images go through before the network.
     *
     * @return the preprocessing images go through before the network
     */
    public Preprocess preprocess() { return preprocess; }

    /**
     * This classifier with other preprocessing: the same network, labels and history. For example the whole photo
     * instead of its central crop, as Google's Coral checks its classifiers:
     * {@code net.withPreprocess(net.preprocess().withCentralFraction(1))}.
     *
     * @param preprocess how images are to be prepared
     * @return a new classifier sharing this one's weights
     */
    public ImageClassifier withPreprocess(Preprocess preprocess) {
        return new ImageClassifier(model.withPreprocess(java.util.Objects.requireNonNull(preprocess, "preprocess")));
    }

    /**
     * The network itself, for summaries, export and inspection.
     *
     * @return the network (eval mode; do not change its weights while this classifier is in use)
     */
    public Network network() { return model.network(); }

    /**
     * The model as one value: network, labels, preprocessing, origin and history.
     *
     * @return the model
     */
    public Model model() { return model; }

    // ---- preparing images -------------------------------------------------------------------------------------

    /**
     * Decodes and preprocesses an image file.
     *
     * @param image a JPEG, PNG, BMP or GIF file
     * @return the prepared image
     * @throws BadInputException if the file cannot be read as an image, or not in the memory there is
     */
    public PreparedImage prepare(Path image) {
        try {
            return prepare(image.toString(), ImageDecoder.decode(image));
        } catch (OutOfMemoryError e) {
            throw new BadInputException(image, "not enough memory to decode and preprocess this image (Java heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB; raise it with -Xmx, for the litenet command in LITENET_JAVA_OPTS)");
        }
    }

    /**
     * Decodes and preprocesses an encoded image held in memory (an upload, a row of a table).
     *
     * @param name  what to call the image in errors
     * @param bytes the encoded JPEG, PNG, BMP or GIF
     * @return the prepared image
     * @throws BadInputException if the bytes are not a readable image
     */
    public PreparedImage prepare(String name, byte[] bytes) {
        return prepare(name, ImageDecoder.decode(Path.of(safeName(name)), bytes));
    }

    /**
     * Preprocesses a decoded image.
     *
     * @param name  what to call the image in errors
     * @param image the image (alpha is dropped, grayscale becomes RGB)
     * @return the prepared image
     */
    public PreparedImage prepare(String name, BufferedImage image) {
        return prepare(name, ImageDecoder.fromImage(Path.of(safeName(name)), image));
    }

    private PreparedImage prepare(String name, RgbImage rgb) {
        return new PreparedImage(name, inputSize(), pipeline.apply(rgb, new SplittableRandom(0)).pixels());
    }

    private static String safeName(String name) {
        return name == null || name.isEmpty() || name.indexOf('\0') >= 0 ? "image" : name;
    }

    // ---- predicting -------------------------------------------------------------------------------------------

    /**
     * The {@code k} most probable classes of an image file, most probable first.
     *
     * @param image a JPEG, PNG, BMP or GIF file
     * @param k     how many classes (at most the number of classes)
     * @return the top {@code k} predictions
     * @throws BadInputException if the file cannot be read as an image
     */
    public List<Prediction> predict(Path image, int k) {
        return predictBatch(List.of(prepare(image)), k).get(0);
    }

    /**
     * The {@code k} most probable classes of a decoded image.
     *
     * @param image the image
     * @param k     how many classes
     * @return the top {@code k} predictions
     */
    public List<Prediction> predict(BufferedImage image, int k) {
        return predictBatch(List.of(prepare("image", image)), k).get(0);
    }

    /**
     * The top {@code k} classes of many image files, decoded in parallel and run through the network in batches
     * of {@value #DEFAULT_BATCH_SIZE}. A file that cannot be read gets an error in its result; the others are
     * still predicted.
     *
     * @param images image files
     * @param k      how many classes per image
     * @return one result per file, in the order given
     */
    public List<FilePrediction> predictAll(List<Path> images, int k) { return predictAll(images, k, DEFAULT_BATCH_SIZE); }

    /**
     * {@link #predictAll(List, int)} with another batch size.
     *
     * @param images    image files
     * @param k         how many classes per image
     * @param batchSize images per forward pass, at least 1
     * @return one result per file, in the order given
     */
    public List<FilePrediction> predictAll(List<Path> images, int k, int batchSize) {
        checkTop(k);
        List<FilePrediction> out = new ArrayList<>(images.size());
        forEachBatch(images, batchSize, (files, prepared, errors) -> {
            List<PreparedImage> ok = prepared.stream().filter(p -> p != null).toList();
            List<List<Prediction>> tops = ok.isEmpty() ? List.of() : predictBatch(ok, k);
            int next = 0;
            for (int i = 0; i < files.size(); i++) {
                out.add(prepared.get(i) == null ? new FilePrediction(files.get(i), List.of(), errors[i])
                        : new FilePrediction(files.get(i), tops.get(next++), null));
            }
        });
        return out;
    }

    /**
     * Runs prepared images through the network as one batch.
     *
     * @param images images prepared by this classifier
     * @param k      how many classes per image
     * @return the top {@code k} predictions of each image, in the order given
     */
    public List<List<Prediction>> predictBatch(List<PreparedImage> images, int k) {
        checkTop(k);
        float[][] probs = probabilities(images);
        List<List<Prediction>> out = new ArrayList<>(probs.length);
        for (float[] p : probs) out.add(top(p, k));
        return out;
    }

    /**
     * The softmax probabilities of every class for each image, one batch.
     *
     * @param images images prepared by this classifier
     * @return {@code [image][class]} probabilities, classes as in {@link #labels()}
     */
    public float[][] probabilities(List<PreparedImage> images) {
        Tensor logits = run(images, true);
        int n = images.size(), outputs = logits.size() / Math.max(1, n), classes = outputs - dropped;
        float[][] out = new float[n][classes];
        for (int i = 0; i < n; i++) CrossEntropy.softmax(logits.data, i * outputs + dropped, classes, out[i], 0);
        Scratch.release(logits);
        return out;
    }

    // ---- embedding --------------------------------------------------------------------------------------------

    /**
     * The backbone's pooled features of an image file: the vector a new head is trained on, and a good
     * representation for search and clustering.
     *
     * @param image a JPEG, PNG, BMP or GIF file
     * @return {@link #embeddingSize()} floats
     * @throws BadInputException if the file cannot be read as an image
     */
    public float[] embed(Path image) {
        return embedBatch(List.of(prepare(image)))[0];
    }

    /**
     * The pooled features of a decoded image.
     *
     * @param image the image
     * @return {@link #embeddingSize()} floats
     */
    public float[] embed(BufferedImage image) {
        return embedBatch(List.of(prepare("image", image)))[0];
    }

    /**
     * The pooled features of many image files, decoded in parallel and run in batches; a file that cannot be
     * read gets an error in its result.
     *
     * @param images image files
     * @return one result per file, in the order given
     */
    public List<FileEmbedding> embedAll(List<Path> images) { return embedAll(images, DEFAULT_BATCH_SIZE); }

    /**
     * {@link #embedAll(List)} with another batch size.
     *
     * @param images    image files
     * @param batchSize images per forward pass, at least 1
     * @return one result per file, in the order given
     */
    public List<FileEmbedding> embedAll(List<Path> images, int batchSize) {
        List<FileEmbedding> out = new ArrayList<>(images.size());
        forEachBatch(images, batchSize, (files, prepared, errors) -> {
            List<PreparedImage> ok = prepared.stream().filter(p -> p != null).toList();
            float[][] e = ok.isEmpty() ? new float[0][] : embedBatch(ok);
            int next = 0;
            for (int i = 0; i < files.size(); i++) {
                out.add(prepared.get(i) == null ? new FileEmbedding(files.get(i), null, errors[i])
                        : new FileEmbedding(files.get(i), e[next++], null));
            }
        });
        return out;
    }

    /**
     * Runs prepared images through the backbone as one batch.
     *
     * @param images images prepared by this classifier
     * @return {@code [image][feature]}
     */
    public float[][] embedBatch(List<PreparedImage> images) {
        Tensor f = run(images, false);
        int d = f.size() / Math.max(1, images.size());
        float[][] out = new float[images.size()][];
        for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(f.data, i * d, (i + 1) * d);
        Scratch.release(f);
        return out;
    }

    // ---- evaluating -------------------------------------------------------------------------------------------

    /**
     * Accuracy, loss, confusion matrix and the misclassified files on a folder of class subfolders named as this
     * classifier's labels. Unreadable files are left out and listed in {@link Evaluation#skipped()}.
     *
     * @param folder a folder with one subfolder per class
     * @return the evaluation
     * @throws BadInputException if the folder's classes differ from {@link #labels()} or it holds no readable image
     */
    public Evaluation evaluate(Path folder) { return evaluate(folder, DEFAULT_BATCH_SIZE); }

    /**
     * {@link #evaluate(Path)} with another batch size.
     *
     * @param folder    a folder with one subfolder per class
     * @param batchSize images per forward pass, at least 1
     * @return the evaluation
     */
    public Evaluation evaluate(Path folder, int batchSize) {
        ImageFolder data = ImageFolder.open(folder);
        if (!data.classes().equals(labels)) {
            throw new BadInputException(folder, "classes " + data.classes() + " differ from the model's " + labels);
        }
        List<Path> files = data.samples().stream().map(s -> s.path()).toList();
        List<Path> read = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        List<dev.litenet.data.BadImage> skipped = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int[] index = {0};
        forEachBatch(files, batchSize, (batch, prepared, errors) -> {
            List<PreparedImage> ok = prepared.stream().filter(p -> p != null).toList();
            float[][] p = ok.isEmpty() ? new float[0][] : logits(ok);
            int next = 0;
            for (int i = 0; i < batch.size(); i++, index[0]++) {
                if (prepared.get(i) == null) {
                    skipped.add(new dev.litenet.data.BadImage(batch.get(i), errors[i]));
                    continue;
                }
                rows.add(p[next++]);
                read.add(batch.get(i));
                truth.add(data.samples().get(index[0]).label());
            }
        });
        if (rows.isEmpty()) throw new BadInputException(folder, "no readable image to evaluate");
        Tensor all = Tensor.zeros(rows.size(), labels.size());
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, all.data, i * labels.size(), labels.size());
        return Evaluation.of(labels, all, truth.stream().mapToInt(Integer::intValue).toArray(), read, skipped);
    }

    // ---- results ----------------------------------------------------------------------------------------------

    /**
     * The prediction for one file of {@link #predictAll}: its top classes, or why it could not be read.
     *
     * @param file  the image file
     * @param top   the top classes, empty when {@code error} is set
     * @param error null, or the problem with the file
     */
    public record FilePrediction(Path file, List<Prediction> top, String error) {
        /**
         * The top classes and no error.
         *
         * @return the top classes and no error
         */
        public boolean ok() { return error == null; }
    }

    /**
     * The embedding of one file of {@link #embedAll}, or why it could not be read.
     *
     * @param file      the image file
     * @param embedding the features, null when {@code error} is set
     * @param error     null, or the problem with the file
     */
    public record FileEmbedding(Path file, float[] embedding, String error) {
        /**
         * The embedding and no error.
         *
         * @return the embedding and no error
         */
        public boolean ok() { return error == null; }
    }

    // ---- internals --------------------------------------------------------------------------------------------

    private interface BatchBody { void accept(List<Path> files, List<PreparedImage> prepared, String[] errors); }

    /** Prepares files in parallel, a batch at a time, and hands each batch over (null where a file was bad). */
    private void forEachBatch(List<Path> images, int batchSize, BatchBody body) {
        if (batchSize < 1) throw new BadInputException("batch size must be at least 1, got " + batchSize);
        for (int from = 0; from < images.size(); from += batchSize) {
            List<Path> files = images.subList(from, Math.min(images.size(), from + batchSize));
            String[] errors = new String[files.size()];
            PreparedImage[] prepared = new PreparedImage[files.size()];
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    prepared[i] = prepare(files.get(i));
                } catch (BadInputException e) {
                    errors[i] = e.getMessage();
                }
            });
            body.accept(files, Arrays.asList(prepared), errors);
        }
    }

    /** Raw logits over {@link #labels()}, one row per image. */
    private float[][] logits(List<PreparedImage> images) {
        Tensor logits = run(images, true);
        int n = images.size(), outputs = logits.size() / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(logits.data, i * outputs + dropped, (i + 1) * outputs);
        Scratch.release(logits);
        return out;
    }

    /**
     * (N, S, S, 3) through the backbone (and the head), one batch at a time across callers: a {@link Scratch} tensor
     * of this thread's, which the caller gives back once it has copied the answers out (every activation and the
     * input batch come from there too, so a steady stream of batches allocates only their answers).
     */
    private Tensor run(List<PreparedImage> images, boolean withHead) {
        if (withHead && model.headless()) {
            throw new BadInputException(origin() + " is an embedding extractor, without a classifier: train a head on it "
                    + "(litenet train --weights ..., TransferLearning.from) or use its embeddings");
        }
        if (images.isEmpty()) throw new IllegalArgumentException("no images");
        int s = inputSize(), per = s * s * 3;
        Tensor x = Scratch.uninitialized(images.size(), s, s, 3);
        for (int i = 0; i < images.size(); i++) {
            PreparedImage p = images.get(i);
            if (p.size() != s) {
                Scratch.release(x);
                throw new IllegalArgumentException(p.name() + ": prepared at " + p.size() + ", this classifier takes " + s);
            }
            System.arraycopy(p.pixels(), 0, x.data, i * per, per);
        }
        network.lock();
        try {
            Tensor f = Inference.forward(backbone, x);
            if (preprocess.flipAverage()) {                       // test-time flip: the mean of both views' features
                Tensor m = dev.litenet.train.Features.mirrored(x, Scratch.like(x));
                Tensor g = Inference.forward(backbone, m);
                for (int i = 0; i < f.data.length; i++) f.data[i] = 0.5f * (f.data[i] + g.data[i]);
                Scratch.release(g);
                Scratch.release(m);
            }
            if (!withHead) return f;
            Tensor logits = head.forward(f);
            Scratch.release(f);
            return logits;
        } finally {
            network.unlock();
            Scratch.release(x);
        }
    }

    // the k most probable classes, most probable first, ties to the lower index (a selection, no sort of boxed indices)
    private List<Prediction> top(float[] p, int k) {
        int n = Math.min(k, p.length);
        int[] best = new int[n];
        int found = 0;
        for (int c = 0; c < p.length; c++) {
            if (found == n && !before(p, c, best[n - 1])) continue;
            int at = Math.min(found, n - 1);
            while (at > 0 && before(p, c, best[at - 1])) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = c;
            if (found < n) found++;
        }
        List<Prediction> out = new ArrayList<>(n);
        for (int c : best) out.add(new Prediction(c, labels.get(c), p[c]));
        return out;
    }

    // whether class a ranks before class b: more probable (NaN last), or as probable and a lower index
    private static boolean before(float[] p, int a, int b) {
        int order = Float.compare(-p[a], -p[b]);
        return order < 0 || order == 0 && a < b;
    }

    private static void checkTop(int k) {
        if (k < 1) throw new BadInputException("top-k must be at least 1, got " + k);
    }

    @Override public String toString() {
        return "ImageClassifier[" + architecture() + ", " + origin() + ", " + labels.size() + " classes, input " + inputSize() + "]";
    }
}
