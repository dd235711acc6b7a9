package dev.litenet.weights;

import dev.litenet.ImageClassifier;
import dev.litenet.Prediction;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The artifact as a user gets it: on the class path, with an empty cache, no shared folder and every download
 * sent to a closed proxy port (see the pom), {@code ImageClassifier.pretrained(name)} finds the weights in the jar.
 */
class WeightsArtifactTest {
    private static final List<String> NAMES = List.of("mobilenet_v2_1.0_224_quant", "tf2_mobilenet_v2_1.0_224_ptq",
            "mobilenet_v1_0.25_128_quant", "mobilenet_v1_0.5_160_quant", "mobilenet_v1_0.75_192_quant",
            "mobilenet_v1_1.0_224_quant_embedding_extractor");

    @Test
    void everyMobileNetFileIsInTheJarWithItsLicence() {
        for (String name : NAMES) {
            String folder = "META-INF/litenet/weights/" + name + "/";
            assertThat(getClass().getClassLoader().getResource(folder + name + ".tflite")).as(name).isNotNull();
            assertThat(getClass().getClassLoader().getResource(folder + "LICENSE")).as(name).isNotNull();
        }
    }

    @Test
    void pretrainedByNameWorksOffline() {
        ImageClassifier net = ImageClassifier.pretrained("mobilenet_v2_1.0_224_quant");
        BufferedImage orange = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        var g = orange.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 224, 224);
        g.dispose();
        List<Prediction> top = net.predict(orange, 3);
        assertThat(top).hasSize(3);
        assertThat(net.labels()).hasSize(1000);
        Path cached = Path.of(System.getenv("LITENET_CACHE"), "weights");
        assertThat(cached.resolve("mobilenet_v2_1.0_224_quant.tflite")).as("copied into the cache once").isRegularFile();
    }
}
