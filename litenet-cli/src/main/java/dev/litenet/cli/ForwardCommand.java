package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.nn.Inference;
import dev.litenet.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code litenet forward}: raw float32 in, raw float32 logits out — for checking LiteNet against other frameworks. */
@Command(name = "forward", mixinStandardHelpOptions = true,
        header = "Raw float32 tensor in, logits out (for checking against other frameworks).",
        description = "Runs a model's network in eval mode on a raw little-endian float32 tensor, already preprocessed, and "
                + "writes the logits (N, classes) the same way: any model LiteNet loads, checked against any runtime. "
                + "The network alone: no preprocessing, no test-time flip, and TFLite's 'background' output kept.")
public final class ForwardCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(names = "--input", paramLabel = "<FILE>", required = true, description = "Little-endian float32 input tensor.")
    Path input;

    @Option(names = "--shape", paramLabel = "<N,C,H,W>", required = true, split = ",", description = "N,C,H,W (C = 3).")
    int[] shape;

    @Option(names = "--layout", paramLabel = "<LAYOUT>", defaultValue = "nchw", description = "nchw (PyTorch) or nhwc (default: ${DEFAULT-VALUE}).")
    Layout layout;

    @Option(names = "--output", paramLabel = "<FILE>", required = true, description = "Where to write the logits (float32, little-endian).")
    Path output;

    @Mixin ThreadsOption threads;

    enum Layout { nchw, nhwc }

    @Override public Integer call() throws IOException {
        threads.apply();
        Args.outputFile("--output", output);
        if (shape.length != 4 || shape[1] != 3 || shape[0] < 1 || shape[2] < 1 || shape[3] < 1) {
            throw new BadInputException("--shape must be N,3,H,W with positive sizes");
        }
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        long count = (long) n * c * h * w;
        if (!Files.isRegularFile(input)) throw new BadInputException(input, "no such file");
        if (Files.size(input) != count * 4) {
            throw new BadInputException(input, Files.size(input) + " bytes, but shape " + n + "," + c + "," + h + "," + w + " needs " + count * 4);
        }
        float[] raw = new float[(int) count];
        ByteBuffer.wrap(Files.readAllBytes(input)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(raw);
        Tensor x = Tensor.zeros(n, h, w, c);
        if (layout == Layout.nhwc) {
            System.arraycopy(raw, 0, x.data, 0, raw.length);
        } else {
            for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int xx = 0; xx < w; xx++)
                x.data[((b * h + y) * w + xx) * c + ch] = raw[((b * c + ch) * h + y) * w + xx];
        }
        Tensor logits = Inference.forward(model.classifier(spec.commandLine().getErr()).network().fused(), x);
        ByteBuffer out = ByteBuffer.allocate(logits.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(logits.data);
        Files.write(output, out.array());
        return Main.OK;
    }
}
