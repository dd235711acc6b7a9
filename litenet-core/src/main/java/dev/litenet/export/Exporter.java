package dev.litenet.export;

import dev.litenet.BadInputException;
import dev.litenet.data.Normalize;
import dev.litenet.data.Preprocess;
import dev.litenet.export.Int8Plan.Params;
import dev.litenet.io.Json;
import dev.litenet.models.Model;
import dev.litenet.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Model} as an ONNX or TFLite file: lowers it to a {@link Graph}, calibrates int8 ranges when asked,
 * writes the bytes with the format's writer and the model's description (architecture, labels, preprocessing, LiteNet's
 * version) as the format's metadata, then moves the file into place, so a failed export never leaves a half-written
 * file behind. The one entry point of this package; {@code ImageClassifier.export} and {@code litenet export} call it.
 */
public final class Exporter {
    private Exporter() {}

    /** The formats LiteNet writes. */
    public enum Format {
        ONNX(".onnx"), TFLITE(".tflite");

        public final String extension;

        Format(String extension) { this.extension = extension; }
    }

    /** The name of LiteNet's own metadata entry in a TFLite file (JSON: architecture, preprocessing, folding). */
    public static final String LITENET_METADATA = "litenet";
    /** The Task Library's metadata entry. */
    public static final String TFLITE_METADATA = "TFLITE_METADATA";

    /**
     * What was written.
     *
     * @param file   the file
     * @param format its format
     * @param int8   whether it is full-integer
     * @param bytes  its size
     * @param graph  the graph it holds
     * @param notes  what a user of the file needs to know (test-time flip, resize filters the runtime lacks)
     */
    public record Result(Path file, Format format, boolean int8, long bytes, Graph graph, List<String> notes) {}

    /**
     * Writes the model.
     *
     * @param calibration int8 only: calibration images prepared by the model's preprocessing (S·S·3 floats each); null
     *                    for a float file
     * @param bothViews   for a model trained with test-time flip: both views in the graph (else one view and a note)
     * @param version     LiteNet's version, recorded in the file
     * @throws BadInputException if the combination is not supported (int8 ONNX; a layer without an export)
     */
    public static Result export(Model model, Path out, Format format, List<float[]> calibration, boolean bothViews, String version) {
        boolean int8 = calibration != null;
        if (int8 && format == Format.ONNX) {
            throw new BadInputException("int8 quantization is for TFLite files; ONNX export is float32 (quantize the ONNX file with ONNX Runtime's tools if needed)");
        }
        if (int8 && calibration.isEmpty()) throw new BadInputException("int8 quantization needs calibration images; none were given");
        Preprocess p = model.preprocess();
        boolean flip = p.flipAverage() && bothViews;
        List<String> notes = new ArrayList<>();
        if (p.flipAverage()) {
            notes.add(flip ? "test-time flip: both views in the graph (the image and its mirror, their embeddings averaged), as litenet predict does"
                    : "trained with test-time flip, exported with one view: average the outputs for the image and its mirror to get litenet predict's answers");
        }
        InputQuantization iq = int8 ? InputQuantization.of(p.normalize()) : null;
        Graph graph = Lowering.lower(model, flip, iq == null ? null : iq.affine());
        Map<String, String> meta = description(model, flip, version);
        byte[] bytes;
        if (format == Format.ONNX) {
            bytes = OnnxWriter.write(graph, model.architecture(), docString(model), version, meta);
        } else {
            Int8Plan plan = null;
            if (int8) {
                List<Tensor> inputs = new ArrayList<>();
                int s = p.outputSize();
                for (float[] img : calibration) inputs.add(new Tensor(iq.realInput(img, p.normalize()), 1, s, s, 3));
                plan = Int8Plan.calibrate(graph, iq.params(), inputs);
                notes.add("int8: " + calibration.size() + " calibration images; input uint8 pixels (scale " + iq.params().scale()
                        + ", zero point " + iq.params().zeroPoint() + "), outputs uint8");
            }
            bytes = tflite(model, graph, plan, meta, version);
        }
        write(out, bytes);
        return new Result(out, format, int8, bytes.length, graph, List.copyOf(notes));
    }

