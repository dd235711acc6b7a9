package dev.litenet.summary;

import dev.litenet.models.MobileNetV2;
import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.ReLU6;
import dev.litenet.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows and totals against hand-computed values: MobileNetV2's parameters and true multiply-adds (torchvision's
 * 3,504,872 parameters and the paper's ~300 M), the lesson's eight numbers under torchinfo 0.0.8's rules, and the
 * invariant that the Param # column (and, in the default style, the Mult-Adds column) adds up to the totals.
 */
class SummaryNumbersTest {
    static final List<Integer> AT_224 = List.of(1, 3, 224, 224), AT_244 = List.of(1, 3, 244, 244);

    static MobileNetV2 lessonModel() {
        MobileNetV2 m = new MobileNetV2(1000);
        m.setClassifier(new Linear(1280, 2));
        m.freeze("features");
        return m;
    }

    static long macsOf(List<LayerInfo> rows, String type) {
        return rows.stream().filter(r -> r.type().equals(type)).mapToLong(LayerInfo::macs).sum();
    }

    @Test void mobilenetV2TrueCounts() {
        List<LayerInfo> rows = LayerTrace.collect(new MobileNetV2(1000), AT_224);
        ModelStatistics t = ModelStatistics.of(rows);
        assertThat(t.totalParams()).isEqualTo(3_504_872);
        assertThat(t.trainableParams()).isEqualTo(3_504_872);
        assertThat(macsOf(rows, "Conv2d")).isEqualTo(299_494_272L);      // 52 convs, (in/groups)·k·k per output
        assertThat(macsOf(rows, "Linear")).isEqualTo(1_280_000L);
        assertThat(t.multAdds()).isEqualTo(300_774_272L);
        assertThat(rows.stream().filter(r -> r.type().equals("Conv2d")).count()).isEqualTo(52);
        assertThat(t.inputBytes()).isEqualTo(3L * 224 * 224 * 4);
        assertThat(t.paramBytes()).isEqualTo(3_504_872L * 4);
        // each conv's and BN's output (6,678,112 values each), the pooled features and the logits, float32
        assertThat(t.activationBytes()).isEqualTo((2 * 6_678_112L + 1_280 + 1_000) * 4);
    }

    @Test void widthHalfTrueCounts() {
        ModelStatistics t = ModelStatistics.of(LayerTrace.collect(new MobileNetV2(1000, 0.5f), AT_224));
        assertThat(t.totalParams()).isEqualTo(1_968_680);
        assertThat(t.multAdds()).isEqualTo(95_851_840L + 1_280_000L);
    }

    @Test void rowsFollowTorchvisionNamesAndTorchShapes() {
        List<LayerInfo> rows = LayerTrace.collect(lessonModel(), AT_244);
        LayerInfo model = rows.getFirst();
        assertThat(model.type()).isEqualTo("MobileNetV2");
        assertThat(model.depth()).isZero();
        assertThat(model.outputShape()).containsExactly(1, 2);
        LayerInfo stem = rows.get(3);
        assertThat(stem.path()).isEqualTo("features.0.0");
        assertThat(stem.type()).isEqualTo("Conv2d");
        assertThat(stem.depth()).isEqualTo(3);
        assertThat(stem.depthIndex()).isEqualTo(1);
        assertThat(stem.inputShape()).containsExactly(1, 3, 244, 244);
        assertThat(stem.outputShape()).containsExactly(1, 32, 122, 122);
        assertThat(stem.kernelSize()).containsExactly(3, 3);
        assertThat(stem.macs()).isEqualTo(32L * 122 * 122 * 3 * 3 * 3);
        assertThat(rows).extracting(LayerInfo::path).contains("features.2.conv.1.0", "classifier");
    }

