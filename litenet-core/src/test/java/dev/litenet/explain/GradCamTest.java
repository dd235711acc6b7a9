package dev.litenet.explain;

import dev.litenet.BadInputException;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Network;
import dev.litenet.nn.Parameter;
import dev.litenet.tensor.Pool;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Grad-CAM on every architecture of the zoo, checked without a reference framework: the map's value at a place is,
 * before the ReLU, the derivative of the class's logit along the direction that puts that place's activation vector
 * everywhere ({@code d/dε y(A + ε·B)} with {@code B_kl = A_ij} for every k, l, divided by h·w), so a central
 * difference through the unfolded network must give it. Small random networks at input 64, the default layer and
 * the unit before it; plus layer names, what a pass leaves behind, the heatmap's resizing and the colours.
 */
class GradCamTest {
    /** Of the largest value: a central difference steps over a ReLU's kink now and then; a wrong map is off by O(1). */
    static final double TOLERANCE = 5e-2;

    static List<Architecture> zoo() { return Architectures.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    void mapsAreDirectionalDerivativesOfTheLogit(Architecture arch) {
        Network net = arch.build(5, 1f, 7);
        net.train(false);
        // Random nets shrink activations (ShuffleNetV2 at 64: 1e-5 at conv5); a head bias of 1e-2 would then swallow
        // the central difference in float32 rounding. Biases of the classifier's Linears do not change the check.
        net.head().bias.fill(0f);
        for (var l : net.neck()) if (l instanceof dev.litenet.nn.Linear linear) linear.bias.fill(0f);
        List<Network.Unit> units = net.units();
        Tensor x = random(new SplittableRandom(3), 1, 64, 64, 3);
        for (int unit : new int[] {units.size() - 1, units.size() - 2}) {
            GradCam cam = GradCam.of(net, units.get(unit).name());
            assertThat(cam.unit()).isEqualTo(unit);
            for (int cls : new int[] {1, 3}) {
                GradCam.Result r = cam.run(x, logits -> cls);
                Heatmap map = r.heatmaps().getFirst();
                Tensor a = x;
                for (Network.Unit u : units.subList(0, unit + 1)) a = u.layer().forward(a.copy());
                assertThat(map.height()).isEqualTo(a.dim(1));
                assertThat(map.width()).isEqualTo(a.dim(2));
                double[] numeric = numericMap(net, unit, a, cls);
                double scale = 0, worst = 0;
                for (double v : numeric) scale = Math.max(scale, Math.abs(v));
                for (int p = 0; p < numeric.length; p++) worst = Math.max(worst, Math.abs(map.values()[p] - Math.max(0, numeric[p])));
                assertThat(scale).as(arch.name() + " " + units.get(unit).name() + ": a map with something in it").isGreaterThan(0);
                assertThat(worst / scale).as(arch.name() + " " + units.get(unit).name() + " class " + cls).isLessThan(TOLERANCE);
                assertThat(r.logits()[0]).hasSize(5);
            }
        }
        for (Parameter p : net.parameters()) assertThat(p.hasGrad()).as("no gradients are kept").isFalse();
        for (Parameter p : net.parameters()) assertThat(p.trainable()).as("trainable again after the pass").isTrue();
    }

    /** Per place (i, j): (y(A + εB) − y(A − εB)) / (2ε·h·w), B = the activation vector at (i, j) at every place. */
    private static double[] numericMap(Network net, int unit, Tensor a, int cls) {
        int h = a.dim(1), w = a.dim(2), c = a.dim(3);
        double eps = 1e-3;                                     // B is on A's scale: a relative step
        double[] out = new double[h * w];
        for (int p = 0; p < h * w; p++) {
            Tensor plus = a.copy(), minus = a.copy();
            for (int q = 0; q < h * w; q++) {
                for (int ch = 0; ch < c; ch++) {
                    float b = a.data[p * c + ch];
                    plus.data[q * c + ch] += (float) (eps * b);
                    minus.data[q * c + ch] -= (float) (eps * b);
                }
            }
            out[p] = (logit(net, unit, plus, cls) - logit(net, unit, minus, cls)) / (2 * eps * h * w);
        }
        return out;
    }

    private static double logit(Network net, int unit, Tensor a, int cls) {
        Tensor f = a;
        for (Network.Unit u : net.units().subList(unit + 1, net.units().size())) f = u.layer().forward(f);
        return net.classifier().forward(Pool.globalAverage(f)).data[cls];
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) (r.nextDouble() * 2 - 1);
        return t;
    }

