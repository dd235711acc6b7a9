package dev.litenet.summary;

import java.util.Arrays;
import java.util.Optional;

/** A column of the summary table, named as torchinfo's {@code col_names}, with torchinfo's header. */
public enum Column {
    INPUT_SIZE("input_size", "Input Shape"),
    OUTPUT_SIZE("output_size", "Output Shape"),
    NUM_PARAMS("num_params", "Param #"),
    PARAMS_PERCENT("params_percent", "Param %"),
    KERNEL_SIZE("kernel_size", "Kernel Shape"),
    MULT_ADDS("mult_adds", "Mult-Adds"),
    TRAINABLE("trainable", "Trainable");

    public final String key, title;

    Column(String key, String title) {
        this.key = key;
        this.title = title;
    }

    public static Optional<Column> byKey(String key) {
        return Arrays.stream(values()).filter(c -> c.key.equals(key)).findFirst();
    }
}
