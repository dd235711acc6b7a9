package dev.litenet.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The choice between the Vector API and the scalar kernels, and the line that explains it. */
class SimdTest {
    @Test
    void vectorKernelsRunWhenTheModuleIsPresent() {
        assertThat(Simd.scalarReason(true, null)).isNull();
        assertThat(Simd.scalarReason(true, "true")).isNull();
    }

    @Test
    void withoutTheModuleOneLineSaysHowToEnableIt() {
        assertThat(Simd.scalarReason(false, null)).isEqualTo("LiteNet: jdk.incubator.vector not found; running scalar "
                + "kernels. Add --add-modules jdk.incubator.vector for the fast path.");
    }

    @Test
    void thePropertyTurnsThemOff() {
        assertThat(Simd.scalarReason(true, "false")).isEqualTo("LiteNet: -Dlitenet.simd=false; running scalar kernels.");
        assertThat(Simd.scalarReason(false, "FALSE")).isEqualTo("LiteNet: -Dlitenet.simd=false; running scalar kernels.");
    }

    /** Surefire runs with {@code --add-modules jdk.incubator.vector}: the other kernel tests then test the fast path. */
    @Test
    void testsRunTheVectorKernels() {
        assumeTrue(System.getProperty(Simd.PROPERTY) == null, "-Dlitenet.simd is set");
        assertThat(Simd.ENABLED).isTrue();
    }
}
