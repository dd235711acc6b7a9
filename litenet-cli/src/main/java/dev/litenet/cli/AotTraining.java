package dev.litenet.cli;

import dev.litenet.data.Preprocess;
import dev.litenet.io.Locations;
import dev.litenet.models.KnownWeights;
import dev.litenet.models.MobileNetV2;
import dev.litenet.models.WeightsCache;
import dev.litenet.tensor.Padding;
import dev.litenet.models.Model;
import dev.litenet.models.RunFolder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the launcher's AOT cache (JEP 483, 514, 515): the launcher runs this class once per build of the
 * jar with {@code -XX:AOTCacheOutput} and the flags of a one-shot {@code predict}, and later one-shot predicts and
 * summaries start from the classes it loaded and linked and the profiles it gathered (docs/BENCHMARKS.md, "One-shot
 * predict"). The workload is those commands themselves: {@code predict} on a generated photo with a run folder of
 * random weights, and with {@value #WEIGHTS} when it is already on this machine (it is never downloaded here), then
 * {@code summary}. Nothing is printed; the exit code is 1 when a command failed, and the launcher then keeps no cache.
 */
final class AotTraining {
    static final String WEIGHTS = "mobilenet_v2_1.0_224_quant";

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("litenet-aot");
        boolean ok;
        try {
            ok = run(dir).stream().allMatch(code -> code == Main.OK);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        if (!ok) System.exit(Main.FAILURE);                 // no cache from a broken run
    }

    /** Runs the workload in this folder; returns the exit codes of the commands it ran (pretrained predict, if run, first). */
    static List<Integer> run(Path dir) throws IOException {
        Path photo = dir.resolve("photo.jpg");
        ImageIO.write(photo(), "jpg", photo.toFile());
        Path model = dir.resolve("run");
        MobileNetV2 random = new MobileNetV2(2).initialize(0);     // a run's network, as TransferLearning makes it
        random.setPadding(Padding.TF_SAME);                         // as the TFLite weights
        RunFolder.save(model, new Model(random, List.of("a", "b"), Preprocess.TFLITE_MOBILENET, "random initialization", "", List.of()));
        PrintWriter none = new PrintWriter(Writer.nullWriter());
        List<Integer> codes = new ArrayList<>();
        if (KnownWeights.find(WEIGHTS).flatMap(WeightsCache.standard(Locations.localWeights())::present).isPresent()) {
            codes.add(Main.run(none, none, "predict", "--weights", WEIGHTS, photo.toString()));
        }
        codes.add(Main.run(none, none, "predict", "--model", model.toString(), photo.toString()));
        codes.add(Main.run(none, none, "summary"));
        return codes;
    }

    /** A 500 x 375 photo-sized picture: smooth colour ramps with a disc, so JPEG decoding does real work. */
    static BufferedImage photo() {
        BufferedImage image = new BufferedImage(500, 375, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                boolean disc = (x - 250) * (x - 250) + (y - 190) * (y - 190) < 120 * 120;
                int r = disc ? 230 : x * 255 / 500, g = disc ? 140 : y * 255 / 375, b = (x + y) % 256;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }
}
