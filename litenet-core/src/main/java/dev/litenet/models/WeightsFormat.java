package dev.litenet.models;

/** The file format of a weights file, which tells the loader which reader to use. */
public enum WeightsFormat {
    /** A torchvision {@code state_dict} saved by {@code torch.save} (zip or legacy pickle). */
    PTH,
    /** A TFLite flatbuffer (identifier {@code TFL3}), here quantized: uint8 or int8 with scales. */
    TFLITE,
    /** A safetensors file: a JSON header then raw little-endian tensors. */
    SAFETENSORS
}
