package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numeric gradient check: L = Σ y·r for a fixed random r; compares backward's dL/dx and dL/dθ with central
 * differences. Runs in float, so tolerances are percent-level relative to the largest gradient.
 */
final class GradCheck {
    private GradCheck() {}

    static Tensor randomTensor(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) (r.nextDouble() * 2 - 1);
        return t;
    }

    static void check(Layer layer, Tensor x, double tol) { check(layer, x, tol, 1e-2f); }

    /** With step h: smaller where a ReLU6 kink lies close to the inputs. */
    static void check(Layer layer, Tensor x, double tol, float h) {
        layer.setRecording(true);
        Tensor y = layer.forward(x.copy());
        Tensor r = randomTensor(99, y.shape);
        layer.zeroGrad();
        layer.parameters().forEach(Parameter::grad);
        layer.forward(x.copy());
        Tensor dx = layer.backward(r.copy());

        float[] numeric = new float[x.size()];
        for (int i = 0; i < x.size(); i++) {
            numeric[i] = (float) derivative(layer, x, r, x.data, i, h);
        }
        assertNear("dx", dx.data, numeric, tol);
        layer.namedParameters().forEach((name, p) -> {
            if (!p.trainable()) return;
            float[] analytic = p.grad().clone();
            float[] num = new float[p.numel()];
            for (int i = 0; i < num.length; i++) num[i] = (float) derivative(layer, x, r, p.data, i, h);
            assertNear(name, analytic, num, tol);
        });
    }

    private static double derivative(Layer layer, Tensor x, Tensor r, float[] target, int i, float h) {
        float old = target[i];
        target[i] = old + h;
        double plus = dot(layer.forward(x.copy()), r);
        target[i] = old - h;
        double minus = dot(layer.forward(x.copy()), r);
        target[i] = old;
        return (plus - minus) / (2 * h);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += (double) a.data[i] * b.data[i];
        return s;
    }

    private static void assertNear(String what, float[] analytic, float[] numeric, double tol) {
        double scale = 1e-3;
        for (float v : numeric) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < numeric.length; i++) {
            assertThat((double) Math.abs(analytic[i] - numeric[i])).as("%s[%d]: analytic %f numeric %f", what, i, analytic[i], numeric[i])
                    .isLessThanOrEqualTo(tol * scale);
        }
    }
}
