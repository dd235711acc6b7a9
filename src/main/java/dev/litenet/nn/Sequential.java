package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Runs its children in order, named "0", "1", ... as torch's {@code nn.Sequential}; backward in reverse. */
public class Sequential extends Layer {
    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    public final Sequential add(Layer layer) {
        addChild(Integer.toString(children().size()), layer);
        return this;
    }

    public final Layer get(int i) { return child(Integer.toString(i)); }

    public final int size() { return children().size(); }

    @Override public Tensor forward(Tensor x) {
        for (Layer l : children().values()) x = l.call(x);
        return x;
    }

    @Override public Tensor backward(Tensor dy) {
        List<Layer> layers = new ArrayList<>(children().values());
        for (int i = layers.size() - 1; i >= 0; i--) dy = layers.get(i).backward(dy);
        return dy;
    }
}
