package dev.litenet.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison tables from hand-made results: alignment, number formats, ratios to the heaviest model. */
class ComparisonTableTest {
    static final Comparison.Setup SETUP = new Comparison.Setup("/data/fm", 60_000, 60_000, 10_000, 5, 64, 0.001, 0);

    @Test void smallNetsAndImageModels() {
        Comparison c = new Comparison(SETUP,
                List.of(new Comparison.TrainedModel("dense", "784-10", 7850, 7840, 0.84, 12.34, 0.45, 0.0025, 0.00061),
                        new Comparison.TrainedModel("cnn2", "conv, pool", 8490, 467_200, 0.8875, 101.0, 0.3, 0.25, 0.125)),
                List.of(new Comparison.ImageModel("mobilenet_v2", 3_504_872, 300_774_272L, 25.0, 9),
                        new Comparison.ImageModel("resnet18", 11_689_512, 1_814_073_344L, 100.0, 5)),
                224, 2);
        assertThat(ComparisonTable.format(c)).isEqualTo("""
                Lesson nets trained on /data/fm
                60,000 training images, 10,000 test images; 5 epochs, batch 64, Adam lr 0.001, seed 0, 2 threads

                Model  Layers      Params  Mult-adds  Test acc  Train time  ms/img b=1  ms/img b=64
                dense  784-10       7,850      7,840    0.8400      12.3 s     0.00250      0.00061
                cnn2   conv, pool   8,490    467,200    0.8875     101.0 s       0.250        0.125

                Image models at 224x224, 1000 classes: fused eval forward, batch 1, median of timed runs after warm-up, 2 threads

                Model             Params  Mult-adds  ms/img  Mult-adds vs resnet18  Time vs resnet18
                mobilenet_v2   3,504,872   300.77 M   25.00                  0.166             0.250
                resnet18      11,689,512     1.81 G  100.00                  1.000             1.000
                """);
    }

    @Test void imageModelsAlone() {
        Comparison c = new Comparison(null, List.of(), List.of(new Comparison.ImageModel("resnet18", 1, 2, 3.0, 5)), 32, 1);
        assertThat(ComparisonTable.format(c)).startsWith("Image models at 32x32").doesNotContain("Lesson nets");
    }
}
