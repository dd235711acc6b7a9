package dev.litenet;

import dev.litenet.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The torchvision-made reference tensors in {@code shared/fixtures/mobilenet_v2} (see its fixtures.json). */
public final class Fixtures {
    private Fixtures() {}

    public static Path dir() { return Shared.path("fixtures/mobilenet_v2"); }

    /** A raw little-endian float32 file. */
    public static float[] f32(String name) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir().resolve(name))).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixed input as NHWC (the file is NCHW 2×3×224×224). */
    public static Tensor inputNhwc() { return nchwToNhwc(f32("input_2x3x224x224.f32"), 2, 3, 224, 224); }

    public static Tensor nchwToNhwc(float[] v, int N, int C, int H, int W) {
        Tensor t = Tensor.zeros(N, H, W, C);
        for (int n = 0; n < N; n++) for (int c = 0; c < C; c++) for (int h = 0; h < H; h++) for (int w = 0; w < W; w++)
            t.data[((n * H + h) * W + w) * C + c] = v[((n * C + c) * H + h) * W + w];
        return t;
    }

    /** A number from fixtures.json, by key (the first occurrence). */
    public static double jsonNumber(String key) {
        try {
            String json = Files.readString(dir().resolve("fixtures.json"));
            Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
            if (!m.find()) throw new IllegalStateException("no " + key + " in fixtures.json");
            return Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** max |a - b| relative to max |b|. */
    public static double relMaxError(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " != " + b.length);
        double err = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return err / Math.max(scale, 1e-30);
    }
}
