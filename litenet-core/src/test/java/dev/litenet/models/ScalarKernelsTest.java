package dev.litenet.models;

import dev.litenet.Fixtures;
import dev.litenet.tensor.Simd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.litenet.Fixtures.relMaxError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library on a plain JDK 25, without {@code --add-modules jdk.incubator.vector}: a child JVM on the test class
 * path runs the whole fused MobileNetV2 on the scalar kernels, says so in one line, and gives the very bits of the
 * Vector API kernels this JVM runs (and torchvision's logits).
 */
class ScalarKernelsTest {
    @Test
    void mobileNetV2RunsWithoutTheVectorModule(@TempDir Path tmp) throws IOException, InterruptedException {
        Simd.batchComing();                                              // the scalar start ends after 2 GFLOP (see Simd)
        float[] expected = null;
        for (int i = 0; i < 3; i++) expected = FixtureLogits.compute();   // 3.6 GFLOP: the last one on vector kernels
        assertThat(Simd.ENABLED).isTrue();
        Path out = tmp.resolve("stdout.txt"), err = tmp.resolve("stderr.txt");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FixtureLogits.class.getName()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JDK_JAVA_OPTIONS");                     // nothing may add the module back
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process child = pb.start();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s");
        }
        String stderr = Files.readString(err);
        assertThat(child.exitValue()).as(stderr).isZero();

        assertThat(stderr).doesNotContain("Using incubator modules");
        assertThat(stderr.lines().filter(l -> l.contains("running scalar kernels")).toList()).containsExactly(
                "WARNING: LiteNet: jdk.incubator.vector not found; running scalar kernels, about 4.5x slower than the "
                        + "Vector API ones once warm. Add --add-modules jdk.incubator.vector to the java command (or to "
                        + "JDK_JAVA_OPTIONS) for the fast path.");
        List<String> lines = Files.readAllLines(out);
        float[] scalar = new float[lines.size()];
        for (int i = 0; i < scalar.length; i++) scalar[i] = Float.parseFloat(lines.get(i));
        assertThat(scalar).isEqualTo(expected);
        assertThat(relMaxError(scalar, Fixtures.f32("logits_eval_2x1000.f32"))).isLessThan(1e-4);
    }
}
