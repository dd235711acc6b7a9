package dev.litenet.io;

import dev.litenet.tensor.TorchTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Safetensors#size} is the size of the file {@link Safetensors#write} writes, header padding included. */
class SafetensorsSizeTest {
    @TempDir Path dir;

    @Test void sizeIsTheWrittenFilesSize() throws IOException {
        for (int extra = 0; extra < 9; extra++) {                       // names of every length mod 8: every padding
            Map<String, TorchTensor> tensors = new LinkedHashMap<>();
            tensors.put("features.0.weight" + "x".repeat(extra), new TorchTensor(new int[]{3, 2}, new float[6]));
            tensors.put("fc.bias", new TorchTensor(new int[]{5}, new float[5]));
            tensors.put("num_batches_tracked", new TorchTensor(new int[0], new float[1]));
            for (Map<String, String> meta : java.util.List.of(Map.<String, String>of(), Map.of("format", "litenet"))) {
                Path f = dir.resolve("m" + extra + meta.size() + ".safetensors");
                Safetensors.write(f, tensors, meta);
                assertThat(Safetensors.size(tensors, meta)).as("extra %d, metadata %s", extra, meta).isEqualTo(Files.size(f));
            }
        }
    }
}
