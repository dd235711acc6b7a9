package dev.litenet.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison tables from hand-made results: alignment, number formats, the settings named in the headers. */
class ComparisonTableTest {
    static final Comparison.Setup SETUP = new Comparison.Setup("/data/fm", 60_000, 60_000, 10_000, 5, 64, 0.001, 0);

    static Comparison.ImageModel zooRow(String name, String arch, float width, long params, long macs, long bytes, double ms1, double ms32,
                                        Comparison.Published published) {
        return new Comparison.ImageModel(name, arch, width, params, macs, bytes, new Latency(ms1, 1, 1, 9), new Latency(ms32, 32, 2, 5), published);
    }

    @Test void smallNetsAndTheZoo() {
        Comparison c = new Comparison(SETUP,
                List.of(new Comparison.TrainedModel("dense", "784-10", 7850, 7840, 0.84, 12.34, 0.45, 0.0025, 0.00061),
                        new Comparison.TrainedModel("cnn2", "conv, pool", 8490, 467_200, 0.8875, 101.0, 0.3, 0.25, 0.125)),
                List.of(zooRow("mobilenet_v2", "mobilenet_v2", 1f, 3_504_872, 300_774_272L, 14_020_096, 6.0, 3.5,
                                new Comparison.Published("MOBILENET_V2_IMAGENET1K_V1", 71.878, 224)),
                        zooRow("mobilenet_v2_0.35", "mobilenet_v2", 0.35f, 1_677_128, 59_294_272L, 6_709_000, 2.0, 1.25, null),
                        zooRow("mobilenet_v1_0.25", "mobilenet_v1", 0.25f, 470_072, 41_000_000L, 1_900_000, 0.5, 0.25,
                                new Comparison.Published("mobilenet_v1_0.25_128_quant", 39.9, 128))),
                224, 2);
        assertThat(ComparisonTable.format(c)).isEqualTo("""
                Lesson nets trained on /data/fm
                60,000 training images, 10,000 test images; 5 epochs, batch 64, Adam lr 0.001, seed 0, 2 threads

                Model  Layers      Params  Mult-adds  Test acc  Train time  ms/img b=1  ms/img b=64
                dense  784-10       7,850      7,840    0.8400      12.3 s     0.00250      0.00061
                cnn2   conv, pool   8,490    467,200    0.8875     101.0 s       0.250        0.125

                Architectures at 224x224, 1000 classes: fused eval forward, median ms per image after warm-up; b1 t1 = batch 1 on 1 thread, b32 t2 = batch 32 on 2 threads

                Model                 Params  Mult-adds     File  ms b1 t1  ms b32 t2  GMAC/s b1 t1  ImageNet top-1 (published, weights)
                mobilenet_v2       3,504,872   300.77 M  14.0 MB     6.000      3.500          50.1  71.878 % (MOBILENET_V2_IMAGENET1K_V1)
                mobilenet_v2_0.35  1,677,128    59.29 M   6.7 MB     2.000      1.250          29.6  -
                mobilenet_v1_0.25    470,072    41.00 M   1.9 MB     0.500      0.250          82.0  39.9 % (mobilenet_v1_0.25_128_quant, at 128)
                """);
    }

    @Test void zooAlone() {
        Comparison c = new Comparison(null, List.of(), List.of(zooRow("resnet18", "resnet18", 1f, 1, 2, 3, 3.0, 1.0, null)), 32, 1);
        assertThat(ComparisonTable.format(c)).startsWith("Architectures at 32x32").doesNotContain("Lesson nets");
    }

    @Test void transferTable() {
        Comparison.CrossValidated cv1 = new Comparison.CrossValidated(2700, 0.9511, 0.0080, 0.1234, 0.0123, 132, List.of(0.95, 0.95, 0.96, 0.94, 0.9555), 34.12);
        Comparison.CrossValidated cv2 = new Comparison.CrossValidated(2700, 0.9926, 0.0045, 0.0245, 0.0070, 20, List.of(0.99, 0.99, 1.0, 0.99, 0.993), 61.0);
        Comparison.Transfer t = new Comparison.Transfer("/data/cats-dogs", 5, 0, "the default recipe", 0, List.of(
                new Comparison.Backbone("mobilenet_v1_0.25_128_quant", "mobilenet_v1", 0.25f, 128, 256, 213_072, 13_310_000, new Latency(0.5, 1, 1, 9),
                        cv1, 39.9),
                new Comparison.Backbone("tf2_mobilenet_v2_1.0_224_ptq", "mobilenet_v2", 1f, 224, 1280, 2_223_872, 299_490_000, new Latency(6.25, 1, 1, 9),
                        cv2, Double.NaN)));
        assertThat(ComparisonTable.format(new Comparison(null, List.of(), List.of(), 224, 2, t))).isEqualTo("""
                Frozen-feature transfer on /data/cats-dogs: 5-fold cross-validation (fold seed 0) of 2,700 photos, each backbone at its own input size
                Head: the default recipe

                Backbone                      Input  Embedding     Params  Mult-adds  ms b1 t1     CV accuracy      CV log-loss  Wrong  ImageNet top-1    Time
                mobilenet_v1_0.25_128_quant     128        256    213,072    13.31 M     0.500  95.11 % ± 0.80  0.1234 ± 0.0123    132          39.9 %  34.1 s
                tf2_mobilenet_v2_1.0_224_ptq    224       1280  2,223,872   299.49 M     6.250  99.26 % ± 0.45  0.0245 ± 0.0070     20               -  61.0 s
                """);
    }
}
