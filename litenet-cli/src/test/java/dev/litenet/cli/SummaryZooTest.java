package dev.litenet.cli;

import dev.litenet.io.Json;
import dev.litenet.models.Architectures;
import dev.litenet.models.ZooFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code litenet summary --arch NAME} prints torchvision's numbers for every torchvision architecture of the zoo: the
 * parameter count torchvision reports and the multiply-adds of its convolutions and linear layers at 224, both
 * measured with torchvision itself (the zoo fixtures, tools/make_zoo_fixtures.py), within the rounding of the GFLOPS
 * torchvision's documentation lists.
 */
class SummaryZooTest {
    static List<String> torchvisionArchitectures() {
        return Architectures.all().stream().map(a -> a.name()).filter(n -> !n.equals("mobilenet_v1")).toList();
    }

    @ParameterizedTest(name = "{0}") @MethodSource("torchvisionArchitectures") @SuppressWarnings("unchecked")
    void parametersAndMultiplyAddsAreTorchvisions(String arch) {
        ZooFixture torchvision = ZooFixture.load(arch);
        String[] r = TrainCommandTest.run("summary", "--arch", arch, "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        Map<String, Object> totals = (Map<String, Object>) ((Map<String, Object>) Json.parse(r[1])).get("totals");
        assertThat(((Number) totals.get("total_params")).longValue()).isEqualTo(torchvision.numParams());
        long macs = ((Number) totals.get("mult_adds")).longValue();
        assertThat(macs).isEqualTo(torchvision.multiplyAdds224());
        assertThat(macs / 1e9).isCloseTo(torchvision.documentedGflops(), org.assertj.core.data.Offset.offset(0.005));   // the docs round
        String table = TrainCommandTest.run("summary", "--arch", arch)[1];
        assertThat(table).contains(String.format("Total params: %,d", torchvision.numParams()));
    }
}
