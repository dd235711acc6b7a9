package dev.litenet.data;

import dev.litenet.io.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resize against PIL itself (tools/make_resize_fixture.py): a computed 40x30 image shrunk and enlarged with the
 * bilinear and bicubic filters. PIL works on 8-bit pixels, rounding after each pass; LiteNet keeps floats, so each
 * value may differ from PIL's by up to one level, and a little more where the cubic's negative lobes amplify the
 * first pass's rounding (the weights' absolute values sum to up to 1.25 when enlarging).
 */
class ResizePilTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() throws IOException {
        try (InputStream in = ResizePilTest.class.getResourceAsStream("/fixtures/resize_pil.json")) {
            return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))).get("cases");
        }
    }

    @ParameterizedTest(name = "{0}") @MethodSource("cases") @SuppressWarnings("unchecked")
    void agreesWithPilWithinOneLevel(Map<String, Object> c) {
        int w = 40, h = 30, outW = ((Number) c.get("width")).intValue(), outH = ((Number) c.get("height")).intValue();
        float[] p = new float[h * w * 3];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int ch = 0; ch < 3; ch++) p[(y * w + x) * 3 + ch] = (37 * x + 91 * y + 53 * ch + 7 * x * y) % 256;
        var filter = Resize.Interpolation.valueOf(((String) c.get("filter")).toUpperCase(Locale.ROOT));
        FloatImage out = Resize.resize(new FloatImage(h, w, p), outH, outW, filter);
        List<Object> pil = (List<Object>) c.get("rgb");
        assertThat(out.pixels()).hasSize(pil.size());
        double worst = 0;
        for (int i = 0; i < pil.size(); i++) worst = Math.max(worst, Math.abs(out.pixels()[i] - ((Number) pil.get(i)).doubleValue()));
        assertThat(worst).as(c.get("filter") + " to " + outW + "x" + outH).isLessThanOrEqualTo(filter == Resize.Interpolation.BICUBIC ? 1.25 : 1.0);
    }
}