    @Test
    void layersAreUnitsAndStagesAndTheDefaultIsTheLastBlock() {
        Network mobilenet = Architectures.get("mobilenet_v2").build(2);
        assertThat(GradCam.defaultLayer(mobilenet)).isEqualTo("features.18");
        assertThat(GradCam.layers(mobilenet)).startsWith("features.0").endsWith("features.18", "features").hasSize(20);
        assertThat(GradCam.unitIndex(mobilenet, null)).isEqualTo(18);
        assertThat(GradCam.unitIndex(mobilenet, "features")).isEqualTo(18);
        assertThat(GradCam.unitIndex(mobilenet, " features.14 ")).isEqualTo(14);
        Network resnet = Architectures.get("resnet18").build(2);
        assertThat(GradCam.defaultLayer(resnet)).isEqualTo("layer4.1");
        assertThat(GradCam.unitIndex(resnet, "layer3")).isEqualTo(GradCam.unitIndex(resnet, "layer3.1"));
        assertThat(GradCam.layers(resnet)).contains("conv1", "maxpool", "layer1.0", "layer4.1", "layer4");
        assertThatThrownBy(() -> GradCam.of(mobilenet, "features.19")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no layer 'features.19' in mobilenet_v2").hasMessageContaining("features.0, features.1 ... features.18");
        assertThatThrownBy(() -> GradCam.of(resnet, "classifier")).isInstanceOf(BadInputException.class).hasMessageContaining("layer4.1");
        for (Architecture a : Architectures.all()) {
            Network n = a.build(2);
            assertThat(GradCam.of(n, null).layer()).as(a.name()).isEqualTo(n.units().getLast().name());
        }
    }

    @Test
    void anActivationChangedInPlaceAfterTheLayerIsKeptAsItWas() {
        Network resnet = Architectures.get("resnet18").build(3, 1f, 1);
        resnet.train(false);
        Tensor x = random(new SplittableRandom(5), 1, 8, 8, 3);
        // bn1 is followed by ReLU(inplace=True): the map must use bn1's output, negative values included
        Heatmap map = GradCam.of(resnet, "bn1").run(x, l -> 0).heatmaps().getFirst();
        double[] numeric = numericMap(resnet, 1, resnet.units().get(1).layer().forward(resnet.units().get(0).layer().forward(x.copy())), 0);
        double scale = 0, worst = 0;
        for (double v : numeric) scale = Math.max(scale, Math.abs(v));
        for (int p = 0; p < numeric.length; p++) worst = Math.max(worst, Math.abs(map.values()[p] - Math.max(0, numeric[p])));
        assertThat(worst / scale).isLessThan(TOLERANCE);
    }

    @Test
    void upsamplingIsTorchsBilinearWithoutAlignedCorners() {
        Heatmap m = new Heatmap(2, 2, new float[] {0, 1, 2, 3});
        Heatmap up = m.upsampled(4, 4);
        // torch.nn.functional.interpolate(torch.tensor([[[[0., 1], [2, 3]]]]), size=4, mode="bilinear", align_corners=False)
        float[] torch = {0f, 0.25f, 0.75f, 1f, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2f, 2.25f, 2.75f, 3f};
        assertThat(up.values()).containsExactly(torch, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(m.normalized().values()).containsExactly(0f, 1f / 3, 2f / 3, 1f);
        assertThat(new Heatmap(1, 2, new float[2]).normalized().values()).containsExactly(0f, 0f);
        assertThat(m.max()).isEqualTo(3f);
        assertThat(m.toJson()).containsEntry("height", 2).containsEntry("values", List.of(List.of(0.0, 1.0), List.of(2.0, 3.0)));
        assertThatThrownBy(() -> new Heatmap(2, 2, new float[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void viridisRunsFromPurpleToYellowWithLightnessRising() {
        assertThat(Colormap.viridis(0)).isEqualTo(0x440154);
        assertThat(Colormap.viridis(1)).isEqualTo(0xFDE725);
        int mid = Colormap.viridis(0.5), entry128 = 0x21918C;          // matplotlib's viridis(0.5)
        for (int shift = 0; shift <= 16; shift += 8) assertThat(mid >> shift & 0xFF).isCloseTo(entry128 >> shift & 0xFF, org.assertj.core.api.Assertions.within(1));
        assertThat(Colormap.viridis(-1)).isEqualTo(Colormap.viridis(0));
        assertThat(Colormap.viridis(Double.NaN)).isEqualTo(Colormap.viridis(1));
        double previous = -1;
        for (int i = 0; i <= 100; i++) {
            int c = Colormap.viridis(i / 100.0);
            double luma = 0.2126 * (c >> 16 & 0xFF) + 0.7152 * (c >> 8 & 0xFF) + 0.0722 * (c & 0xFF);
            assertThat(luma).as("lightness at " + i + " %").isGreaterThan(previous);
            previous = luma;
        }
    }

    @Test
    void theOverlayHasThePhotoTheColoursAndALegend() {
        java.awt.image.BufferedImage photo = new java.awt.image.BufferedImage(224, 224, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Heatmap hotLeft = new Heatmap(1, 2, new float[] {1, 0});
        java.awt.image.BufferedImage o = Overlay.draw(photo, hotLeft, "cat  99.0 %", "Grad-CAM at features.18 (7×7)  ·  cat.jpg");
        assertThat(o.getWidth()).isEqualTo(Overlay.SIDE);
        assertThat(o.getHeight()).isGreaterThan(Overlay.SIDE);
        int left = o.getRGB(10, 200) & 0xFFFFFF, right = o.getRGB(Overlay.SIDE - 10, 200) & 0xFFFFFF;
        assertThat(left >> 16 & 0xFF).as("hot: yellow over black").isGreaterThan(100);
        assertThat(right >> 16 & 0xFF).as("cold: dark purple over black").isLessThan(40);
        assertThat(Overlay.png(o)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Overlay.jpeg(o, 0.8f)).startsWith((byte) 0xFF, (byte) 0xD8);
    }
}
