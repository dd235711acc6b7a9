package dev.litenet.train;

import dev.litenet.nn.Parameter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * torch.optim.Adam: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², then
 * p -= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
 */
public final class Adam implements Optimizer {
    private final List<Parameter> params;
    private double lr;
    private final double beta1, beta2, eps, weightDecay;
    private final float[][] m, v;
    private int t;

    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps) { this(params, lr, beta1, beta2, eps, 0); }

    /** With L2 weight decay as torch adds it: g += weightDecay·p before the moments. */
    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr; this.beta1 = beta1; this.beta2 = beta2; this.eps = eps; this.weightDecay = weightDecay;
        this.m = new float[params.size()][];
        this.v = new float[params.size()][];
    }

    @Override public void setLearningRate(double lr) { this.lr = lr; }

    @Override public void step() {
        t++;
        double bc1 = 1 - Math.pow(beta1, t), sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t)), stepSize = lr / bc1;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (!p.trainable() || !p.hasGrad()) continue;
            float[] g = p.grad(), w = p.data;
            if (m[i] == null) { m[i] = new float[w.length]; v[i] = new float[w.length]; }
            float[] mi = m[i], vi = v[i];
            for (int j = 0; j < w.length; j++) {
                double gj = g[j] + weightDecay * w[j];
                mi[j] = (float) (beta1 * mi[j] + (1 - beta1) * gj);
                vi[j] = (float) (beta2 * vi[j] + (1 - beta2) * gj * gj);
                w[j] -= (float) (stepSize * mi[j] / (Math.sqrt(vi[j]) / sqrtBc2 + eps));
            }
        }
    }

    @Override public List<Parameter> parameters() { return params; }

    @Override public Map<String, float[]> state() {
        Map<String, float[]> s = new HashMap<>();
        for (int i = 0; i < m.length; i++) if (m[i] != null) { s.put("m." + i, m[i]); s.put("v." + i, v[i]); }
        s.put("t", new float[]{t});
        return s;
    }

    @Override public void loadState(Map<String, float[]> state) {
        for (int i = 0; i < m.length; i++) { m[i] = state.get("m." + i); v[i] = state.get("v." + i); }
        t = (int) state.getOrDefault("t", new float[1])[0];
    }
}
