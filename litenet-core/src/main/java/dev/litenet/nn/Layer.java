package dev.litenet.nn;

import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one contract every layer and container follows: {@link #forward} and {@link #backward} side by side,
 * named parameters and buffers, named children (so names are torchvision's {@code features.1.conv.0.0.weight}),
 * train/eval mode, and freezing by name prefix.
 *
 * <p>Backward needs what forward saw. A layer keeps it only while {@link #setRecording recording} is on
 * (training does that); at inference nothing is kept. {@link #backward} takes dL/d(output), adds into the
 * gradients of trainable parameters and returns dL/d(input).
 */
public abstract class Layer {
    private static final ThreadLocal<Trace> TRACE = new ThreadLocal<>();

    private final Map<String, Layer> children = new LinkedHashMap<>();
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Parameter> buffers = new LinkedHashMap<>();
    protected boolean training;
    protected boolean recording;

    /** x -> y; shapes are documented by each layer. */
    public abstract Tensor forward(Tensor x);

    /** dL/dy -> dL/dx, adding into parameter gradients. Requires a recorded forward. */
    public abstract Tensor backward(Tensor dy);

    /** Runs forward, telling an active {@link Trace}. Containers call children through this. */
    public final Tensor call(Tensor x) {
        Trace trace = TRACE.get();
        if (trace == null) return forward(x);
        trace.enter(this, x);
        Tensor y = forward(x);
        trace.exit(this, y);
        return y;
    }

    /**
     * For a block's forward: runs {@code next} on {@code x}, a tensor the block made, and at inference gives x back
     * to {@link Scratch} once read (unless the output shares its values, as an in-place layer's does); while
     * recording x stays, since backward may need it.
     */
    protected final Tensor then(Layer next, Tensor x) {
        Tensor y = next.call(x);
        if (!recording && y.data != x.data) Scratch.release(x);
        return y;
    }

    /** Runs forward on this thread with a trace watching every layer. */
    public final Tensor traced(Tensor x, Trace trace) {
        Trace old = TRACE.get();
        TRACE.set(trace);
        try {
            return call(x);
        } finally {
            TRACE.set(old);
        }
    }

    /**
     * An inference-only twin of this layer in eval mode: BatchNorm folded into the conv before it, ReLU6 folded
     * into the conv's output clamp, dropout removed. The twin has its own weights; this layer is unchanged.
     */
    public Layer fused() { return this; }

    /** The name shown in summaries, torch's class name. */
    public String typeName() { return getClass().getSimpleName(); }

    protected final <L extends Layer> L addChild(String name, L layer) {
        children.put(name, layer);
        return layer;
    }

    protected final void replaceChild(String name, Layer layer) {
        if (!children.containsKey(name)) throw new IllegalArgumentException("no child " + name);
        layer.train(training);
        layer.setRecording(recording);
        children.put(name, layer);
    }

    protected final Parameter addParameter(String name, Parameter p) {
        params.put(name, p);
        return p;
    }

    protected final Parameter addBuffer(String name, Parameter p) {
        p.setTrainable(false);
        buffers.put(name, p);
        return p;
    }

    public final Map<String, Layer> children() { return Collections.unmodifiableMap(children); }

    public final Layer child(String name) { return children.get(name); }

    /** All parameters with dotted names, in torch's order (own first, then children's). */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    /** Parameters and buffers with dotted names, in the order of torch's {@code state_dict()}. */
    public final Map<String, Parameter> stateEntries() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out, boolean withBuffers) {
        params.forEach((n, p) -> out.put(prefix + n, p));
        if (withBuffers) buffers.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, c) -> c.collect(prefix + n + ".", out, withBuffers));
    }

    public final List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    public final List<Parameter> trainableParameters() {
        return parameters().stream().filter(Parameter::trainable).toList();
    }

    public final long numParameters() { return parameters().stream().mapToLong(Parameter::numel).sum(); }

    /** Marks parameters whose name starts with the prefix ("" = all) as frozen (not trainable). */
    public final void freeze(String prefix) { setTrainable(prefix, false); }

    public final void unfreeze(String prefix) { setTrainable(prefix, true); }

    private void setTrainable(String prefix, boolean trainable) {
        namedParameters().forEach((n, p) -> {
            if (prefix.isEmpty() || n.equals(prefix) || n.startsWith(prefix + ".")) p.setTrainable(trainable);
        });
    }

    /** Training mode (batch statistics, dropout) or eval mode, for this layer and all below it. */
    public void train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
    }

    public final boolean isTraining() { return training; }

    /** Whether forward keeps what backward needs, for this layer and all below it. */
    public void setRecording(boolean on) {
        recording = on;
        children.values().forEach(c -> c.setRecording(on));
    }

    /**
     * Recomputation, to save training memory: a layer whose output is cheap to compute again from what it keeps for
     * backward may {@link Tensor#drop drop} that output once the next layer has run, and must restore it when
     * {@link #restoreOutput} is called, before the next layer's backward. {@link Sequential} calls both; by default a
     * layer keeps its output.
     */
    public void dropOutput() {}

    public void restoreOutput() {}

    public final void zeroGrad() { parameters().forEach(Parameter::zeroGrad); }

    protected final void requireRecorded(Object saved) {
        if (saved == null) throw new IllegalStateException(typeName() + ".backward without a recorded forward (setRecording(true))");
    }
}
