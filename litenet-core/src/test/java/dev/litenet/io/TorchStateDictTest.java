package dev.litenet.io;

import dev.litenet.tensor.TorchTensor;

import dev.litenet.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static dev.litenet.io.TinyTorchFiles.Spec;
import static org.assertj.core.api.Assertions.assertThat;

/** Reading torch.save state_dicts: the real torchvision MobileNetV2 in both formats, and tiny hand-made files. */
class TorchStateDictTest {
    private static final String FIXTURES = "fixtures/mobilenet_v2/";

    @Test
    void zipAndLegacyMobileNetV2GiveTheSameTorchvisionStateDict() {
        LinkedHashMap<String, TorchTensor> zip = TorchStateDict.read(Shared.path(FIXTURES + "mobilenet_v2_calib.pth"));
        LinkedHashMap<String, TorchTensor> legacy = TorchStateDict.read(Shared.path(FIXTURES + "mobilenet_v2_calib_legacy.pth"));

        assertThat(zip).hasSize(314);
        long parameters = zip.entrySet().stream()
                .filter(e -> !e.getKey().endsWith("running_mean") && !e.getKey().endsWith("running_var") && !e.getKey().endsWith("num_batches_tracked"))
                .mapToLong(e -> e.getValue().numel()).sum();
        assertThat(parameters).isEqualTo(3_504_872L);
        assertThat(zip.keySet()).first().isEqualTo("features.0.0.weight");
        assertThat(zip.keySet()).last().isEqualTo("classifier.1.bias");
        assertThat(zip.get("features.0.0.weight").shape()).containsExactly(32, 3, 3, 3);
        assertThat(zip.get("classifier.1.weight").shape()).containsExactly(1000, 1280);
        float[] runningVar = zip.get("features.0.1.running_var").data();
        assertThat(runningVar).hasSize(32);
        for (float v : runningVar) assertThat(v).isPositive();
        TorchTensor tracked = zip.get("features.0.1.num_batches_tracked");
        assertThat(tracked.shape()).isEmpty();
        assertThat(tracked.data()).containsExactly(1f);

        assertSameTensors(legacy, zip);
    }

    @Test
    void valuesMatchTheRawStorageBytesInTheArchive() throws IOException {
        Path file = Shared.path(FIXTURES + "mobilenet_v2_calib.pth");
        byte[] raw;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            raw = zip.getInputStream(zip.getEntry("mobilenet_v2_calib/data/0")).readAllBytes();
        }
        assertThat(raw).hasSize(32 * 3 * 3 * 3 * 4);
        float first = Float.intBitsToFloat((raw[0] & 0xff) | (raw[1] & 0xff) << 8 | (raw[2] & 0xff) << 16 | (raw[3] & 0xff) << 24);
        assertThat(first).isEqualTo(0.004847908392548561f);

        float[] weight = TorchStateDict.read(file).get("features.0.0.weight").data();
        assertThat(weight[0]).isEqualTo(first);
        for (int i = 0; i < weight.length; i++) {
            int b = 4 * i;
            int bits = (raw[b] & 0xff) | (raw[b + 1] & 0xff) << 8 | (raw[b + 2] & 0xff) << 16 | (raw[b + 3] & 0xff) << 24;
            assertThat(weight[i]).isEqualTo(Float.intBitsToFloat(bits));
        }
        assertThat(weight[weight.length - 1]).isEqualTo(-0.00927159283310175f);
    }

    /** Views, shared storages and every storage type, written as zip and as legacy: both read the same. */
    @Test
    void tinyFilesWithStridesOffsetsAndDtypes(@TempDir Path dir) throws IOException {
        List<Spec> specs = List.of(
                new Spec("transposed", "FloatStorage", "0", 6, 0, new long[]{3, 2}, new long[]{1, 3}),
                new Spec("every_other", "FloatStorage", "0", 6, 1, new long[]{2}, new long[]{2}),
                new Spec("half", "HalfStorage", "1", 3, 0, new long[]{3}, new long[]{1}),
                new Spec("bf16", "BFloat16Storage", "2", 2, 0, new long[]{2}, new long[]{1}),
                new Spec("long", "LongStorage", "3", 2, 0, new long[]{2}, new long[]{1}),
                new Spec("scalar", "IntStorage", "4", 1, 0, new long[]{}, new long[]{}),
                new Spec("double_tail", "DoubleStorage", "5", 3, 1, new long[]{1, 2}, new long[]{2, 1}),
                new Spec("empty", "FloatStorage", "6", 0, 0, new long[]{0, 4}, new long[]{4, 1}));
        Map<String, byte[]> storages = new LinkedHashMap<>();
        storages.put("0", TinyTorchFiles.floats(0, 1, 2, 3, 4, 5));
        storages.put("1", TinyTorchFiles.shorts(0x3C00, 0xC000, 0x3800));     // 1, -2, 0.5 in float16
        storages.put("2", TinyTorchFiles.shorts(0x3F80, 0xC040));             // 1, -3 in bfloat16
        storages.put("3", TinyTorchFiles.longs(7, -1));
        storages.put("4", TinyTorchFiles.ints(42));
        storages.put("5", TinyTorchFiles.doubles(0.125, 0.25, 0.5));
        storages.put("6", new byte[0]);
        Map<String, Integer> sizes = Map.of("0", 4, "1", 2, "2", 2, "3", 8, "4", 4, "5", 8, "6", 4);

        Path zip = dir.resolve("tiny.pth");
        TinyTorchFiles.writeZip(zip, "tiny", TinyTorchFiles.stateDictPickle(specs, false), storages);
        Path legacy = dir.resolve("tiny_legacy.pth");
        TinyTorchFiles.writeLegacy(legacy, TinyTorchFiles.stateDictPickle(specs, true), storages, sizes);

        for (Path file : List.of(zip, legacy)) {
            LinkedHashMap<String, TorchTensor> sd = TorchStateDict.read(file);
            assertThat(sd.keySet()).containsExactly("transposed", "every_other", "half", "bf16", "long", "scalar", "double_tail", "empty");
            assertThat(sd.get("transposed").shape()).containsExactly(3, 2);
            assertThat(sd.get("transposed").data()).containsExactly(0, 3, 1, 4, 2, 5);
            assertThat(sd.get("every_other").data()).containsExactly(1, 3);
            assertThat(sd.get("half").data()).containsExactly(1f, -2f, 0.5f);
            assertThat(sd.get("bf16").data()).containsExactly(1f, -3f);
            assertThat(sd.get("long").data()).containsExactly(7f, -1f);
            assertThat(sd.get("scalar").shape()).isEmpty();
            assertThat(sd.get("scalar").data()).containsExactly(42f);
            assertThat(sd.get("double_tail").shape()).containsExactly(1, 2);
            assertThat(sd.get("double_tail").data()).containsExactly(0.25f, 0.5f);
            assertThat(sd.get("empty").shape()).containsExactly(0, 4);
            assertThat(sd.get("empty").data()).isEmpty();
            assertThat(sd.get("transposed").data()).isNotSameAs(sd.get("every_other").data());
        }
    }

    static void assertSameTensors(Map<String, TorchTensor> actual, Map<String, TorchTensor> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name).shape()).as(name).isEqualTo(expected.get(name).shape());
            assertThat(actual.get(name).data()).as(name).isEqualTo(expected.get(name).data());
        }
    }

}
