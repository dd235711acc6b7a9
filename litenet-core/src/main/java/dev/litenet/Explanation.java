package dev.litenet;

import dev.litenet.explain.Heatmap;
import dev.litenet.explain.Overlay;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Why a classifier gave a class to an image: a Grad-CAM heatmap ({@link ImageClassifier#explain}). The heatmap is
 * a small grid at the resolution of the layer it was taken at (7×7 for the last block of the zoo's networks at
 * input 224); {@link Heatmap#upsampled} puts it over the image, and {@link #overlay()} draws it there.
 *
 * <p>What it shows: the places whose activations at that layer raised the class's score. What it does not show:
 * that those places are the reason in a human sense, how the network combines them, or anything finer than the
 * grid (one cell covers 32×32 input pixels at the last block). See <a href="https://github.com/litenet/litenet/blob/main/docs/EXPLAIN.md">docs/EXPLAIN.md</a>.
 *
 * @param image     what the image is called (a path, an upload's name)
 * @param explained the class explained, with its index, label and probability
 * @param predicted the most probable class (the same as {@code explained} unless another class was asked for)
 * @param layer     the unit the map was taken at, torch-style ({@code features.18})
 * @param heatmap   the Grad-CAM map on that unit's grid
 * @param view      the image as the network saw it (cropped and resized, before normalization)
 */
public record Explanation(String image, Prediction explained, Prediction predicted, String layer, Heatmap heatmap,
                          BufferedImage view) {
    /** As the class index of {@link ImageClassifier#explain(PreparedImage, int, String)}: the predicted class. */
    public static final int PREDICTED = -1;

    /**
     * The photo with the heatmap over it and a legend: the class, its probability, the layer and a colour bar.
     *
     * @return an RGB picture, at least {@value Overlay#SIDE} pixels wide
     */
    public BufferedImage overlay() { return Overlay.draw(view, heatmap, title(), note()); }

    /**
     * {@link #overlay()} as PNG bytes.
     *
     * @return the encoded PNG
     */
    public byte[] overlayPng() { return Overlay.png(overlay()); }

    /**
     * The legend's first line: the class and its probability, and the prediction when another class was explained.
     *
     * @return e.g. {@code dog 99.0 %}, or {@code why cat (1.0 %), not dog (99.0 %)}
     */
    public String title() {
        if (explained.index() == predicted.index()) return explained.label() + "  " + percent(explained.probability());
        return "why " + explained.label() + " (" + percent(explained.probability()) + "), not " + predicted.label()
                + " (" + percent(predicted.probability()) + ")";
    }

    private String note() {
        String name = image.substring(Math.max(image.lastIndexOf('/'), image.lastIndexOf('\\')) + 1);
        return "Grad-CAM at " + layer + " (" + heatmap.height() + "×" + heatmap.width() + ")  ·  " + name;
    }

    private static String percent(double p) { return String.format(Locale.ROOT, "%.1f %%", 100 * p); }

    /**
     * As JSON-ready values: {@code {"image":..,"class":{"index":..,"label":..,"prob":..},"predicted":{..},
     * "layer":..,"heatmap":{"height":..,"width":..,"max":..,"values":[[..]]}}}.
     *
     * @return maps, lists, strings and numbers
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image);
        m.put("class", explained.toJson());
        m.put("predicted", predicted.toJson());
        m.put("layer", layer);
        m.put("heatmap", heatmap.toJson());
        return m;
    }
}
