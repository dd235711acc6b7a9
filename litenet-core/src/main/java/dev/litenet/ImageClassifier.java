package dev.litenet;

import dev.litenet.data.BadImage;
import dev.litenet.data.ImageDecoder;
import dev.litenet.data.ImageFolder;
import dev.litenet.data.Pipeline;
import dev.litenet.data.Preprocess;
import dev.litenet.data.RgbImage;
import dev.litenet.explain.GradCam;
import dev.litenet.export.Exporter;
import dev.litenet.io.Budget;
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
import dev.litenet.train.FeatureCache;
import dev.litenet.train.Features;
import dev.litenet.train.Trainer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

/**
 * An image classifier: a network of the zoo (MobileNetV2 by default; see {@code litenet compare} and
 * <a href="https://github.com/litenet/litenet/blob/main/docs/ZOO.md">docs/ZOO.md</a> for the others) with its preprocessing and class labels, ready to predict.
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
 * <p><b>Why.</b> {@link #explain} shows what the network looked at: a Grad-CAM heatmap of the predicted class (or
 * any other) at the last convolutional block (or any other), drawn over the photo ({@link Explanation}).
 *
 * <p><b>Threads.</b> An {@code ImageClassifier} is safe to share: any number of threads may call its methods at
 * once. Decoding and preprocessing run on the calling threads; the network itself runs one batch at a time and
 * spreads each batch over LiteNet's worker threads ({@link LiteNet#setThreads}).
 *
 * <p><b>Errors.</b> An unreadable image or weights file is a {@link BadInputException} naming the file and the
 * problem. The batch methods that take many files report such files one by one in their results instead. Every
 * other misuse with bad data is a {@link BadInputException} too: {@code k} outside 1 to the number of classes, an
 * empty batch or one of more than {@value #MAX_BATCH_SIZE} images, a null element in a list, a prepared image of
 * another size ({@link PreparedImage} checks its own). A null argument itself (a null list, path or image) is a
 * {@link NullPointerException} whose message names the parameter.
 */
public final class ImageClassifier {
    /** Images per forward pass in the methods that take many files. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** The most images one call runs through the network at once ({@link #predictBatch}, a batch size). */
    public static final int MAX_BATCH_SIZE = 4096;

    private final Model model;
    private final List<String> labels;
    private final int dropped;               // 1 when output 0 is TFLite's "background"
    private final Preprocess preprocess;
    private final Pipeline pipeline;
    private final Layer backbone, head;
    private final ReentrantLock network;                   // shared with the classifiers made by withPreprocess: one network
    private final Map<Integer, GradCam> explainers = new LinkedHashMap<>(4, 0.75f, true) {   // by unit, the last few used
        @Override protected boolean removeEldestEntry(Map.Entry<Integer, GradCam> eldest) { return size() > 3; }
    };

    ImageClassifier(Model model) { this(model, new ReentrantLock()); }

