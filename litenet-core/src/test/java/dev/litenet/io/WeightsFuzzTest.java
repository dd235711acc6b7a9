package dev.litenet.io;

import dev.litenet.models.TfliteMobileNetV1;
import dev.litenet.models.TfliteMobileNetV2;

import dev.litenet.Mutations;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.litenet.Shared;
import dev.litenet.tensor.TorchTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets for the weight readers (.pth zip and legacy, safetensors, TFLite): mutants of seeds made here
 * (and of the real uint8 TFLite MobileNetV2 and MobileNet V1 0.25/128 models) must parse or fail as one
 * BadInputException, in the fuzz JVM's small heap.
 * Mutants per target: {@code -Dfuzz.tries=N} (docs/SECURITY.md); {@link Mutations} is the harness.
 */
class WeightsFuzzTest {
    private static Path dir;
    private static byte[] torchZip, torchLegacy, safetensors, tflite, tfliteV1;

    @BeforeAll static void seeds() throws IOException {
        dir = Files.createTempDirectory("fuzz-weights");
        List<TinyTorchFiles.Spec> specs = List.of(
                new TinyTorchFiles.Spec("conv.weight", "FloatStorage", "0", 12, 0, new long[] {2, 3, 2}, new long[] {6, 2, 1}),
                new TinyTorchFiles.Spec("conv.view", "FloatStorage", "0", 12, 2, new long[] {2, 2}, new long[] {1, 3}),
                new TinyTorchFiles.Spec("bn.num_batches_tracked", "LongStorage", "1", 1, 0, new long[0], new long[0]));
        float[] values = new float[12];
        for (int i = 0; i < 12; i++) values[i] = i * 0.5f - 2;
        Map<String, byte[]> storages = new LinkedHashMap<>();
        storages.put("0", TinyTorchFiles.floats(values));
        storages.put("1", TinyTorchFiles.longs(7));
        Path zip = dir.resolve("seed.pth");
        TinyTorchFiles.writeZip(zip, "archive", TinyTorchFiles.stateDictPickle(specs, false), storages);
        torchZip = Files.readAllBytes(zip);
        Path legacy = dir.resolve("seed-legacy.pth");
        TinyTorchFiles.writeLegacy(legacy, TinyTorchFiles.stateDictPickle(specs, true), storages, Map.of("0", 4, "1", 8));
        torchLegacy = Files.readAllBytes(legacy);
        Path st = dir.resolve("seed.safetensors");
        Map<String, TorchTensor> tensors = new LinkedHashMap<>();
        tensors.put("features.0.weight", new TorchTensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("scalar", new TorchTensor(new int[0], new float[] {3}));
        tensors.put("classifier.1.bias", new TorchTensor(new int[] {2}, new float[] {0.5f, -0.5f}));
        Safetensors.write(st, tensors, Map.of("format", "pt"));
        safetensors = Files.readAllBytes(st);
        try {
            tflite = Files.readAllBytes(TfliteFiles.uint8());
            tfliteV1 = Files.readAllBytes(TfliteFiles.v1("0.25_128"));
        } catch (RuntimeException noSharedFolder) {
            tflite = null;
            tfliteV1 = null;
        }
    }


    @Test void torchZip() throws IOException {
        Path file = dir.resolve("mutant.pth");
        Mutations.fuzz("pth-zip", List.of(torchZip), file, () -> StateDicts.read(file));
    }

    @Test void torchLegacy() throws IOException {
        Path file = dir.resolve("mutant-legacy.pth");
        Mutations.fuzz("pth-legacy", List.of(torchLegacy), file, () -> StateDicts.read(file));
    }

    @Test void safetensors() throws IOException {
        Path file = dir.resolve("mutant.safetensors");
        Mutations.fuzz("safetensors", List.of(safetensors), file, () -> dev.litenet.models.Pretrained.load(file));
    }

    @Test void tflite() throws IOException {
        Assumptions.assumeTrue(tflite != null, "the real TFLite model is not here");
        Path file = dir.resolve("mutant.tflite");
        Mutations.fuzz("tflite", List.of(tflite), file, () -> TfliteMobileNetV2.toStateDict(TfliteFile.read(file)));
    }

    @Test void tfliteV1() throws IOException {
        Assumptions.assumeTrue(tfliteV1 != null, "the real TFLite model is not here");
        Path file = dir.resolve("mutant-v1.tflite");
        Mutations.fuzz("tflite-v1", List.of(tfliteV1), file, () -> TfliteMobileNetV1.toStateDict(TfliteFile.read(file)));
    }
}
