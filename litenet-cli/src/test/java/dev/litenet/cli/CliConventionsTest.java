package dev.litenet.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** What every command shares: --help, named value placeholders, one flag name per meaning, suggestions for typos. */
class CliConventionsTest {
    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** A download that cannot connect is not bad input: its own line and exit code 3, no stack trace. */
    @Test
    void unavailableWeightsHaveTheirOwnExitCode() {
        StringWriter err = new StringWriter();
        int code = Main.failed(new dev.litenet.WeightsUnavailableException("download of x.tflite from https://example.org/x.tflite "
                + "failed: cannot connect (ConnectException)", new java.net.ConnectException()), new PrintWriter(err, true));
        assertThat(code).isEqualTo(Main.WEIGHTS_UNAVAILABLE).isEqualTo(3);
        assertThat(err.toString()).isEqualTo("litenet: weights unavailable: download of x.tflite from https://example.org/x.tflite "
                + "failed: cannot connect (ConnectException)" + System.lineSeparator());
        assertThat(Main.failed(new dev.litenet.BadInputException("no"), new PrintWriter(new StringWriter()))).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void aNamedSubcommandGetsARootOfItsOwnThatMatchesTheFullOne() {
        CommandLine full = new CommandLine(new Main());
        CommandLine one = Main.commandLine("predict", "x.jpg");
        assertThat(one.getSubcommands()).containsOnlyKeys("predict");
        assertThat(one.getCommandName()).isEqualTo(full.getCommandName());
        assertThat(one.getCommandSpec().version()).isEqualTo(full.getCommandSpec().version());
        assertThat(one.getCommandSpec().usageMessage().description()).isEqualTo(full.getCommandSpec().usageMessage().description());
        assertThat(Main.commandLine("prdict").getSubcommands()).containsKeys("predict", "train", "help");
        assertThat(Main.commandLine().getSubcommands()).containsKeys("predict", "train", "help");
        assertThat(Main.commandLine("help", "predict").getSubcommands()).containsKeys("predict", "train", "help");
        full.getSubcommands().keySet().stream().filter(n -> !n.equals("help"))
                .forEach(n -> assertThat(Main.commandLine(n).getSubcommands()).as(n).containsOnlyKeys(n));
    }

    @Test
    void everyCommandHasHelpAndNamedValuePlaceholders() {
        CommandLine root = new CommandLine(new Main());
        assertThat(root.getSubcommands()).containsKeys("summary", "train", "eval", "predict", "forward", "compare", "bench");
        root.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) return;
            String[] r = run(name, "--help");
            assertThat(r[0]).as(name).isEqualTo("0");
            assertThat(r[1]).as(name).contains("Usage: litenet " + name);
            assertThat(r[1].lines()).as(name + " help lines fit 80 columns").allMatch(l -> l.length() <= 80);
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.arity().max() == 0) continue;
                assertThat(o.paramLabel()).as(name + " " + o.longestName()).matches("<[A-Za-z0-9_|,.]+>");
            }
        });
    }

    @Test
    void theSameMeaningHasTheSameFlag() {
        CommandLine root = new CommandLine(new Main());
        for (String name : new String[] {"predict", "eval", "bench", "train"}) {
            assertThat(root.getSubcommands().get(name).getCommandSpec().findOption("--batch-size")).as(name).isNotNull();
            assertThat(root.getSubcommands().get(name).getCommandSpec().findOption("--batch")).as(name).isNull();
        }
    }

    @Test
    void aMistypedOptionGetsTheClosestOneSuggested() {
        String[] r = run("train", "--data", "d", "--weights", "w", "--out", "o", "--epoch", "3");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--epoch").contains("--epochs");
    }

    @Test
    void outOfMemoryNamesWhatWasReadAndTheCommandsOption() {
        String named = Main.outOfMemory("predict", dev.litenet.io.Budget.whileReading(java.nio.file.Path.of("big.jpg"), new OutOfMemoryError("Java heap space")));
        assertThat(named).startsWith("litenet predict: out of memory while reading big.jpg (Java heap limit ")
                .contains("use a smaller --batch-size").contains("LITENET_JAVA_OPTS=");
        assertThat(Main.outOfMemory("forward", new OutOfMemoryError("Java heap space"))).contains("--shape").doesNotContain("while reading");
        assertThat(Main.outOfMemory("summary", new OutOfMemoryError("Java heap space"))).doesNotContain("--batch-size");
    }
}