    /**
     * The uint8 input of an int8 file: {@code real = scale · (pixel − zeroPoint)}. When the preprocessing normalizes
     * every channel alike with a whole-number offset that is exactly it; otherwise (torchvision's per-channel mean and
     * std) the input carries the average and an affine per channel in the graph makes up the rest.
     */
    record InputQuantization(Params params, float[][] affine) {
        static InputQuantization of(Normalize n) {
            float[] off = n.offset(), sc = n.scale();
            boolean uniform = off[0] == off[1] && off[1] == off[2] && sc[0] == sc[1] && sc[1] == sc[2];
            if (uniform && off[0] == Math.rint(off[0]) && off[0] >= 0 && off[0] <= 255) {
                return new InputQuantization(new Params(1f / sc[0], (int) off[0]), null);
            }
            int z = (int) Math.max(0, Math.min(255, Math.round((off[0] + off[1] + off[2]) / 3.0)));
            float s = (float) (3.0 / (sc[0] + sc[1] + sc[2]));
            float[] a = new float[3], b = new float[3];
            for (int c = 0; c < 3; c++) {                // x_c = (p − off_c)/sc_c with p = r/s + z
                a[c] = (float) (1.0 / (s * (double) sc[c]));
                b[c] = (float) ((z - (double) off[c]) / sc[c]);
            }
            return new InputQuantization(new Params(s, z), new float[][] {a, b});
        }

        /** A prepared (normalized) image as the reals of the uint8 input: {@code s · (p − z)} with p the pixel. */
        float[] realInput(float[] normalized, Normalize n) {
            float[] off = n.offset(), sc = n.scale(), out = new float[normalized.length];
            for (int i = 0; i < out.length; i++) {
                int c = i % 3;
                float pixel = Math.max(0, Math.min(255, Math.round(normalized[i] * sc[c] + off[c])));
                out[i] = params.scale() * (pixel - params.zeroPoint());
            }
            return out;
        }
    }

    // ---- TFLite -------------------------------------------------------------------------------------------------

    private static byte[] tflite(Model model, Graph graph, Int8Plan plan, Map<String, String> meta, String version) {
        Preprocess p = model.preprocess();
        Normalize n = p.normalize();
        int s = p.outputSize();
        float[] mean = n.offset(), std = n.scale(), min = new float[3], max = new float[3];
        for (int c = 0; c < 3; c++) {
            min[c] = plan == null ? (0 - mean[c]) / std[c] : 0;
            max[c] = plan == null ? (255 - mean[c]) / std[c] : 255;
        }
        List<String> names = graph.outputs().stream().map(Graph.Value::name).toList();
        TfliteMetadata.Spec spec = new TfliteMetadata.Spec(model.architecture() + " image classifier",
                "Classifies a photo into " + labels(model).size() + " classes (" + summary(labels(model)) + "). Exported by LiteNet "
                        + version + " from " + model.origin() + ". Preprocessing: " + meta.get("preprocessing") + ".",
                version, "LiteNet", "", s, mean, std, min, max, names,
                List.of("Scores before the softmax, one per class.", "Probability of each class (softmax of the logits)."),
                java.util.Arrays.asList(null, new float[] {0f, 1f}));
        Map<String, byte[]> metadata = new LinkedHashMap<>();
        metadata.put(TFLITE_METADATA, TfliteMetadata.metadata(spec));
        Map<String, Object> json = new LinkedHashMap<>(meta);
        json.put("folded_batch_norm", folded(graph));
        metadata.put(LITENET_METADATA, Json.write(json).getBytes(StandardCharsets.UTF_8));
        byte[] flatbuffer = TfliteWriter.write(graph, plan, "LiteNet " + version + " " + model.architecture(), metadata);
        byte[] labelFile = (String.join("\n", labels(model)) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] zip = TfliteMetadata.zip(flatbuffer.length, List.of(TfliteMetadata.LABELS_FILE), List.of(labelFile));
        byte[] all = new byte[flatbuffer.length + zip.length];
        System.arraycopy(flatbuffer, 0, all, 0, flatbuffer.length);
        System.arraycopy(zip, 0, all, flatbuffer.length, zip.length);
        return all;
    }

