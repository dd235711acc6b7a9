package dev.litenet.train;

import dev.litenet.nn.Parameter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** torch.optim.SGD with momentum: buf = μ·buf + g (buf = g on the first step); p -= lr·buf. */
public final class Sgd implements Optimizer {
    private final List<Parameter> params;
    private double lr;
    private final double momentum, weightDecay;
    private final float[][] buffers;
    private boolean started;

    public Sgd(List<Parameter> params, double lr, double momentum) { this(params, lr, momentum, 0); }

    /** With L2 weight decay as torch adds it: g += weightDecay·p. */
    public Sgd(List<Parameter> params, double lr, double momentum, double weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.buffers = new float[params.size()][];
    }

    @Override public void setLearningRate(double lr) { this.lr = lr; }

    @Override public void step() {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (!p.trainable() || !p.hasGrad()) continue;
            float[] w = p.data, g = p.grad().clone();
            for (int j = 0; j < w.length; j++) g[j] += (float) (weightDecay * w[j]);
            if (momentum == 0) {
                for (int j = 0; j < w.length; j++) w[j] -= (float) (lr * g[j]);
                continue;
            }
            if (buffers[i] == null) buffers[i] = g.clone();
            else for (int j = 0; j < w.length; j++) buffers[i][j] = (float) (momentum * buffers[i][j] + g[j]);
            for (int j = 0; j < w.length; j++) w[j] -= (float) (lr * buffers[i][j]);
        }
        started = true;
    }

    @Override public List<Parameter> parameters() { return params; }

    @Override public Map<String, float[]> state() {
        Map<String, float[]> s = new HashMap<>();
        for (int i = 0; i < buffers.length; i++) if (buffers[i] != null) s.put("momentum." + i, buffers[i]);
        s.put("started", new float[]{started ? 1 : 0});
        return s;
    }

    @Override public void loadState(Map<String, float[]> state) {
        for (int i = 0; i < buffers.length; i++) buffers[i] = state.get("momentum." + i);
        started = state.getOrDefault("started", new float[1])[0] == 1;
    }
}
