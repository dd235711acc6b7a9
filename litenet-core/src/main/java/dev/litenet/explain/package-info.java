/**
 * Grad-CAM: the {@link dev.litenet.explain.Heatmap} an {@link dev.litenet.Explanation} carries, its colormap and
 * overlays.
 */
package dev.litenet.explain;
