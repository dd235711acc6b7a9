package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.data.Preprocess;
import dev.litenet.io.Budget;
import dev.litenet.io.StateDicts;
import dev.litenet.io.TfliteFile;
import dev.litenet.io.TfliteModel;
import dev.litenet.tensor.TorchTensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pretrained weights read into a {@link Model}: the network of the architecture the weights are for, the
 * preprocessing their input expects, their class labels and where they came from. TFLite files give Google's
 * 1001 classes (index 0 = "background") and TF SAME padding; torchvision {@code .pth} and safetensors files give
 * torchvision's 1000 classes and preprocessing. The architecture is the known checkpoint's, the one asked for, or
 * recognized from the file's keys and shapes.
 */
public final class Pretrained {
    private Pretrained() {}

    /** Reads a {@code .tflite}, {@code .pth} or {@code .safetensors} file, recognizing its architecture. */
    public static Model load(Path file) { return load(file, null); }

    /**
     * Reads a weights file into a model in eval mode.
     *
     * @param architecture the {@link Architectures} name the weights are for, or null to take the known
     *                     checkpoint's or recognize it from the file
     * @throws BadInputException if the file is unreadable, or not weights of that (or any known) architecture
     */
    public static Model load(Path file, String architecture) {
        if (file.getFileSystem() != FileSystems.getDefault()) {      // a zip or jar file system, an in-memory one
            if (!Files.isRegularFile(file)) throw new BadInputException(file, "no such weights file");
            try (InputStream in = Files.newInputStream(file)) {
                return load(in, file.getFileName().toString(), architecture);
            } catch (IOException e) {
                throw new BadInputException(file, "cannot read: " + e.getMessage(), e);
            }
        }
        try {
            return read(file, architecture);
        } catch (OutOfMemoryError e) {
            throw Budget.whileReading(file, e);
        }
    }

