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

    /**
     * The launcher checks the AOT cache against the checksum (cksum) recorded beside it before each use: a damaged cache (the
     * JVM maps it and may crash on it) is removed and the command runs without it, with one line.
     */
    @Test void theLauncherNeverUsesADamagedCache(@TempDir Path dir) throws Exception {
        String launcher = Files.readString(Path.of("..", "litenet"));
        int from = launcher.indexOf("aot_intact() {"), to = launcher.indexOf("\n}\n", from) + 3;
        Path aot = dir.resolve("litenet-predict.aot");
        byte[] cache = new byte[100_000];
        new java.util.Random(1).nextBytes(cache);
        Files.write(aot, cache);
        String script = launcher.substring(from, to) + "aot='" + aot + "'\n"
                + "cksum <\"$aot\" >\"$aot.cksum\"; touch \"$aot.for\"\n"
                + "aot_intact && echo intact\n"
                + "printf '\\x00\\x01' | dd of=\"$aot\" bs=1 seek=5000 conv=notrunc status=none\n"
                + "aot_intact || echo damaged\n"
                + "[ -e \"$aot\" ] || [ -e \"$aot.for\" ] || echo removed\n";
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.lines().toList()).as(out).containsExactly("intact",
                "litenet: the start-up cache " + aot + " is damaged; running without it (it is made again next time)", "damaged", "removed");
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