    private ImageClassifier(Model model, ReentrantLock network) {
        this.model = model;
        this.network = network;
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
     * shapes. A name is looked up in the cache ({@code $LITENET_CACHE}, default {@code ~/.cache/litenet}), then on
     * the class path (the artifact {@code dev.litenet:litenet-weights-mobilenet} holds Google's MobileNet files: with
     * it, no network is needed), then in {@code $LITENET_SHARED/weights}, else downloaded from its published address;
     * each is checked against its sha256.
     *
     * @param nameOrFile a known weights name or a path to a weights file
     * @return the classifier, with ImageNet labels
     * @throws BadInputException           if the name is unknown, or the file is unreadable or not weights of an
     *                                     architecture LiteNet knows (or fits several: then name one with
     *                                     {@link #pretrained(String, String)})
     * @throws WeightsUnavailableException if the weights had to be downloaded and the download failed
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
     * Pretrained weights from a file ({@code .tflite}, {@code .pth} or {@code .safetensors}) on any file system: the
     * default one, or a zip or jar opened with {@link java.nio.file.FileSystems#newFileSystem(Path)} (then copied to a
     * temp file first).
     *
     * @param weightsFile the file
     * @return the classifier, with ImageNet labels
     * @throws BadInputException if the file is unreadable or not weights of an architecture LiteNet knows
     */
    public static ImageClassifier pretrained(Path weightsFile) { return new ImageClassifier(Pretrained.load(weightsFile)); }

    /**
     * Pretrained weights read from a stream, such as a resource of the application's own jar
     * ({@code getClass().getResourceAsStream("/model.tflite")}). The stream is read to its end (at most 1 GiB) into a
     * temp file, which is deleted after reading; the format is told by its first bytes. The stream is not closed.
     *
     * @param weights the stream of a {@code .tflite}, {@code .pth} or {@code .safetensors} file
     * @return the classifier, with ImageNet labels
     * @throws BadInputException if the stream cannot be read, is larger than 1 GiB, or is not weights LiteNet knows
     */
    public static ImageClassifier pretrained(InputStream weights) {
        Objects.requireNonNull(weights, "weights");
        return new ImageClassifier(Pretrained.load(weights, "weights", null));
    }

    /**
     * Pretrained weights from a URL: {@code file:}, {@code jar:} (a class path resource) or {@code http(s):} (30 s to
     * connect, 60 s of silence at most while reading, at most 1 GiB). Nothing is cached: for a known name,
     * {@link #pretrained(String)} caches and verifies the download.
     *
     * @param weights the URL of a {@code .tflite}, {@code .pth} or {@code .safetensors} file
     * @return the classifier, with ImageNet labels
     * @throws WeightsUnavailableException if an {@code http(s)} URL cannot be fetched (no connection, an HTTP error)
     * @throws BadInputException           if the body is larger than 1 GiB or not weights LiteNet knows, or a local
     *                                     URL does not exist
     */
    public static ImageClassifier pretrained(URL weights) {
        Objects.requireNonNull(weights, "weights");
        String path = weights.getPath() == null ? "" : weights.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        boolean remote = weights.getProtocol().startsWith("http");
        InputStream in;
        try {
            URLConnection connection = weights.openConnection();
            connection.setConnectTimeout(30_000);
            connection.setReadTimeout(60_000);
            long length = connection.getContentLengthLong();
            in = connection.getInputStream();
            if (length > Budget.WEIGHTS_FILE_BYTES) {
                in.close();
                throw new BadInputException(weights + ": " + length + " bytes, more than the 1 GiB limit for a weights file");
            }
        } catch (IOException e) {
            if (remote) throw new WeightsUnavailableException("cannot fetch " + weights + ": " + e, e);
            throw new BadInputException(weights + ": cannot read: " + e.getMessage());
        }
        try (in) {
            return new ImageClassifier(Pretrained.load(in, name, null));
        } catch (IOException e) {
            throw new BadInputException(weights + ": cannot read: " + e.getMessage());
        }
    }

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
        return new ImageClassifier(model.withPreprocess(Objects.requireNonNull(preprocess, "preprocess")), network);
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

    // ---- exporting --------------------------------------------------------------------------------------------

    /**
     * Writes this classifier as an ONNX or TFLite file, float32, in the format its name ends in ({@code .onnx},
     * {@code .tflite}): see {@link #export(Path, ExportOptions)}.
     *
     * @param file the file to write
     * @return what was written
     * @throws BadInputException if the name ends in neither, or the model cannot be exported
     */
    public Exporter.Result export(Path file) { return export(file, ExportOptions.forFile(file)); }

    /**
     * Writes this classifier so that other runtimes run it: ONNX (ONNX Runtime in Python, C++, C#, the browser) or
     * TFLite (LiteRT on Android, iOS, microcontrollers and the web), float32 or, for TFLite, full-integer int8. The file
     * takes the preprocessed image (ONNX NCHW {@code [batch, 3, S, S]}, TFLite NHWC {@code [1, S, S, 3]}; an int8 file
     * takes the uint8 pixels) and gives {@code logits} and {@code probabilities}; BatchNorm is folded into the convs;
     * the architecture, labels, preprocessing and LiteNet's version are in the file's metadata (ONNX
     * {@code metadata_props}; TFLite metadata with the labels file, which Android's Task Library reads). A model trained
     * with test-time flip runs both views in the file unless {@link ExportOptions#oneView()}. The file is written beside
     * its destination and moved into place: a failed export leaves nothing behind.
     *
     * @param file    the file to write (replaced if it exists)
     * @param options format, int8 calibration, test-time flip
     * @return what was written, with notes for the file's user
     * @throws BadInputException if the combination is not supported (int8 ONNX, a model without a classifier) or the
     *                           calibration folder holds no readable photo
     */
    public Exporter.Result export(Path file, ExportOptions options) {
        Objects.requireNonNull(options, "options");
        List<float[]> calibration = null;
        if (options.isInt8()) {
            if (options.format() != Exporter.Format.TFLITE) {
                throw new BadInputException("int8 quantization is for TFLite files; ONNX export is float32");
            }
            calibration = calibrationImages(options.calibration(), options.calibrationImages());
        }
        return Exporter.export(model, file, options.format(), calibration, options.bothViews(), LiteNet.VERSION);
    }

    /** Up to {@code count} photos of a folder (searched recursively), spread over it by a fixed seed, prepared. */
    private List<float[]> calibrationImages(Path folder, int count) {
        if (!java.nio.file.Files.isDirectory(folder)) throw new BadInputException(folder, "no such folder of calibration photos");
        List<Path> files;
        try (var walk = java.nio.file.Files.walk(folder)) {
            files = new ArrayList<>(walk.filter(java.nio.file.Files::isRegularFile)
                    .filter(f -> ImageFolder.isImageName(f.getFileName().toString())).sorted().toList());
        } catch (IOException e) {
            throw new BadInputException(folder, "cannot list calibration photos: " + e.getMessage());
        }
        java.util.Collections.shuffle(files, new java.util.Random(0));
        List<float[]> out = new ArrayList<>();
        for (int from = 0; from < files.size() && out.size() < count; from += DEFAULT_BATCH_SIZE) {
            List<Path> batch = files.subList(from, Math.min(files.size(), from + DEFAULT_BATCH_SIZE));
            PreparedImage[] prepared = new PreparedImage[batch.size()];
            IntStream.range(0, batch.size()).parallel().forEach(i -> {
                try {
                    prepared[i] = prepare(batch.get(i));
                } catch (BadInputException e) {
                    prepared[i] = null;                            // an unreadable photo does not calibrate
                }
            });
            for (PreparedImage p : prepared) if (p != null && out.size() < count) out.add(p.pixels());
        }
        if (out.isEmpty()) throw new BadInputException(folder, "no readable photo (" + String.join(", ", ImageFolder.EXTENSIONS) + ") to calibrate int8 ranges on");
        return out;
    }

    // ---- preparing images -------------------------------------------------------------------------------------

    /**
     * Decodes and preprocesses an image file.
     *
     * @param image a JPEG, PNG, BMP or GIF file
     * @return the prepared image
     * @throws BadInputException if the file cannot be read as an image, or not in the memory there is
     */
    public PreparedImage prepare(Path image) {
        Objects.requireNonNull(image, "image");
        try {
            return ImageDecoder.decode(image, rgb -> prepare(image.toString(), rgb));
        } catch (BadInputException e) {
            throw ImageDecoder.naming(image, e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(image, "not enough memory to decode and preprocess this image (Java heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB; raise it with -Xmx, for the litenet command in LITENET_JAVA_OPTS)");
        }
    }

    /**
     * Decodes and preprocesses an encoded image held in memory (an upload, a row of a table).
     *
     * @param name  what to call the image in errors (null: "image")
     * @param bytes the encoded JPEG, PNG, BMP or GIF
     * @return the prepared image
     * @throws BadInputException if the bytes are not a readable image
     * @throws NullPointerException if {@code bytes} is null
     */
    public PreparedImage prepare(String name, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Path named = Path.of(safeName(name));
        try {
            return ImageDecoder.decode(named, bytes, rgb -> prepare(named.toString(), rgb));
        } catch (BadInputException e) {
            throw ImageDecoder.naming(named, e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(named, "not enough memory to decode and preprocess this image (Java heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)");
        }
    }

    /**
     * Preprocesses a decoded image.
     *
     * @param name  what to call the image in errors (null: "image")
     * @param image the image (alpha is dropped, grayscale becomes RGB)
     * @return the prepared image
     * @throws BadInputException if the image is over the pixel budget
     * @throws NullPointerException if {@code image} is null
     */
    public PreparedImage prepare(String name, BufferedImage image) {
        Objects.requireNonNull(image, "image");
        Path named = Path.of(safeName(name));
        try {
            return prepare(named.toString(), ImageDecoder.fromImage(named, image));
        } catch (BadInputException e) {
            throw ImageDecoder.naming(named, e);
        }
    }

    private PreparedImage prepare(String name, RgbImage rgb) {
        return new PreparedImage(name, inputSize(), pipeline.apply(rgb, new SplittableRandom(0)).pixels());
    }

    private static String safeName(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) return "image";
        try {
            Path.of(name);
            return name;
        } catch (java.nio.file.InvalidPathException e) {
            return BadInputException.printable(name).replace('\0', '?');
        }
    }

    // ---- predicting -------------------------------------------------------------------------------------------

    /**
     * The {@code k} most probable classes of an image file, most probable first.
     *
     * @param image a JPEG, PNG, BMP or GIF file
     * @param k     how many classes, 1 to the number of classes
     * @return the top {@code k} predictions
     * @throws BadInputException if the file cannot be read as an image
     */
    public List<Prediction> predict(Path image, int k) {
        checkTop(k);
        return predictBatch(List.of(prepare(image)), k).get(0);
    }

    /**
     * The {@code k} most probable classes of a decoded image.
     *
     * @param image the image
     * @param k     how many classes, 1 to the number of classes
     * @return the top {@code k} predictions
     */
    public List<Prediction> predict(BufferedImage image, int k) {
        checkTop(k);
        return predictBatch(List.of(prepare("image", image)), k).get(0);
    }

    /**
     * The top {@code k} classes of many image files, decoded in parallel and run through the network in batches
     * of {@value #DEFAULT_BATCH_SIZE}. A file that cannot be read gets an error in its result; the others are
     * still predicted.
     *
     * @param images image files
     * @param k      how many classes per image, 1 to the number of classes
     * @return one result per file, in the order given
     */
    public List<FilePrediction> predictAll(List<Path> images, int k) { return predictAll(images, k, DEFAULT_BATCH_SIZE); }

    /**
     * {@link #predictAll(List, int)} with another batch size.
     *
     * @param images    image files
     * @param k         how many classes per image
     * @param batchSize images per forward pass, 1 to {@value #MAX_BATCH_SIZE}
     * @return one result per file, in the order given
     */
    public List<FilePrediction> predictAll(List<Path> images, int k, int batchSize) {
        checkFiles(images);
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
     * @param k      how many classes per image, 1 to the number of classes
     * @return the top {@code k} predictions of each image, in the order given
     */
    public List<List<Prediction>> predictBatch(List<PreparedImage> images, int k) {
        checkTop(k);
        checkBatch(images);
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

    /**
     * The raw scores (logits) of every class for each image, one batch: what {@link #probabilities} turns into
     * probabilities with a softmax, for calibration, ensembling or another threshold.
     *
     * @param images images prepared by this classifier
     * @return {@code [image][class]} logits, classes as in {@link #labels()}
     */
    public float[][] logits(List<PreparedImage> images) {
        checkBatch(images);
        Tensor logits = run(images, true);
        int n = images.size(), outputs = logits.size() / Math.max(1, n);
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(logits.data, i * outputs + dropped, i * outputs + outputs);
        Scratch.release(logits);
        return out;
    }

    // ---- asynchronous, batched ---------------------------------------------------------------------------------

    /**
     * Asynchronous prediction with dynamic batching, for many threads asking one image each: up to
     * {@value AsyncClassifier#DEFAULT_MAX_BATCH} images per forward pass, the oldest waiting at most 5 ms for
     * others, {@value AsyncClassifier#DEFAULT_CAPACITY} queued at most. Close it when done.
     *
     * @return a new asynchronous front of this classifier, with its own worker threads
     */
    public AsyncClassifier async() {
        return async(AsyncClassifier.DEFAULT_MAX_BATCH, AsyncClassifier.DEFAULT_MAX_DELAY, AsyncClassifier.DEFAULT_CAPACITY);
    }

    /**
     * {@link #async()} with other limits.
     *
     * @param maxBatch most images per forward pass, 1 to {@value #MAX_BATCH_SIZE}
     * @param maxDelay how long the oldest queued image waits for others, 0 to 10 s
     * @param capacity most images queued before further ones are refused
     * @return a new asynchronous front of this classifier, with its own worker threads
     * @throws BadInputException if a limit is out of range
     */
    public AsyncClassifier async(int maxBatch, java.time.Duration maxDelay, int capacity) {
        return new AsyncClassifier(this, maxBatch, maxDelay, capacity);
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
     * @param batchSize images per forward pass, 1 to {@value #MAX_BATCH_SIZE}
     * @return one result per file, in the order given
     */
    public List<FileEmbedding> embedAll(List<Path> images, int batchSize) {
        checkFiles(images);
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

    // ---- explaining -------------------------------------------------------------------------------------------

    /**
     * Why the classifier predicts what it does for an image file: a Grad-CAM heatmap (Selvaraju et al. 2017) of the
     * predicted class at the last convolutional block, with the class, its probability and the photo as the
     * network saw it ({@link Explanation#overlay()} draws them together).
     *
     * @param image a JPEG, PNG, BMP or GIF file
     * @return the explanation
     * @throws BadInputException if the file cannot be read as an image
     */
    public Explanation explain(Path image) { return explain(prepare(image), Explanation.PREDICTED, null); }

    /**
     * A Grad-CAM heatmap of a chosen class for an image file: where the image speaks for that class, whether or not
     * it is the one predicted ("why not cat?").
     *
     * @param image      a JPEG, PNG, BMP or GIF file
     * @param classIndex the class, an index into {@link #labels()} ({@link #classIndex(String)} finds it by label)
     * @return the explanation
     * @throws BadInputException if the file cannot be read as an image or the class is not one of the model's
     */
    public Explanation explain(Path image, int classIndex) { return explain(prepare(image), checkClass(classIndex), null); }

    /**
     * {@link #explain(Path)} for a decoded image.
     *
     * @param image the image
     * @return the explanation
     */
    public Explanation explain(BufferedImage image) { return explain(prepare("image", image), Explanation.PREDICTED, null); }

    /**
     * {@link #explain(Path, int)} for a decoded image.
     *
     * @param image      the image
     * @param classIndex the class, an index into {@link #labels()}
     * @return the explanation
     * @throws BadInputException if the class is not one of the model's
     */
    public Explanation explain(BufferedImage image, int classIndex) { return explain(prepare("image", image), checkClass(classIndex), null); }

    /**
     * A Grad-CAM heatmap of a class at a layer, for a prepared image. One forward pass to the layer on the folded
     * network, then the rest of the network forward and backward from the class's logit (see
     * {@link GradCam}); it takes the network's lock like any other pass.
     *
     * <p>A classifier trained with test-time flip ({@link Preprocess#flipAverage()}) predicts from the mean of the
     * image and its mirror; the heatmap is of the image as given (the plain view), while the probabilities, and so
     * the predicted class, are the classifier's own, the same as {@link #predict} gives.
     *
     * @param image      an image prepared by this classifier
     * @param classIndex an index into {@link #labels()}, or {@link Explanation#PREDICTED} for the most probable class
     * @param layer      a layer's torch-style name ({@link #explainLayers()}: a unit such as {@code features.14}, or a
     *                   stage such as {@code layer3}, meaning its last unit), or null for the last convolutional block
     * @return the explanation
     * @throws BadInputException if the class or the layer is not one of the model's, or the model is an embedding
     *                           extractor without a classifier
     */
    public Explanation explain(PreparedImage image, int classIndex, String layer) {
        requireHead();
        if (classIndex != Explanation.PREDICTED) checkClass(classIndex);
        checkBatch(List.of(Objects.requireNonNull(image, "image")));
        int s = inputSize();
        Network net = model.network();
        int unit = GradCam.unitIndex(net, layer);
        Tensor x = new Tensor(image.pixels().clone(), 1, s, s, 3);
        network.lock();
        try {
            float[] own = preprocess.flipAverage() ? probabilities(List.of(image))[0] : null;   // both views, as predict
            GradCam cam = explainers.computeIfAbsent(unit, u -> GradCam.of(net, net.units().get(u).name()));
            float[][] probs = new float[1][];
            int[] chosen = new int[1];
            GradCam.Result r = cam.run(x, logits -> {
                probs[0] = own != null ? own : softmax(logits, dropped);
                chosen[0] = classIndex == Explanation.PREDICTED ? Evaluation.argmax(probs[0], 0, probs[0].length) : classIndex;
                return chosen[0] + dropped;
            });
            float[] p = probs[0];
            int top = Evaluation.argmax(p, 0, p.length), c = chosen[0];
            return new Explanation(image.name(), new Prediction(c, labels.get(c), p[c]), new Prediction(top, labels.get(top), p[top]),
                    cam.layer(), r.heatmaps().getFirst(), view(image));
        } finally {
            network.unlock();
        }
    }

    /**
     * The layers {@link #explain(PreparedImage, int, String)} can be asked for: the trunk's units in forward order
     * ({@code features.0} ... {@code features.18}), then its stages ({@code features}, meaning its last unit).
     *
     * @return torch-style names
     */
    public List<String> explainLayers() { return GradCam.layers(model.network()); }

    /**
     * The unit a layer name means, checked: for commands that check their arguments before any work.
     *
     * @param layer a layer name, or null for the default (the last convolutional block)
     * @return the unit's torch-style name ({@code features.18} for MobileNetV2's default)
     * @throws BadInputException if the network has no such layer, naming the ones it has
     */
    public String explainLayer(String layer) {
        return model.network().units().get(GradCam.unitIndex(model.network(), layer)).name();
    }

    /**
     * A class by its label: the whole label ({@code tabby, tabby cat}, case ignored), one of the comma-separated
     * names of an ImageNet label when only one label has it ({@code tabby}), or an index ({@code 281}).
     *
     * @param labelOrIndex what a person typed
     * @return an index into {@link #labels()}
     * @throws BadInputException if no class (or more than one) has that name
     */
    public int classIndex(String labelOrIndex) {
        String name = labelOrIndex == null ? "" : labelOrIndex.strip();
        for (int i = 0; i < labels.size(); i++) if (labels.get(i).equals(name)) return i;
        for (int i = 0; i < labels.size(); i++) if (labels.get(i).equalsIgnoreCase(name)) return i;
        if (name.matches("[0-9]{1,9}") && Integer.parseInt(name) < labels.size()) return Integer.parseInt(name);
        List<Integer> named = IntStream.range(0, labels.size()).filter(i -> Arrays.stream(labels.get(i).split(","))
                .anyMatch(part -> part.strip().equalsIgnoreCase(name))).boxed().toList();
        if (named.size() == 1) return named.getFirst();
        if (named.size() > 1) {
            throw new BadInputException("class '" + name + "' is ambiguous: " + named.stream().map(i -> i + " '" + labels.get(i) + "'")
                    .collect(java.util.stream.Collectors.joining(", ")) + "; give the whole label or the index");
        }
        throw new BadInputException("no class '" + name + "' in this model; " + (labels.size() <= 20 ? "its classes are " + String.join(", ", labels)
                : "it has " + labels.size() + " classes: give a label as 'litenet predict' prints it, or an index 0 to " + (labels.size() - 1)));
    }

    private int checkClass(int classIndex) {
        if (classIndex < 0 || classIndex >= labels.size()) {
            throw new BadInputException("class index " + classIndex + " is out of range: the model has " + labels.size() + " classes (0 to "
                    + (labels.size() - 1) + ")");
        }
        return classIndex;
    }

    /** Softmax over the outputs that are classes (TFLite's "background" left out), in double. */
    private static float[] softmax(float[] logits, int dropped) {
        int k = logits.length - dropped;
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int i = 0; i < k; i++) max = Math.max(max, logits[dropped + i]);
        double[] e = new double[k];
        for (int i = 0; i < k; i++) sum += e[i] = Math.exp(logits[dropped + i] - max);
        float[] p = new float[k];
        for (int i = 0; i < k; i++) p[i] = (float) (e[i] / sum);
        return p;
    }

    /** A prepared image as the network saw it: normalization undone, 0..255 RGB. (S,S,3) floats -> S×S picture. */
    private BufferedImage view(PreparedImage image) {
        float[] offset = preprocess.normalize().offset(), scale = preprocess.normalize().scale(), px = image.pixels();
        int s = image.size();
        BufferedImage out = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    float v = px[(y * s + x) * 3 + c] * scale[c] + offset[c];
                    rgb = rgb << 8 | (int) Math.clamp(Math.round(v), 0, 255);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    // ---- evaluating -------------------------------------------------------------------------------------------

    /**
     * Accuracy, loss, confusion matrix and the misclassified files on a folder of class subfolders named as this
     * classifier's labels. Unreadable files are left out and listed in {@link Evaluation#skipped()}. Backbone
     * features come from the feature cache that training uses ({@code $LITENET_CACHE/features}, default
     * {@code ~/.cache/litenet/features}) when they can: see {@link #evaluate(Path, int, Path)}.
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
     * @param batchSize images per forward pass, 1 to {@value #MAX_BATCH_SIZE}
     * @return the evaluation
     */
    public Evaluation evaluate(Path folder, int batchSize) { return evaluate(folder, batchSize, Locations.features()); }

    /**
     * {@link #evaluate(Path, int)} with the backbone features taken from (and added to) a feature cache folder, as
     * {@link TransferLearning#featureCache} keeps it: then only the head runs on photos training has seen. The cache
     * is used only when it holds this network's own features: the backbone is the pretrained weights it names,
     * unchanged ({@link Model#backboneUnchanged()}: pretrained weights, or a run trained with the backbone frozen;
     * never a fine-tuned run, nor a run folder saved before LiteNet recorded this), and the preprocessing is the one
     * the features were computed with (both views' features when it averages each image with its mirror). The
     * evaluation is then the same, bit for bit, as without the cache. A cache file that cannot be read whole is
     * ignored and rebuilt.
     *
     * @param folder       a folder with one subfolder per class
     * @param batchSize    images per forward pass, 1 to {@value #MAX_BATCH_SIZE}
     * @param featureCache where backbone features are cached, or null for no cache
     * @return the evaluation
     * @throws BadInputException if the folder's classes differ from {@link #labels()} or it holds no readable image
     */
    public Evaluation evaluate(Path folder, int batchSize, Path featureCache) {
        Objects.requireNonNull(folder, "folder");
        ImageFolder data = ImageFolder.open(folder);
        if (!data.classes().equals(labels)) {
            throw new BadInputException(folder, "classes " + data.classes() + " differ from the model's " + labels);
        }
        List<FeatureCache> caches = featureCaches(featureCache);
        List<Path> files = data.samples().stream().map(s -> s.path()).toList();
        List<Path> read = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        List<BadImage> skipped = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int[] index = {0};
        ScoredBatch collect = (batch, logits, errors) -> {
            for (int i = 0; i < batch.size(); i++, index[0]++) {
                if (logits[i] == null) {
                    skipped.add(new BadImage(batch.get(i), errors[i]));
                    continue;
                }
                rows.add(logits[i]);
                read.add(batch.get(i));
                truth.add(data.samples().get(index[0]).label());
            }
        };
        if (caches.isEmpty()) {
            forEachBatch(files, batchSize, (batch, prepared, errors) -> {
                List<PreparedImage> ok = prepared.stream().filter(p -> p != null).toList();
                collect.accept(batch, spread(ok.isEmpty() ? new float[0][] : logits(ok), prepared), errors);
            });
        } else {
            forEachCachedBatch(files, batchSize, caches, (batch, features, errors) -> {
                List<float[]> ok = Arrays.stream(features).filter(f -> f != null).toList();
                collect.accept(batch, spread(ok.isEmpty() ? new float[0][] : headLogits(ok), Arrays.asList(features)), errors);
            });
            for (FeatureCache cache : caches) {
                try {
                    cache.save();
                } catch (IOException | RuntimeException e) {        // best effort: the next evaluation computes them again
                    System.getLogger("dev.litenet").log(System.Logger.Level.DEBUG, "feature cache not saved: " + cache.file() + ": " + e);
                }
            }
        }
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
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) throw new BadInputException("batch size must be 1 to " + MAX_BATCH_SIZE + ", got " + batchSize);
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

    /**
     * The feature caches that hold this network's own backbone features for {@code dir}: the plain view's and, with
     * test-time flip, the mirrors' (keyed as training keys them); none when the backbone may differ from the
     * weights its checksum names, or without a folder or a head.
     */
    private List<FeatureCache> featureCaches(Path dir) {
        if (dir == null || !model.backboneUnchanged() || model.sha256().isEmpty() || model.headless()) return List.of();
        return Trainer.View.caches(dir, model, preprocess, preprocess.flipAverage());
    }

    private interface ScoredBatch { void accept(List<Path> files, float[][] logits, String[] errors); }

    /** The rows of the inputs that were there, put back in place: {@code [file]} rows, null where {@code inputs} was. */
    private static float[][] spread(float[][] rows, List<?> inputs) {
        float[][] out = new float[inputs.size()][];
        for (int i = 0, next = 0; i < out.length; i++) if (inputs.get(i) != null) out[i] = rows[next++];
        return out;
    }

    private interface FeatureBody { void accept(List<Path> files, float[][] features, String[] errors); }

    /**
     * {@link #forEachBatch} with backbone features: each file's from {@code caches} (one per view) when every view
     * has it, else prepared and run through the backbone, and then cached. Hands over each batch's head inputs
     * (N, dim), the views averaged as {@link #run} averages them (null where a file was bad).
     */
    private void forEachCachedBatch(List<Path> images, int batchSize, List<FeatureCache> caches, FeatureBody body) {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) throw new BadInputException("batch size must be 1 to " + MAX_BATCH_SIZE + ", got " + batchSize);
        int views = caches.size();
        for (int from = 0; from < images.size(); from += batchSize) {
            List<Path> files = images.subList(from, Math.min(images.size(), from + batchSize));
            int n = files.size();
            String[] sha = new String[n], errors = new String[n];
            float[][][] found = new float[views][n][];
            PreparedImage[] prepared = new PreparedImage[n];
            IntStream.range(0, n).parallel().forEach(i -> {
                try {
                    sha[i] = Pretrained.sha256(files.get(i));
                } catch (BadInputException e) {
                    sha[i] = null;                                      // unreadable: prepare says why
                }
                boolean all = sha[i] != null;
                for (int v = 0; v < views && all; v++) {
                    found[v][i] = caches.get(v).get(sha[i]);           // only read while the batch is prepared
                    all = found[v][i] != null;
                }
                if (all) return;
                try {
                    prepared[i] = prepare(files.get(i));
                } catch (BadInputException e) {
                    errors[i] = e.getMessage();
                }
            });
            List<Integer> todo = IntStream.range(0, n).filter(i -> prepared[i] != null).boxed().toList();
            if (!todo.isEmpty()) {
                float[][][] computed = backboneViews(todo.stream().map(i -> prepared[i]).toList(), views);
                for (int t = 0; t < todo.size(); t++) {
                    int i = todo.get(t);
                    for (int v = 0; v < views; v++) {
                        found[v][i] = computed[v][t];
                        if (sha[i] != null) caches.get(v).put(sha[i], computed[v][t]);
                    }
                }
            }
            float[][] features = new float[n][];
            for (int i = 0; i < n; i++) {
                if (errors[i] != null) continue;
                float[] f = found[0][i].clone();
                if (views == 2) {                                       // as run(): the mean of both views' features
                    float[] g = found[1][i];
                    for (int j = 0; j < f.length; j++) f[j] = 0.5f * (f[j] + g[j]);
                }
                features[i] = f;
            }
            body.accept(files, features, errors);
        }
    }

    /**
     * Prepared images through the backbone, each view apart: {@code [view][image]} features, view 1 (when asked
     * for) the mirrored images'. (N, S, S, 3) -> views × (N, dim)
     */
    private float[][][] backboneViews(List<PreparedImage> images, int views) {
        checkBatch(images);
        int s = inputSize(), per = s * s * 3, n = images.size();
        Tensor x = Scratch.uninitialized(n, s, s, 3);
        for (int i = 0; i < n; i++) System.arraycopy(images.get(i).pixels(), 0, x.data, i * per, per);
        float[][][] out = new float[views][n][];
        network.lock();
        try {
            for (int v = 0; v < views; v++) {
                Tensor m = v == 0 ? x : Features.mirrored(x, Scratch.like(x));
                Tensor f = Inference.forward(backbone, m);
                int dim = f.size() / n;
                for (int i = 0; i < n; i++) out[v][i] = Arrays.copyOfRange(f.data, i * dim, (i + 1) * dim);
                Scratch.release(f);
                if (m != x) Scratch.release(m);
            }
        } finally {
            network.unlock();
            Scratch.release(x);
        }
        return out;
    }

    /** Head inputs (N, dim) through the head: {@code [image][class]} logits, classes as in {@link #labels()}. */
    private float[][] headLogits(List<float[]> features) {
        requireHead();
        int n = features.size(), dim = features.getFirst().length;
        Tensor f = Tensor.zeros(n, dim);
        for (int i = 0; i < n; i++) System.arraycopy(features.get(i), 0, f.data, i * dim, dim);
        Tensor logits;
        network.lock();
        try {
            logits = head.forward(f);
        } finally {
            network.unlock();
        }
        int outputs = logits.size() / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(logits.data, i * outputs + dropped, i * outputs + outputs);
        Scratch.release(logits);
        return out;
    }

    /** Predicting and explaining need a classifier: an embedding extractor's head is a placeholder. */
    private void requireHead() {
        if (model.headless()) {
            throw new BadInputException(origin() + " is an embedding extractor, without a classifier: train a head on it "
                    + "(litenet train --weights ..., TransferLearning.from) or use its embeddings");
        }
    }

    /**
     * (N, S, S, 3) through the backbone (and the head), one batch at a time across callers: a {@link Scratch} tensor
     * of this thread's, which the caller gives back once it has copied the answers out (every activation and the
     * input batch come from there too, so a steady stream of batches allocates only their answers).
     */
    private Tensor run(List<PreparedImage> images, boolean withHead) {
        if (withHead) requireHead();
        checkBatch(images);
        int s = inputSize(), per = s * s * 3;
        Tensor x = Scratch.uninitialized(images.size(), s, s, 3);
        for (int i = 0; i < images.size(); i++) System.arraycopy(images.get(i).pixels(), 0, x.data, i * per, per);
        network.lock();
        try {
            Tensor f = Inference.forward(backbone, x);
            if (preprocess.flipAverage()) {                       // test-time flip: the mean of both views' features
                Tensor m = Features.mirrored(x, Scratch.like(x));
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

    void checkTop(int k) {
        if (k < 1 || k > labels.size()) {
            throw new BadInputException("top-k must be 1 to " + labels.size() + " (the classes of this model), got " + k);
        }
    }

    /** A batch this classifier can run: 1 to MAX_BATCH_SIZE images, none null, each prepared at its input size. */
    private void checkBatch(List<PreparedImage> images) {
        Objects.requireNonNull(images, "images");
        if (images.isEmpty()) throw new BadInputException("an empty batch: give at least one prepared image");
        if (images.size() > MAX_BATCH_SIZE) {
            throw new BadInputException("a batch of " + images.size() + " images is over the most of " + MAX_BATCH_SIZE + "; split it");
        }
        int s = inputSize();
        if ((long) images.size() * s * s * 3 > Integer.MAX_VALUE - 8) {
            throw new BadInputException("a batch of " + images.size() + " images of " + s + "x" + s + " does not fit one array; split it");
        }
        for (int i = 0; i < images.size(); i++) {
            PreparedImage p = images.get(i);
            if (p == null) throw new BadInputException("images[" + i + "] is null");
            if (p.size() != s) {
                throw new BadInputException(BadInputException.printable(p.name()) + ": prepared at " + p.size() + ", this classifier takes " + s
                        + " (prepare it with this classifier)");
            }
        }
    }

    /** A list of files: not null, no null element. */
    private static void checkFiles(List<Path> images) {
        Objects.requireNonNull(images, "images");
        for (int i = 0; i < images.size(); i++) if (images.get(i) == null) throw new BadInputException("images[" + i + "] is null");
    }

    @Override public String toString() {
        return "ImageClassifier[" + architecture() + ", " + origin() + ", " + labels.size() + " classes, input " + inputSize() + "]";
    }
}
