package dev.litenet.cli;

import dev.litenet.io.Json;
import dev.litenet.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code litenet bench} end to end: tiny inference and training runs, their JSON, and bad arguments. */
class BenchCommandTest {
    record Run(int code, String out, String err) {}

    @AfterEach void allCoresAgain() { Parallel.setThreads(Runtime.getRuntime().availableProcessors()); }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Run r) {
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        return (Map<String, Object>) Json.parse(r.out().strip());
    }

    static double num(Map<String, Object> m, String key) { return ((Number) m.get(key)).doubleValue(); }

    @Test void inferenceJsonHasTheTimingsAndTheModelsTrueMultiplyAdds() {
        Map<String, Object> m = json(run("bench", "--batch-size", "1", "--threads", "1", "--iterations", "2", "--warmup", "0", "--no-warmup-until-compiled", "--json"));
        assertThat(m).containsEntry("mode", "infer").containsEntry("engine", "litenet")
                .containsEntry("model", "mobilenet_v2 (random init)");
        assertThat(num(m, "batch")).isEqualTo(1);
        assertThat(num(m, "threads")).isEqualTo(1);
        assertThat(num(m, "iterations")).isEqualTo(2);
        assertThat(num(m, "mult_adds_per_image")).isEqualTo(300_774_272);      // torchinfo's 300.77 M at 224
        List<?> samples = (List<?>) m.get("samples_ms");
        assertThat(samples).hasSize(2);
        double median = num(m, "median_ms");
        assertThat(median).isPositive().isBetween(num(m, "min_ms"), num(m, "max_ms"));
        assertThat(median).isCloseTo((((Number) samples.get(0)).doubleValue() + ((Number) samples.get(1)).doubleValue()) / 2, within(1e-9));
        assertThat(num(m, "images_per_s")).isCloseTo(1000 / median, within(1e-6));
        assertThat(num(m, "gflops")).isCloseTo(2 * 300_774_272 / (median / 1e3) / 1e9, within(1e-6));
        assertThat(num(m, "peak_rss_mb")).isGreaterThan(10);
    }

    @Test void trainingStepReportsItsLossAndThreeForwardsOfWork() {
        Map<String, Object> m = json(run("bench", "--mode", "train", "--batch-size", "2", "--input-size", "64", "--threads", "1",
                "--iterations", "1", "--warmup", "0", "--no-warmup-until-compiled", "--json"));
        assertThat(m).containsEntry("mode", "train");
        assertThat(num(m, "batch")).isEqualTo(2);
        // torchvision's init puts the classifier near zero, so the first step's loss is about ln(1000)
        assertThat(num(m, "loss")).isCloseTo(Math.log(1000), within(0.5));
        double macs = num(m, "mult_adds_per_image");
        assertThat(macs).isLessThan(300_774_272 / 10.0).isGreaterThan(300_774_272 / 16.0);   // 64² is 1/12.25 of 224²
        assertThat(num(m, "gflop_per_iteration")).isCloseTo(2 * 3 * 2 * macs / 1e9, within(1e-12));
    }

    @Test void textOutputNamesTheFigures() {
        Run r = run("bench", "--input-size", "32", "--iterations", "1", "--warmup", "0", "--no-warmup-until-compiled");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("median", "images/s", "GFLOP/s", "peak RSS");
    }

    @Test void badArgumentsGiveOneClearErrorAndExitCode2() {
        for (String[] args : new String[][]{
                {"bench", "--batch-size", "0"}, {"bench", "--iterations", "0"}, {"bench", "--warmup", "-1"},
                {"bench", "--threads", "0"}, {"bench", "--input-size", "8"}, {"bench", "--mode", "fly"}}) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).startsWith("litenet: ");
        }
    }
}
