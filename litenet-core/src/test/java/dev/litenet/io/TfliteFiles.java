package dev.litenet.io;

import dev.litenet.Shared;

import java.nio.file.Path;

/** Test helper: the two ImageNet MobileNetV2 TFLite files in shared/weights. */
final class TfliteFiles {
    private TfliteFiles() {}

    /** uint8, quantization-aware trained, per-tensor scales (TF-slim names). */
    static Path uint8() { return Shared.path("weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite"); }

    /** int8 post-training quantized, per-channel scales (TF2 Model Garden names). */
    static Path int8() { return Shared.path("weights/tf2_mobilenet_v2_1.0_224_ptq/tf2_mobilenet_v2_1.0_224_ptq.tflite"); }
}
