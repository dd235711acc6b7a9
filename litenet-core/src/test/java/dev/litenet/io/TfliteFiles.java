package dev.litenet.io;

import dev.litenet.Shared;

import java.nio.file.Path;

/** Test helper: the ImageNet MobileNet TFLite files in shared/weights (two MobileNetV2, four MobileNet V1). */
final class TfliteFiles {
    private TfliteFiles() {}

    /** uint8, quantization-aware trained, per-tensor scales (TF-slim names). */
    static Path uint8() { return Shared.path("weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite"); }

    /** int8 post-training quantized, per-channel scales (TF2 Model Garden names). */
    static Path int8() { return Shared.path("weights/tf2_mobilenet_v2_1.0_224_ptq/tf2_mobilenet_v2_1.0_224_ptq.tflite"); }

    /** TF-slim MobileNet V1, uint8 quantization-aware trained, per-tensor scales: the name's width and input size, 1001 classes. */
    static Path v1(String alphaAndSize) {
        String name = "mobilenet_v1_" + alphaAndSize + "_quant";
        return Shared.path("weights/" + name + "/" + name + ".tflite");
    }

    /** The three MobileNet V1 classifiers, smallest first: 0.25/128, 0.5/160, 0.75/192. */
    static java.util.List<Path> v1Classifiers() { return java.util.List.of(v1("0.25_128"), v1("0.5_160"), v1("0.75_192")); }

    /** MobileNet V1 1.0/224 cut after the average pool: a 1024-d embedding, no classifier. */
    static Path v1EmbeddingExtractor() {
        String name = "mobilenet_v1_1.0_224_quant_embedding_extractor";
        return Shared.path("weights/" + name + "/" + name + ".tflite");
    }
}
