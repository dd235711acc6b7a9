package dev.litenet.summary;

import java.util.HashSet;
import java.util.List;

/**
 * What to show: the style, how deep to go (torchinfo's {@code depth}: 1 = the model's children) and which
 * columns, in order.
 */
public record SummaryOptions(Style style, int depth, List<Column> columns) {
    /** torchinfo's defaults: depth 3, output shape and parameter count. */
    public static final List<Column> DEFAULT_COLUMNS = List.of(Column.OUTPUT_SIZE, Column.NUM_PARAMS);
    public static final int DEFAULT_DEPTH = 3;

    public SummaryOptions {
        columns = List.copyOf(columns);
        if (depth < 0) throw new IllegalArgumentException("depth must be at least 0, got " + depth);
        if (columns.isEmpty()) throw new IllegalArgumentException("no columns");
        if (new HashSet<>(columns).size() != columns.size()) throw new IllegalArgumentException("a column is listed twice");
        for (Column c : columns) {
            if (!style.supports(c)) {
                throw new IllegalArgumentException("column " + c.key + " does not exist in style " + style.key);
            }
        }
    }

    public static SummaryOptions of(Style style) { return new SummaryOptions(style, DEFAULT_DEPTH, DEFAULT_COLUMNS); }
}