    /**
     * Reads weights from a stream (a file on another file system, a class path resource, a URL's body): copied to a
     * temp file of at most {@link Budget#WEIGHTS_FILE_BYTES}, read as {@link #load(Path, String)} reads files, then
     * deleted. The format is told by the name's extension when it has {@code .tflite}, else by the first bytes.
     *
     * @param in           the stream, read to its end and not closed
     * @param name         the file name the weights go by (their origin in the model), without folders
     * @param architecture as in {@link #load(Path, String)}
     * @throws BadInputException if the stream cannot be read, is larger than the limit, or is not weights
     */
    public static Model load(InputStream in, String name, String architecture) {
        String fileName = tempName(name);
        Path dir = null, file = null;
        try {
            dir = Files.createTempDirectory("litenet-weights-");
            file = dir.resolve(fileName);
            long copied;
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                copied = 0;
                for (int n; (n = in.read(buf)) != -1; ) {
                    copied += n;
                    if (copied > Budget.WEIGHTS_FILE_BYTES) {
                        throw new BadInputException(fileName + ": larger than " + Budget.WEIGHTS_FILE_BYTES + " bytes, the limit for a weights file");
                    }
                    out.write(buf, 0, n);
                }
            }
            if (!fileName.endsWith(".tflite") && isTflite(file)) {
                Path renamed = dir.resolve(fileName + ".tflite");
                Files.move(file, renamed);
                file = renamed;
            }
            return load(file, architecture);
        } catch (IOException e) {
            throw new BadInputException(fileName + ": cannot read: " + e.getMessage());
        } finally {
            try {
                if (file != null) Files.deleteIfExists(file);
                if (dir != null) Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a temp file left behind is harmless; the answer (or the first failure) is what matters
            }
        }
    }

    /** The last segment of a name, with only letters, digits, '.', '-' and '_' (others become '_'). */
    private static String tempName(String name) {
        String base = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isEmpty() || base.startsWith(".") || base.length() > 200 ? "weights" + (base.length() > 200 ? "" : base) : base;
    }

    /** A TFLite flatbuffer carries the identifier "TFL3" at bytes 4 to 7. */
    private static boolean isTflite(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            return head.length == 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3';
        }
    }

    private static Model read(Path file, String architecture) {
        if (!Files.exists(file)) throw new BadInputException(file, "no such weights file");
        Budget.regularFile(file);
        if (architecture != null) Architectures.get(architecture);          // an unknown name fails before any work
        String sha = sha256(file);
        boolean tflite = file.getFileName().toString().endsWith(".tflite");
        if (tflite && !FileHashes.known(sha) && TfliteFile.metadata(file, TfliteLiteNet.METADATA) != null) {
            Model exported = TfliteLiteNet.read(TfliteFile.read(file));          // a file LiteNet exported: its own labels and preprocessing
            if (architecture != null && !architecture.equals(exported.architecture())) {
                throw new BadInputException(file, "is a LiteNet export of " + exported.architecture() + ", not " + architecture);
            }
            return new Model(exported.network(), exported.labels(), exported.preprocess(), exported.origin(), sha, List.of());
        }
        PreparedWeights.Prepared prepared = PreparedWeights.read(PreparedWeights.defaultDir(), sha);
        if (prepared != null && architecture != null && !prepared.network().config().architecture().equals(architecture)) prepared = null;
        if (prepared == null) {
            prepared = tflite ? importTflite(file, architecture) : importTorch(file, sha, architecture);
            if (FileHashes.known(sha)) PreparedWeights.write(PreparedWeights.defaultDir(), sha, prepared);   // a bounded few
        }
        int classes = prepared.headless() ? 0 : prepared.network().numClasses();
        List<String> labels;
        if (tflite) {
            List<String> own = TfliteMobileNetV2.labels(file);
            labels = own.size() == classes ? own : classes == 1001 ? withBackground(imagenetLabels()) : List.of();
        } else {
            labels = classes == 1000 ? imagenetLabels() : List.of();
        }
        return new Model(prepared.network(), labels, prepared.preprocess(), file.getFileName().toString(), sha, List.of(),
                prepared.headless());
    }

    /** Google's MobileNet files: V1 is a plain stack of convs, V2 has residual additions. */
    private static PreparedWeights.Prepared importTflite(Path file, String architecture) {
        TfliteModel graph = TfliteFile.read(file);
        TfliteImport imported = TfliteMobileNetV1.recognizes(graph) ? TfliteMobileNetV1.toStateDict(graph) : TfliteMobileNetV2.toStateDict(graph);
        if (architecture != null && !architecture.equals(imported.architecture())) {
            throw new BadInputException(file, "is a TFLite " + imported.architecture() + ", not " + architecture);
        }
        return new PreparedWeights.Prepared(imported.network(), imported.preprocessing(), !imported.hasClassifier());
    }

    private static PreparedWeights.Prepared importTorch(Path file, String sha, String architecture) {
        Map<String, TorchTensor> state = StateDicts.read(file);
        WeightsInfo known = KnownWeights.bySha256(sha).orElse(null);
        Network net;
        if (known != null && architecture == null) {
            net = Architectures.get(known.architecture()).build(known.numClasses(), known.widthMult(), 0);
        } else {
            net = Architecture.build(Architectures.recognize(state, architecture, file.toString()));
        }
        StateDict.load(net, state, file.toString());
        net.train(false);
        // a known checkpoint brings its own preprocessing (IMAGENET1K_V2 is evaluated after a resize to 232)
        return new PreparedWeights.Prepared(net, known != null ? known.preprocessing() : Preprocess.TORCHVISION_IMAGENET, false);
    }

    /** torchvision's names of the 1000 ImageNet classes, in index order. */
    public static List<String> imagenetLabels() { return ImageNetLabels.ALL; }

    private static List<String> withBackground(List<String> labels) {
        List<String> out = new ArrayList<>(labels.size() + 1);
        out.add("background");
        out.addAll(labels);
        return List.copyOf(out);
    }

    /** Read once, on first use. */
    private static final class ImageNetLabels {
        static final List<String> ALL = read();

        private static List<String> read() {
            try (var in = Pretrained.class.getResourceAsStream("imagenet_classes.txt")) {
                if (in == null) throw new IllegalStateException("imagenet_classes.txt missing from the library");
                List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                if (lines.size() != 1000) throw new IllegalStateException("imagenet_classes.txt has " + lines.size() + " lines, not 1000");
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The file's sha256 in hex; an unreadable file is bad input. */
    public static String sha256(Path file) {
        try {
            return WeightsCache.sha256Hex(file);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + e.getMessage());
        }
    }
}
