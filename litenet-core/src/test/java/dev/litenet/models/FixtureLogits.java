package dev.litenet.models;

import dev.litenet.Fixtures;
import dev.litenet.io.StateDicts;

import java.io.PrintStream;

/**
 * The fused MobileNetV2 (the fixture's calibrated weights) on the fixture input: 2×1000 logits. {@link #main} prints
 * them one per line, for a child JVM started by {@link ScalarKernelsTest}.
 */
final class FixtureLogits {
    private FixtureLogits() {}

    // (2,224,224,3) fixture input -> logits (2·1000)
    static float[] compute() {
        MobileNetV2 m = new MobileNetV2(1000);
        String file = "mobilenet_v2_calib.pth";
        StateDict.load(m, StateDicts.read(Fixtures.dir().resolve(file)), file);
        m.train(false);
        return m.fused().forward(Fixtures.inputNhwc()).data;
    }

    public static void main(String[] args) {
        StringBuilder text = new StringBuilder();
        for (float v : compute()) text.append(v).append('\n');
        PrintStream out = System.out;
        out.print(text);
        out.flush();
    }
}
