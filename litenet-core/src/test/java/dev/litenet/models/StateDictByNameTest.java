package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.nn.Parameter;
import dev.litenet.tensor.TorchTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A torchvision state_dict loads by name: the fixture's entries (torchvision's names and shapes, {@link ZooFixture})
 * handed to {@link StateDict#load} in reverse order land where the fixture's in-order fill puts them, and a
 * state_dict of another width is refused.
 */
class StateDictByNameTest {
    static Map<String, TorchTensor> reversedStateDict(ZooFixture fixture) {
        List<ZooFixture.Entry> entries = fixture.state();
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        for (int j = entries.size() - 1; j >= 0; j--) sd.put(entries.get(j).name(), new TorchTensor(entries.get(j).shape(), fixture.values(j)));
        return sd;
    }

    /** The network without its initial weights (every entry is overwritten here). */
    static Network uninitialized(String arch) {
        Architecture.Config c = new Architecture.Config(arch, 1000);
        return switch (arch) {
            case "resnet50" -> ResNet.resnet50(c);
            case "shufflenet_v2_x0_5" -> ShuffleNetV2.x0_5(c);
            case "shufflenet_v2_x1_0" -> ShuffleNetV2.x1_0(c);
            default -> throw new IllegalArgumentException(arch);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0"})
    void loadsByName(String arch) {
        ZooFixture fixture = ZooFixture.load(arch);
        Network byName = uninitialized(arch);
        StateDict.load(byName, reversedStateDict(fixture), arch + ".pth");
        Map<String, Parameter> inOrder = fixture.fill(uninitialized(arch)).stateEntries();
        byName.stateEntries().forEach((name, p) ->                     // -1: no index where the two differ
                assertThat(Arrays.mismatch(p.data, inOrder.get(name).data)).as(name).isEqualTo(-1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"shufflenet_v2_x0_5", "shufflenet_v2_x1_0"})
    void anotherWidthIsRefused(String arch) {
        Map<String, TorchTensor> sd = reversedStateDict(ZooFixture.load(arch));
        String other = arch.endsWith("0_5") ? "shufflenet_v2_x1_0" : "shufflenet_v2_x0_5";
        assertThatThrownBy(() -> StateDict.load(uninitialized(other), sd, arch + ".pth"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("stage2.0.branch1.2.weight: shape");
    }
}
