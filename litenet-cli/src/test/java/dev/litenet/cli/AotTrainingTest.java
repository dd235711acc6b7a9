package dev.litenet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's AOT-cache training run, and its reading of predict's arguments. */
class AotTrainingTest {
    @Test void theWorkloadPredictsWithoutErrors(@TempDir Path dir) throws Exception {
        assertThat(AotTraining.run(dir)).isNotEmpty().containsOnly(Main.OK);
        assertThat(dir.resolve("photo.jpg")).isNotEmptyFile();
    }

    /** few_photos in ./litenet skips the value after each of predict's options that take one; it must know them all. */
    @Test void theLauncherKnowsWhichPredictOptionsTakeAValue() throws Exception {
        String launcher = Files.readString(Path.of("..", "litenet"));
        String line = launcher.lines().filter(l -> l.contains("PredictCommand's options with a value")).findFirst().orElseThrow();
        Set<String> listed = new java.util.TreeSet<>();
        for (Matcher m = Pattern.compile("1:(--[a-z-]+)\\)?").matcher(line); m.find(); ) listed.add(m.group(1));
        listed.remove("--");
        Set<String> valued = new CommandLine(new PredictCommand()).getCommandSpec().options().stream()
                .filter(o -> o.arity().max() > 0).map(OptionSpec::longestName).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(listed).isEqualTo(valued);
    }
}
