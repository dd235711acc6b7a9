package dev.litenet.nn;

import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;

/**
 * Runs its children in order, named "0", "1", ... as torch's {@code nn.Sequential}, or by name as torch's
 * {@code nn.Sequential(OrderedDict(...))} (models whose forward is a plain chain name their children this way);
 * backward in reverse.
 */
public class Sequential extends Layer {
    private Layer[] layers = new Layer[0];           // the children in order, kept beside the map for the hot loop

    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    public final Sequential add(Layer layer) {
        addChild(Integer.toString(children().size()), layer);
        layers = children().values().toArray(new Layer[0]);
        return this;
    }

    /** Appends a named child, as torch's {@code add_module(name, layer)}. */
    public final Sequential add(String name, Layer layer) {
        if (children().containsKey(name)) throw new IllegalArgumentException("child " + name + " exists");
        addChild(name, layer);
        layers = children().values().toArray(new Layer[0]);
        return this;
    }

    /** The i-th child in order, whatever its name. */
    public final Layer get(int i) { return layers[i]; }

    public final int size() { return layers.length; }

    /** Replaces the i-th child, keeping its name, as torch's {@code seq[i] = layer}. */
    public final void set(int i, Layer layer) {
        replaceChild(new ArrayList<>(children().keySet()).get(i), layer);
        layers = children().values().toArray(new Layer[0]);
    }

    /** Folds each Conv2d → BatchNorm2d [→ ReLU6 or ReLU] run into one conv; drops dropout; fuses the rest. */
    @Override public Layer fused() {
        Sequential out = new Sequential();
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            if (l instanceof Conv2d conv && i + 1 < layers.length && layers[i + 1] instanceof BatchNorm2d bn) {
                Layer next = i + 2 < layers.length ? layers[i + 2] : null;
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
     * {@link Scratch} (unless the new output shares its values: a view, or the same tensor changed in place);
     * while recording, the layer that made it may {@link Layer#dropOutput drop} it, to be restored just before
     * backward reaches the layer that read it.
     */
    @Override public Tensor forward(Tensor x) {
        Tensor in = x;
        Layer previous = null;
        for (Layer l : layers) {
            Tensor y = l.call(x);
            if (x != in && x != y) {
                if (recording) previous.dropOutput();
                else if (x.data != y.data) Scratch.release(x);
            }
            previous = l;
            x = y;
        }
        return x;
    }

    @Override public Tensor backward(Tensor dy) {
        for (int i = layers.length - 1; i >= 0; i--) {
            if (i > 0) layers[i - 1].restoreOutput();
            dy = layers[i].backward(dy);
        }
        return dy;
    }
}
