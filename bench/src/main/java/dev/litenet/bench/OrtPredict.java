package dev.litenet.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The ONNX Runtime peer of a one-shot {@code litenet predict}: a fresh JVM that opens an ONNX session (torchvision's
 * MobileNetV2 exported by torch, all graph optimizations), then for each photo decodes it with ImageIO, resizes the
 * shorter side to 256 (bilinear), crops the center 224, normalizes with ImageNet's mean and std into NCHW, runs it
 * and prints the top 5 class indices and probabilities. One photo at a time, as the PyTorch script does.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.litenet.bench.OrtPredict
 *     MODEL.onnx IMAGE_OR_FOLDER... [--threads T]</pre>
 */
public final class OrtPredict {
    private OrtPredict() {}

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f}, STD = {0.229f, 0.224f, 0.225f};

    public static void main(String[] argv) throws OrtException, IOException {
        int threads = 0;
        List<String> args = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--threads")) threads = Integer.parseInt(argv[++i]);
            else args.add(argv[i]);
        }
        List<Path> files = new ArrayList<>();
        for (String a : args.subList(1, args.size())) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(args.get(0), options)) {
                String input = session.getInputNames().iterator().next();
                for (Path file : files) {
                    float[] x = prepare(ImageIO.read(file.toFile()));
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 224, 224});
                         OrtSession.Result r = session.run(java.util.Map.of(input, t))) {
                        float[] logits = ((float[][]) r.get(0).getValue())[0];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (float v : logits) max = Math.max(max, v);
                        double[] p = new double[logits.length];
                        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
                        final double total = sum;
                        StringBuilder line = new StringBuilder(file.toString());
                        IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i])).limit(5)
                                .forEach(i -> line.append(String.format(" (%d, %.4f)", i, p[i] / total)));
                        System.out.println(line);
                    }
                }
            }
        }
    }

    /** Shorter side to 256 (bilinear), the center 224 x 224, normalized, NCHW. */
    static float[] prepare(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        double scale = 256.0 / Math.min(w, h);
        int sw = (int) Math.round(w * scale), sh = (int) Math.round(h * scale);
        BufferedImage scaled = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, sw, sh, null);
        g.dispose();
        int x0 = (sw - 224) / 2, y0 = (sh - 224) / 2, plane = 224 * 224;
        float[] x = new float[3 * plane];
        for (int y = 0; y < 224; y++) {
            for (int xx = 0; xx < 224; xx++) {
                int rgb = scaled.getRGB(x0 + xx, y0 + y);
                for (int c = 0; c < 3; c++) {
                    int v = (rgb >> (16 - 8 * c)) & 0xff;
                    x[c * plane + y * 224 + xx] = (v / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        return x;
    }
}
