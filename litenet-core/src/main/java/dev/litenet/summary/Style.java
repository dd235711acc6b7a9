package dev.litenet.summary;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * How a summary counts and draws. {@link #DEFAULT}: modern torchinfo's table (a top row for the model,
 * {@code │} tree lines) with honest numbers. {@link #TORCHINFO_0_0_8}: the characters torchinfo 0.0.8 printed,
 * odd counts included ({@link Torchinfo008}).
 */
public enum Style {
    DEFAULT("default", EnumSet.allOf(Column.class)),
    TORCHINFO_0_0_8("torchinfo-0.0.8", EnumSet.of(Column.INPUT_SIZE, Column.OUTPUT_SIZE, Column.NUM_PARAMS,
            Column.KERNEL_SIZE, Column.MULT_ADDS));

    public final String key;
    private final Set<Column> columns;

    Style(String key, Set<Column> columns) {
        this.key = key;
        this.columns = columns;
    }

    /** Whether this style has the column (0.0.8 had no percent or trainable column). */
    public boolean supports(Column column) { return columns.contains(column); }

    public static Optional<Style> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
