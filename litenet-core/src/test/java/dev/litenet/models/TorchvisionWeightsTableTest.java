package dev.litenet.models;

import dev.litenet.data.Preprocess;
import dev.litenet.data.Resize;
import dev.litenet.io.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * torchvision 0.14's table of ImageNet weights for the zoo's architectures ({@code fixtures/zoo/torchvision_weights.json},
 * from {@code tools/make_zoo_fixtures.py}) against what LiteNet knows: every entry of the table is a torchvision entry
 * of {@link KnownWeights} and the other way round, and they agree on hash prefix, parameter count, scores and
 * preprocessing (resize, crop, filter, mean and std).
 */
class TorchvisionWeightsTableTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> entries() throws IOException {
        try (InputStream in = TorchvisionWeightsTableTest.class.getResourceAsStream("/fixtures/zoo/torchvision_weights.json")) {
            Map<String, Object> json = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Map<String, Object>> out = new ArrayList<>();
            ((Map<String, Object>) json.get("architectures")).values()
                    .forEach(arch -> out.addAll((List<Map<String, Object>>) ((Map<String, Object>) arch).get("weights")));
            return out;
        }
    }

    @Test
    void everyHashPrefixIsTorchHubs() throws IOException {
        List<Map<String, Object>> entries = entries();
        assertThat(entries).hasSizeGreaterThanOrEqualTo(11);
        for (Map<String, Object> e : entries) {
            assertThat(WeightsInfo.torchHubHashPrefix((String) e.get("file"))).as((String) e.get("enum")).isEqualTo(e.get("hash_prefix"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void knownTorchvisionWeightsAreTorchvisions() throws IOException {
        List<Map<String, Object>> entries = entries();
        List<WeightsInfo> known = KnownWeights.all().stream().filter(w -> w.format() == WeightsFormat.PTH).toList();
        assertThat(known.stream().map(w -> w.url().toString()).sorted().toList()).as("torchvision entries of KnownWeights")
                .isEqualTo(entries.stream().map(e -> (String) e.get("url")).sorted().toList());
        for (WeightsInfo w : known) {
            Map<String, Object> t = entries.stream().filter(e -> e.get("url").equals(w.url().toString())).findFirst().orElseThrow();
            Map<String, Object> transforms = (Map<String, Object>) t.get("transforms");
            int resize = ((Number) ((List<?>) transforms.get("resize_size")).getFirst()).intValue();
            int crop = ((Number) ((List<?>) transforms.get("crop_size")).getFirst()).intValue();
            Resize.Interpolation filter = Resize.Interpolation.valueOf(((String) transforms.get("interpolation")).toUpperCase(Locale.ROOT));
            assertThat(w.sha256Prefix()).as(w.name()).isEqualTo(t.get("hash_prefix"));
            assertThat(w.numParams()).as(w.name()).isEqualTo(((Number) t.get("num_params")).longValue());
            assertThat(w.metrics()).as(w.name()).containsEntry("acc@1", (Double) t.get("acc@1")).containsEntry("acc@5", (Double) t.get("acc@5"));
            assertThat(transforms.get("mean")).as(w.name()).isEqualTo(List.of(0.485, 0.456, 0.406));    // Normalize.IMAGENET
            assertThat(transforms.get("std")).as(w.name()).isEqualTo(List.of(0.229, 0.224, 0.225));
            assertThat(w.preprocessing()).as(w.name()).isEqualTo(Preprocess.torchvision(resize, crop, filter));
        }
    }
}