    /** The lesson's table: 2,226,434 / 2,562 / 2,223,872 / 196.40 / 0.71 / 20.12 / 8.91 / 29.74. */
    @Test void lessonNumbersUnderTorchinfo008() {
        ModelStatistics t = Torchinfo008.statistics(LayerTrace.collect(lessonModel(), AT_244), 3);
        assertThat(t.totalParams()).isEqualTo(2_226_434);
        assertThat(t.trainableParams()).isEqualTo(2_562);
        assertThat(t.nonTrainableParams()).isEqualTo(2_223_872);
        assertThat(t.multAdds()).isEqualTo(196_397_856L);
        assertThat(t.inputBytes()).isEqualTo(178_608L * 4);
        assertThat(t.activationBytes()).isEqualTo(5_030_724L * 4);        // 2 x outputs of hooked leaves with params
        assertThat(t.paramBytes()).isEqualTo(2_226_434L * 4);
    }

    /** conv 3->4, 3x3, on 5x5: 100 outputs x 27 MACs; BN allocates 100 more; in-place ReLU6 nothing. */
    @Test void honestActivationsCountEachNewTensorOnce() {
        Layer net = new Sequential(new Conv2d(3, 4, 3, 1, 1, false), new BatchNorm2d(4), new ReLU6());
        List<LayerInfo> rows = LayerTrace.collect(net, List.of(1, 3, 5, 5));
        assertThat(rows).extracting(LayerInfo::ownsOutput).containsExactly(false, true, true, false);
        ModelStatistics t = ModelStatistics.of(rows);
        assertThat(t.multAdds()).isEqualTo(2_700);
        assertThat(t.activationBytes()).isEqualTo(200 * 4);
        assertThat(t.totalParams()).isEqualTo(108 + 8);
    }

    @Test void traceRestoresTrainingMode() {
        MobileNetV2 m = new MobileNetV2(10);
        m.train(true);
        LayerTrace.collect(m, List.of(1, 3, 32, 32));
        assertThat(m.isTraining()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"default,0", "default,1", "default,2", "default,3", "default,4", "default,5",
            "torchinfo-0.0.8,1", "torchinfo-0.0.8,2", "torchinfo-0.0.8,3", "torchinfo-0.0.8,4"})
    void paramColumnSumsToTheTotals(String styleKey, int depth) {
        Style style = Style.byKey(styleKey).orElseThrow();
        MobileNetV2 m = new MobileNetV2(1000);
        m.freeze("features.3");
        SummaryOptions options = new SummaryOptions(style, depth, List.of(Column.NUM_PARAMS, Column.MULT_ADDS));
        Summary s = Summary.of(m, AT_224, options);

        long params = 0, frozen = 0, macs = 0;
        for (String[] cells : tableCells(s.table())) {
            long n = number(cells[0]);
            params += n;
            if (cells[0].startsWith("(")) frozen += n;
            macs += number(cells[1]);
        }
        assertThat(params).isEqualTo(s.statistics().totalParams()).isEqualTo(3_504_872);
        if (depth >= 2) assertThat(frozen).isEqualTo(s.statistics().nonTrainableParams()).isEqualTo(8_832);
        if (style == Style.DEFAULT) assertThat(macs).isEqualTo(s.statistics().multAdds()).isEqualTo(300_774_272L);
    }

    /** The cells after the name column of every layer row (between the second and third divider). */
    static List<String[]> tableCells(String table) {
        List<String> lines = table.lines().toList();
        int start = lines.get(1).indexOf("Param #");
        List<Integer> dividers = java.util.stream.IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).startsWith("=")).boxed().toList();
        return lines.subList(dividers.get(1) + 1, dividers.get(2)).stream()
                .map(l -> l.substring(start).strip().split(" +")).toList();
    }

    static long number(String cell) {
        return cell.equals("--") ? 0 : Long.parseLong(cell.replaceAll("[(),]", ""));
    }

    @Test void decimalsRoundLikePython() {
        assertThat(SummaryFormatter.fixed(196.397856, 2)).isEqualTo("196.40");
        assertThat(SummaryFormatter.fixed(1.005, 2)).isEqualTo("1.00");     // 1.00499999999999989...
        assertThat(SummaryFormatter.fixed(0.125, 2)).isEqualTo("0.12");     // exact tie: half to even
        assertThat(SummaryFormatter.fixed(0.375, 2)).isEqualTo("0.38");
        assertThat(SummaryFormatter.count(2_226_434)).isEqualTo("2,226,434");
    }
}
