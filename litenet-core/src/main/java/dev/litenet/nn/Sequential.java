package dev.litenet.nn;

import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs its children in order, named "0", "1", ... as torch's {@code nn.Sequential}, or by name as torch's
 * {@code nn.Sequential(OrderedDict(...))} (models whose forward is a plain chain name their children this way);
 * backward in reverse.
 */
public class Sequential extends Layer {
    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    public final Sequential add(Layer layer) {
        addChild(Integer.toString(children().size()), layer);
        return this;
    }

    /** Appends a named child, as torch's {@code add_module(name, layer)}. */
    public final Sequential add(String name, Layer layer) {
        if (children().containsKey(name)) throw new IllegalArgumentException("child " + name + " exists");
        addChild(name, layer);
        return this;
    }

    /** The i-th child in order, whatever its name. */
    public final Layer get(int i) { return new ArrayList<>(children().values()).get(i); }

    public final int size() { return children().size(); }

    /** Replaces the i-th child, keeping its name, as torch's {@code seq[i] = layer}. */
    public final void set(int i, Layer layer) { replaceChild(new ArrayList<>(children().keySet()).get(i), layer); }

    /** Folds each Conv2d → BatchNorm2d [→ ReLU6 or ReLU] run into one conv; drops dropout; fuses the rest. */
    @Override public Layer fused() {
        List<Layer> layers = new ArrayList<>(children().values());
        Sequential out = new Sequential();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Conv2d conv && i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm2d bn) {
                Layer next = i + 2 < layers.size() ? layers.get(i + 2) : null;
                Conv2d folded = conv.foldedWith(bn, next instanceof ReLU6);
                if (next instanceof ReLU) folded.setClamp(0f, Float.POSITIVE_INFINITY);
                out.add(folded);
                i += next instanceof ReLU6 || next instanceof ReLU ? 2 : 1;
            } else if (!(l instanceof Dropout)) {
                out.add(l.fused());
            }
        }
        return out.size() == 1 ? out.get(0) : out;
    }

    /**
     * Once a layer has run, the output it read is no longer needed for forward: at inference it goes back to
     * {@link Scratch}; while recording, the layer that made it may {@link Layer#dropOutput drop} it, to be
     * restored just before backward reaches the layer that read it.
     */
    @Override public Tensor forward(Tensor x) {
        Tensor in = x;
        Layer previous = null;
        for (Layer l : children().values()) {
            Tensor y = l.call(x);
            if (x != in && x != y) {
                if (!recording) Scratch.release(x);
                else previous.dropOutput();
            }
            previous = l;
            x = y;
        }
        return x;
    }

    @Override public Tensor backward(Tensor dy) {
        List<Layer> layers = new ArrayList<>(children().values());
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (i > 0) layers.get(i - 1).restoreOutput();
            dy = layers.get(i).backward(dy);
        }
        return dy;
    }
}
