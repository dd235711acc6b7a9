package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code litenet summary} end to end: the lesson's table, golden tables, and one clear error per bad argument. */
class SummaryCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run ok(String... args) {
        Run r = run(args);
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        return r;
    }

    /** The fixture's whitespace was collapsed when it was copied; compare lines with runs of spaces squeezed. */
    static List<String> squeezed(String text) {
        return text.lines().map(l -> l.replaceAll(" +", " ").strip()).toList();
    }

    static final String[] LESSON = {"summary", "--head", "2", "--freeze", "features", "--input-size", "1,3,244,244",
            "--style", "torchinfo-0.0.8"};

    @Test void lessonTableMatchesTheLesson() throws IOException {
        String lesson = Files.readString(Shared.path("fixtures/lesson_summary_244.txt"));
        String table = ok(LESSON).out();
        assertThat(squeezed(table)).containsExactlyElementsOf(squeezed(lesson));
        Golden.assertMatches("lesson_244_torchinfo-0.0.8.txt", table);
    }

    @Test void lessonTableKeepsTorchinfoPadding() {
        List<String> lines = ok(LESSON).out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("=".repeat(90));
        assertThat(lines.get(1)).isEqualTo("Layer (type:depth-idx)                   Output Shape              Param #");
        assertThat(lines.get(4)).isEqualTo("|    └─ConvBNReLU: 2-1                   [1, 32, 122, 122]         --");
        assertThat(lines.get(5)).isEqualTo("|    |    └─Conv2d: 3-1                  [1, 32, 122, 122]         (864)");
        assertThat(lines).contains("├─Linear: 1-2                            [1, 2]                    2,562");
    }

    @Test void theIssuesCommandWithNumClassesAlsoPrintsTheLessonTable() throws IOException {
        String lesson = Files.readString(Shared.path("fixtures/lesson_summary_244.txt"));
        Run r = ok("summary", "--num-classes", "2", "--freeze", "features", "--input-size", "1,3,244,244",
                "--style", "torchinfo-0.0.8");
        assertThat(squeezed(r.out())).containsExactlyElementsOf(squeezed(lesson));
    }

    @Test void mobilenetV2At224() throws IOException {
        String table = ok("summary").out();
        assertThat(table).contains("Total params: 3,504,872\n", "Total mult-adds (M): 300.77\n");
        Golden.assertMatches("mobilenet_v2_224.txt", table);
    }

    @Test void mobilenetV2At224AllColumns() throws IOException {
        Golden.assertMatches("mobilenet_v2_224_all_columns.txt", ok("summary", "--columns",
                "input_size,output_size,kernel_size,num_params,params_percent,mult_adds,trainable").out());
    }

    @Test void widthHalf() throws IOException {
        String table = ok("summary", "--width-mult", "0.5", "--columns", "output_size,num_params,mult_adds").out();
        assertThat(table).contains("Total params: 1,968,680\n", "Total mult-adds (M): 97.13\n");
        Golden.assertMatches("mobilenet_v2_224_width_0.5.txt", table);
    }

    @Test void frozenAndTrainableMix() throws IOException {
        String table = ok("summary", "--num-classes", "10", "--freeze", "features.0", "--freeze", "features.1",
                "--freeze", "features.2.conv.0", "--depth", "2",
                "--columns", "output_size,num_params,params_percent,trainable").out();
        assertThat(table).contains("Partial", "False", "True", "(928)");
        Golden.assertMatches("mobilenet_v2_frozen_mix_depth2.txt", table);
    }

    @Test void frozenMixInTheOldStyleMarksAnyFrozenLayer() throws IOException {
        Golden.assertMatches("mobilenet_v2_frozen_mix_torchinfo-0.0.8.txt", ok("summary", "--head", "5",
                "--freeze", "features.2.conv.0", "--style", "torchinfo-0.0.8",
                "--columns", "kernel_size,output_size,num_params,mult_adds").out());
    }

    @Test void jsonOfTheLessonModel() throws IOException {
        String json = ok("summary", "--head", "2", "--freeze", "features", "--input-size", "1,3,244,244",
                "--depth", "1", "--json").out();
        @SuppressWarnings("unchecked")
        var totals = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) dev.litenet.io.Json.parse(json)).get("totals");
        assertThat(totals).containsEntry("total_params", 2226434L).containsEntry("trainable_params", 2562L)
                .containsEntry("mult_adds", 378291712L);
        Golden.assertMatches("lesson_244.json", json);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--input-size 1,3,0,0              | every dimension must be at least 1",
            "--input-size 1,3,224              | must be N,C,H,W",
            "--input-size 1,3,a,224            | must be N,C,H,W",
            "--input-size 1,4,224,224          | does not fit mobilenet_v2",
            "--input-size 64,3,1024,1024       | too large",
            "--arch resnet9000                 | unknown model 'resnet9000'",
            "--columns output_size,flops       | unknown column 'flops'",
            "--columns trainable --style torchinfo-0.0.8 | column trainable does not exist in style torchinfo-0.0.8",
            "--columns num_params,num_params   | listed twice",
            "--depth -1                        | --depth must be 0 or more",
            "--depth three                     | --depth",
            "--style keras                     | unknown --style 'keras'",
            "--freeze backbone                 | --freeze 'backbone' matches no parameter",
            "--head 0                          | must be 1 to",
            "--num-classes 2 --head 2          | not both",
            "--width-mult 0                    | --width-mult must be above 0",
    })
    void badArgumentsGiveOneClearErrorAndExitCode2(String args, String message) {
        String[] argv = ("summary " + args.strip()).split(" +");
        Run r = run(argv);
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("litenet: ").contains(message);
    }

    @Test void badArgumentMessagesAreOneLine() {
        Run r = run("summary", "--input-size", "1,3,0,0");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test void helpExplainsTheHeads() {
        Run r = ok("summary", "--help");
        assertThat(r.out()).contains("--num-classes", "--head", "torchinfo-0.0.8", "Linear(last, N)");
    }
}
