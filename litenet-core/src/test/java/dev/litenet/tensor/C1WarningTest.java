package dev.litenet.tensor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM that never compiles with C2 (Spring Boot's {@code spring-boot:run} adds {@code -XX:TieredStopAtLevel=1}) runs
 * Vector API code about 70 times slower than the scalar loops. A child JVM with the Vector API module and such a flag
 * keeps the scalar kernels and says why in one warning; the same JVM without the flag runs the Vector API kernels.
 */
class C1WarningTest {
    /** Run in the child JVM: which kernels the library chose. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println("vector=" + Simd.ENABLED);
        }
    }

    record Run(String stdout, List<String> warnings) {}

    private static Run child(String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes(), err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s");
        }
        String stderr = new String(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        return new Run(new String(out, StandardCharsets.UTF_8).strip(),
                stderr.lines().filter(l -> l.startsWith("WARNING: LiteNet")).toList());
    }

    @Test
    void tieredStopAtLevel1KeepsTheScalarKernelsWithOneWarning() throws IOException, InterruptedException {
        Run run = child("-XX:TieredStopAtLevel=1");
        assertThat(run.stdout()).isEqualTo("vector=false");
        assertThat(run.warnings()).containsExactly("WARNING: " + Simd.scalarReason(true, null, "-XX:TieredStopAtLevel=1"));
        assertThat(run.warnings().getFirst()).contains("70x slower", "4.5x slower", "optimizedLaunch");
    }

    @Test
    void theInterpreterKeepsTheScalarKernelsWithOneWarning() throws IOException, InterruptedException {
        Run run = child("-Xint");
        assertThat(run.stdout()).isEqualTo("vector=false");
        assertThat(run.warnings()).containsExactly("WARNING: " + Simd.scalarReason(true, null, "-Xint"));
    }

    @Test
    void aFullJvmRunsTheVectorKernelsSilently() throws IOException, InterruptedException {
        Run run = child();
        assertThat(run.stdout()).isEqualTo("vector=true");
        assertThat(run.warnings()).isEmpty();
    }
}