    /** Each conv with a BatchNorm folded in: its path and the BatchNorm's, for reading the file back. */
    private static Map<String, Object> folded(Graph graph) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Graph.Op op : graph.ops()) {
            if (op instanceof Graph.Conv c && c.origin().batchNorm() != null) out.put(c.name(), c.origin().batchNorm());
        }
        return out;
    }

    // ---- what the file says about itself ------------------------------------------------------------------------

    /** The labels the exported outputs have: the model's, without Google's "background". */
    static List<String> labels(Model model) {
        List<String> l = model.labels();
        if (l.isEmpty()) {
            List<String> numbered = new ArrayList<>();
            for (int i = 0; i < model.network().numClasses(); i++) numbered.add("class " + i);
            return numbered;
        }
        return !l.isEmpty() && l.getFirst().equals("background") ? l.subList(1, l.size()) : l;
    }

    private static String summary(List<String> labels) {
        return labels.size() <= 4 ? String.join(", ", labels) : String.join(", ", labels.subList(0, 3)) + ", ...";
    }

    private static String docString(Model model) {
        return model.architecture() + " exported by LiteNet from " + model.origin()
                + ": input 'image' [batch, 3, S, S] float32 NCHW, already preprocessed (see metadata 'preprocessing'); outputs 'logits' and 'probabilities' [batch, classes]";
    }

    /** The model as key/value metadata: ONNX's {@code metadata_props}, and the JSON of a TFLite file's {@code litenet} entry. */
    static Map<String, String> description(Model model, boolean bothViews, String version) {
        Preprocess p = model.preprocess();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("litenet_version", version);
        m.put("architecture", model.architecture());
        m.put("width_multiplier", Float.toString(model.network().config().widthMult()));
        m.put("padding", model.network().padding().name().toLowerCase(Locale.ROOT));
        m.put("labels", Json.write(labels(model)));
        m.put("input_size", Integer.toString(p.outputSize()));
        m.put("input_layout", "image: RGB; ONNX NCHW [batch, 3, S, S], TFLite NHWC [1, S, S, 3]");
        m.put("preprocessing", describe(p));
        m.put("normalization", "(pixel - offset) / scale per RGB channel, pixels 0..255");
        m.put("offset", Json.write(floats(p.normalize().offset())));
        m.put("scale", Json.write(floats(p.normalize().scale())));
        m.put("preprocess", Json.write(p.toJson()));
        m.put("test_time_flip", !p.flipAverage() ? "no"
                : bothViews ? "both views in the graph: the image and its mirror, their embeddings averaged"
                : "one view: average the outputs for the image and its mirror to get LiteNet's predictions");
        m.put("outputs", "logits: scores before the softmax; probabilities: their softmax");
        m.put("origin", model.origin());
        if (!model.sha256().isEmpty()) m.put("origin_sha256", model.sha256());
        return m;
    }

    /** The preprocessing in words: crop, resize and filter, crop, normalization. */
    static String describe(Preprocess p) {
        StringBuilder s = new StringBuilder();
        if (p.centralFraction() < 1) s.append(String.format(Locale.ROOT, "central crop %.4g of the image, ", p.centralFraction()));
        var r = p.resize();
        s.append(r.shorterSide() > 0 ? "resize the shorter side to " + r.shorterSide() : "resize to " + r.height() + "x" + r.width());
        s.append(" (").append(r.interpolation().name().toLowerCase(Locale.ROOT)).append(")");
        if (p.cropSize() > 0) s.append(", center crop ").append(p.cropSize()).append("x").append(p.cropSize());
        float[] off = p.normalize().offset(), sc = p.normalize().scale();
        s.append(String.format(Locale.ROOT, ", then (pixel - [%.4g, %.4g, %.4g]) / [%.4g, %.4g, %.4g]", off[0], off[1], off[2], sc[0], sc[1], sc[2]));
        if (p.flipAverage()) s.append("; trained with test-time flip");
        return s.toString();
    }

    private static List<Object> floats(float[] v) {
        List<Object> out = new ArrayList<>();
        for (float f : v) out.add((double) f);
        return out;
    }

    // ---- the file -------------------------------------------------------------------------------------------------

    /** Writes a temporary file beside {@code out}, then moves it into place (atomically where the file system can). */
    private static void write(Path out, byte[] bytes) {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".part");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the directory is gone
                }
            }
        }
    }
}
