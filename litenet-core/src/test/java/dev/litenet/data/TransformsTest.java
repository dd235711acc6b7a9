package dev.litenet.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Transforms on small images whose outputs are worked out by hand in the comments. */
class TransformsTest {
    static final SplittableRandom RANDOM = new SplittableRandom(1);

    /** height x width image with pixel (y, x, c) = 100 y + 10 x + c + 1. */
    static FloatImage ramp(int height, int width) {
        float[] p = new float[height * width * 3];
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) for (int c = 0; c < 3; c++) p[(y * width + x) * 3 + c] = 100 * y + 10 * x + c + 1;
        return new FloatImage(height, width, p);
    }

    static FloatImage constant(int height, int width, float r, float g, float b) {
        float[] p = new float[height * width * 3];
        for (int i = 0; i < p.length; i += 3) {
            p[i] = r;
            p[i + 1] = g;
            p[i + 2] = b;
        }
        return new FloatImage(height, width, p);
    }

    @Test void downscaleByTwoAveragesWithTheWidenedTriangle() {
        // 4 -> 2: scale 2, support 2. Output 0: centre 1, sources 0..2, weights tri(-0.25, 0.25, 0.75) = .75 .75 .25 -> 3/7 3/7 1/7,
        // mean position 5/7. Output 1: centre 3, sources 1..3, weights .25 .75 .75 -> mean position (0.25 + 1.5 + 2.25) / 1.75 = 16/7.
        FloatImage out = Resize.to(2, 2).apply(ramp(4, 4), RANDOM);
        assertThat(out.height()).isEqualTo(2);
        assertThat(out.width()).isEqualTo(2);
        float[] position = {5f / 7, 16f / 7};
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                for (int c = 0; c < 3; c++) assertThat(out.at(y, x, c)).isCloseTo(100 * position[y] + 10 * position[x] + c + 1, within(1e-4f));
            }
        }
        assertThat(out.at(0, 0, 0)).isCloseTo(550f / 7 + 1, within(1e-4f));
    }

    @Test void upscaleByTwoIsBilinearWithHalfPixelCentres() {
        // 2 -> 4: centres 0.25, 0.75, 1.25, 1.75 -> positions 0, 0.25, 0.75, 1 (the edges clamp to the border pixel)
        FloatImage out = Resize.to(4, 4).apply(ramp(2, 2), RANDOM);
        float[] position = {0, 0.25f, 0.75f, 1};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) assertThat(out.at(y, x, 2)).isCloseTo(100 * position[y] + 10 * position[x] + 3, within(1e-4f));
        }
    }

    @Test void resizeShorterSideKeepsTheAspectRatioTruncated() {
        assertThat(size(Resize.shorterSide(2).apply(ramp(4, 6), RANDOM))).containsExactly(2, 3);
        assertThat(size(Resize.shorterSide(2).apply(ramp(6, 4), RANDOM))).containsExactly(3, 2);
        assertThat(size(Resize.shorterSide(2).apply(ramp(3, 5), RANDOM))).containsExactly(2, 3); // int(2 * 5 / 3) = 3
        assertThat(size(Resize.shorterSide(256).apply(constant(375, 500, 1, 2, 3), RANDOM))).containsExactly(256, 341);
    }

    @Test void centerCropTakesTheMiddleWithPythonRounding() {
        FloatImage out = new CenterCrop(2).apply(ramp(4, 4), RANDOM); // offset round(1.0) = 1
        assertThat(out.pixels()).containsExactly(111, 112, 113, 121, 122, 123, 211, 212, 213, 221, 222, 223);
        // offsets round(1.5) = 2 and round(2.5) = 2: half to even
        assertThat(new CenterCrop(1).apply(ramp(4, 4), RANDOM).pixels()).containsExactly(221, 222, 223);
        assertThat(new CenterCrop(1).apply(ramp(6, 6), RANDOM).pixels()).containsExactly(221, 222, 223);
    }

    @Test void centerCropLargerThanTheImagePadsWithZeros() {
        FloatImage out = new CenterCrop(4).apply(ramp(2, 2), RANDOM); // one zero row and column on each side
        assertThat(out.at(0, 0, 0)).isZero();
        assertThat(out.at(1, 1, 0)).isEqualTo(1);
        assertThat(out.at(2, 2, 1)).isEqualTo(112);
        assertThat(out.at(3, 3, 2)).isZero();
        assertThat(out.at(1, 3, 0)).isZero();
    }

    @Test void centralFractionFollowsTensorFlow() {
        FloatImage half = new CenterCropFraction(0.5).apply(ramp(4, 4), RANDOM); // start int((4 - 2) / 2) = 1, size 2
        assertThat(half.pixels()).containsExactly(111, 112, 113, 121, 122, 123, 211, 212, 213, 221, 222, 223);
        assertThat(size(new CenterCropFraction(0.875).apply(ramp(8, 8), RANDOM))).containsExactly(8, 8); // start int(0.5) = 0
        FloatImage out = new CenterCropFraction(0.875).apply(ramp(16, 16), RANDOM); // start int(1.0) = 1, size 14
        assertThat(size(out)).containsExactly(14, 14);
        assertThat(out.at(0, 0, 0)).isEqualTo(111);
    }

    @Test void horizontalFlipMirrorsColumns() {
        FloatImage in = ramp(4, 4), flipped = new HorizontalFlip(1).apply(in, RANDOM);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) for (int c = 0; c < 3; c++) assertThat(flipped.at(y, x, c)).isEqualTo(in.at(y, 3 - x, c));
        assertThat(flipped.at(0, 0, 0)).isEqualTo(31);
        assertThat(new HorizontalFlip(0).apply(in, RANDOM)).isSameAs(in);
        SplittableRandom random = new SplittableRandom(5);
        int flips = 0;
        for (int i = 0; i < 1000; i++) if (new HorizontalFlip(0.5).apply(in, random) != in) flips++;
        assertThat(flips).isBetween(430, 570);
    }

    @Test void normalizeInPixelUnits() {
        FloatImage in = new FloatImage(1, 2, new float[] {0, 128, 255, 255 * 0.485f, 255 * 0.456f, 255 * 0.406f});
        assertThat(Normalize.pixel(128, 128).apply(in, RANDOM).pixels()).containsExactly(-1, 0, 127f / 128, 255 * 0.485f / 128 - 1, 255 * 0.456f / 128 - 1, 255 * 0.406f / 128 - 1);
        float[] imagenet = Normalize.IMAGENET.apply(in, RANDOM).pixels();
        assertThat(imagenet[0]).isCloseTo(-0.485f / 0.229f, within(1e-5f));
        assertThat(imagenet[1]).isCloseTo((128 / 255f - 0.456f) / 0.224f, within(1e-5f));
        assertThat(imagenet[2]).isCloseTo((1 - 0.406f) / 0.225f, within(1e-5f));
        for (int c = 3; c < 6; c++) assertThat(imagenet[c]).isCloseTo(0, within(1e-6f));
    }

    @Test void presetsAreTheStepsTheirModelsExpect() {
        assertThat(Preprocess.TORCHVISION_IMAGENET.pipeline().steps()).containsExactly(Resize.shorterSide(256), new CenterCrop(224), Normalize.IMAGENET);
        assertThat(Preprocess.TFLITE_MOBILENET.pipeline().steps()).containsExactly(new CenterCropFraction(0.875),
                Resize.to(224, 224).with(Resize.Interpolation.TF_BILINEAR), Normalize.pixel(128, 128));
        assertThat(Normalize.IMAGENET.offset()[0]).isCloseTo(123.675f, within(1e-4f));
        assertThat(Normalize.IMAGENET.scale()[2]).isCloseTo(57.375f, within(1e-4f));
        assertThat(Preprocess.TFLITE_MOBILENET.augmented().steps()).containsExactly(RandomResizedCrop.of(224), new HorizontalFlip(0.5), Normalize.pixel(128, 128));
    }

    @Test void presetsTurnAConstantPhotoIntoNormalisedConstants() {
        FloatImage photo = constant(375, 500, 100, 150, 200);
        FloatImage torch = Preprocess.TORCHVISION_IMAGENET.pipeline().apply(photo, RANDOM);
        assertThat(size(torch)).containsExactly(224, 224);
        float[] mean = {0.485f, 0.456f, 0.406f}, std = {0.229f, 0.224f, 0.225f}, value = {100, 150, 200};
        for (int i = 0; i < torch.pixels().length; i++) assertThat(torch.pixels()[i]).isCloseTo((value[i % 3] / 255 - mean[i % 3]) / std[i % 3], within(1e-4f));
        FloatImage tflite = Preprocess.TFLITE_MOBILENET.pipeline().apply(photo, RANDOM);
        assertThat(size(tflite)).containsExactly(224, 224);
        for (int i = 0; i < tflite.pixels().length; i++) assertThat(tflite.pixels()[i]).isCloseTo((value[i % 3] - 128) / 128, within(1e-5f));
    }

    @Test void randomResizedCropRepeatsForASeed() {
        RandomResizedCrop crop = RandomResizedCrop.of(32);
        FloatImage photo = ramp(60, 80);
        List<RandomResizedCrop.Box> a = boxes(crop, new SplittableRandom(42)), b = boxes(crop, new SplittableRandom(42));
        assertThat(a).isEqualTo(b);
        assertThat(boxes(crop, new SplittableRandom(43))).isNotEqualTo(a);
        FloatImage first = crop.apply(photo, new SplittableRandom(9)), again = crop.apply(photo, new SplittableRandom(9));
        assertThat(size(first)).containsExactly(32, 32);
        assertThat(first.pixels()).containsExactly(again.pixels());
    }

    @Test void randomResizedCropStaysInsideTheImageWithinScaleAndRatio() {
        RandomResizedCrop crop = RandomResizedCrop.of(224);
        SplittableRandom random = new SplittableRandom(3);
        double meanScale = 0;
        for (int i = 0; i < 2000; i++) {
            RandomResizedCrop.Box box = crop.sample(375, 500, random);
            assertThat(box.top()).isBetween(0, 375 - box.height());
            assertThat(box.left()).isBetween(0, 500 - box.width());
            double scale = (double) box.height() * box.width() / (375 * 500);
            assertThat(scale).isBetween(0.075, 1.0);
            assertThat((double) box.width() / box.height()).isBetween(0.74, 1.35);
            meanScale += scale / 2000;
        }
        // A draw (s, r) fits a 4:3 image when s <= 0.75 r; the mean of s over the fitting part of
        // U(0.08, 1) x logU(3/4, 4/3), integrated numerically, is 0.4319 (standard error here about 0.005)
        assertThat(meanScale).isCloseTo(0.4319, within(0.02));
    }

    @Test void randomResizedCropFallsBackToTheCentreOfAnImpossiblyWideImage() {
        // 2 x 100: every draw needs a height of at least 3, so after 10 tries the ratio is clamped: h = 2,
        // w = round(2 * 4/3) = 3, top 0, left (100 - 3) / 2 = 48
        assertThat(RandomResizedCrop.of(8).sample(2, 100, new SplittableRandom(0))).isEqualTo(new RandomResizedCrop.Box(0, 48, 2, 3));
    }

    static List<RandomResizedCrop.Box> boxes(RandomResizedCrop crop, SplittableRandom random) {
        return java.util.stream.IntStream.range(0, 20).mapToObj(i -> crop.sample(60, 80, random)).toList();
    }

    static int[] size(FloatImage image) { return new int[] {image.height(), image.width()}; }

    /** TensorFlow's legacy bilinear: output i samples source i * in / out between its floor and the next pixel, the last one repeated. */
    @Test void tfBilinearSamplesWithoutHalfPixelCentresOrAntialiasing() {
        FloatImage in = ramp(1, 5);                                        // columns 1, 11, 21, 31, 41 (red)
        FloatImage half = Resize.resize(in, 1, 2, Resize.Interpolation.TF_BILINEAR);
        assertThat(half.pixels()[0]).isEqualTo(1f);                       // source 0
        assertThat(half.pixels()[3]).isCloseTo(26f, within(1e-5f));       // source 2.5: between 21 and 31
        FloatImage up = Resize.resize(in, 1, 10, Resize.Interpolation.TF_BILINEAR);
        assertThat(up.pixels()[3]).isCloseTo(6f, within(1e-5f));          // source 0.5
        assertThat(up.pixels()[9 * 3]).isEqualTo(41f);                     // source 4.5: the last pixel repeated
    }
}
