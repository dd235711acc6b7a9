package dev.litenet.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The choice between the Vector API and the scalar kernels, and the line that explains it. */
class SimdTest {
    @Test
    void vectorKernelsRunWhenTheModuleIsPresent() {
        assertThat(Simd.scalarReason(true, null, null)).isNull();
        assertThat(Simd.scalarReason(true, "true", null)).isNull();
    }

    @Test
    void withoutTheModuleOneLineSaysTheCostAndHowToEnableIt() {
        assertThat(Simd.scalarReason(false, null, null)).isEqualTo(MISSING_MODULE);
    }

    static final String MISSING_MODULE = "LiteNet: jdk.incubator.vector not found; running scalar kernels, about 4.5x "
            + "slower than the Vector API ones once warm. Add --add-modules jdk.incubator.vector to the java command (or "
            + "to JDK_JAVA_OPTIONS) for the fast path.";

    @Test
    void thePropertyTurnsThemOff() {
        assertThat(Simd.scalarReason(true, "false", null)).isEqualTo("LiteNet: -Dlitenet.simd=false; running scalar kernels.");
        assertThat(Simd.scalarReason(false, "FALSE", null)).isEqualTo("LiteNet: -Dlitenet.simd=false; running scalar kernels.");
    }

    /** C1 alone ({@code -XX:TieredStopAtLevel=1..3}) or the interpreter never compile Vector API code well. */
    @Test
    void aJvmWithoutC2IsACompilerLimit() {
        assertThat(Simd.compilerLimit("mixed mode, sharing", "true", "4")).isNull();
        assertThat(Simd.compilerLimit("mixed mode, sharing", "true", "1")).isEqualTo("-XX:TieredStopAtLevel=1");
        assertThat(Simd.compilerLimit("mixed mode", "true", "3")).isEqualTo("-XX:TieredStopAtLevel=3");
        assertThat(Simd.compilerLimit("mixed mode", "false", "1")).as("C2 alone ignores the level").isNull();
        assertThat(Simd.compilerLimit("interpreted mode, sharing", "true", "4")).isEqualTo("-Xint");
        assertThat(Simd.compilerLimit("mixed mode", null, null)).isNull();
        assertThat(Simd.scalarReason(true, null, "-XX:TieredStopAtLevel=1")).startsWith(
                "LiteNet: this JVM runs with -XX:TieredStopAtLevel=1, so it never compiles with C2").contains("optimizedLaunch");
    }

    /** Surefire runs with {@code --add-modules jdk.incubator.vector}: the other kernel tests then test the fast path. */
    @Test
    void testsRunTheVectorKernels() {
        assumeTrue(System.getProperty(Simd.PROPERTY) == null, "-Dlitenet.simd is set");
        assertThat(Simd.ENABLED).isTrue();
    }
}
