package dev.litenet.train;

import dev.litenet.nn.Parameter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** torch.optim.SGD with momentum: buf = μ·buf + g (buf = g on the first step); p -= lr·buf. */
public final class Sgd implements Optimizer {
    private final List<Parameter> params;
    private final double lr, momentum;
    private final float[][] buffers;
    private boolean started;

    public Sgd(List<Parameter> params, double lr, double momentum) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.buffers = new float[params.size()][];
    }

    @Override public void step() {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (!p.trainable() || !p.hasGrad()) continue;
            float[] g = p.grad(), w = p.data;
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
