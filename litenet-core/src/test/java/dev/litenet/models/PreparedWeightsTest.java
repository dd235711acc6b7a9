package dev.litenet.models;

import dev.litenet.Shared;
import dev.litenet.nn.Parameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The prepared-weights cache gives back the model it was given, and trusts no damaged or foreign file. */
class PreparedWeightsTest {
    static final String SHA = KnownWeights.MOBILENET_V2_1_0_224_QUANT.sha256();     // only known checkpoints are prepared
    static Model pretrained;

    @BeforeAll
    static void load() { pretrained = Pretrained.load(Shared.quantWeights()); }

    static PreparedWeights.Prepared prepared() { return new PreparedWeights.Prepared(pretrained.network(), pretrained.preprocess(), false); }

    @Test
    void givesBackTheSameModel(@TempDir Path dir) {
        PreparedWeights.write(dir, SHA, prepared());
        PreparedWeights.Prepared back = PreparedWeights.read(dir, SHA);
        assertThat(back).isNotNull();
        assertThat(back.preprocess()).isEqualTo(pretrained.preprocess());
        Map<String, Parameter> expected = pretrained.network().stateEntries(), actual = back.network().stateEntries();
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, p) -> assertThat(actual.get(name).data).as(name).isEqualTo(p.data));
        float[] image = new float[224 * 224 * 3];
        for (int i = 0; i < image.length; i++) image[i] = (i % 251) / 125f - 1;
        var x = new dev.litenet.tensor.Tensor(image, 1, 224, 224, 3);
        // TF SAME padding came back too: the same logits to the bit
        assertThat(back.network().fused().call(x).data).isEqualTo(pretrained.network().fused().call(x).data);
    }

    @Test
    void ignoresDamagedTruncatedAndForeignFiles(@TempDir Path dir) throws IOException {
        assertThat(PreparedWeights.read(dir, SHA)).as("absent").isNull();
        PreparedWeights.write(dir, SHA, prepared());
        Path file = dir.resolve(SHA + ".lnpw");
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(file, flipped);
        assertThat(PreparedWeights.read(dir, SHA)).as("one bit flipped").isNull();

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
        assertThat(PreparedWeights.read(dir, SHA)).as("truncated").isNull();

        // a well-formed header that claims 100,000 classes in a few bytes is refused before any model is built
        byte[] arch = "mobilenet_v2".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(40 + arch.length).order(ByteOrder.LITTLE_ENDIAN).putInt(0x57504e4c).putInt(3)
                .putInt(arch.length).put(arch).putFloat(1f).putInt(100_000).putInt(0).putInt(1);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(b.position(), crc.getValue());
        Files.write(file, java.util.Arrays.copyOf(b.array(), b.position() + 8));
        assertThat(PreparedWeights.read(dir, SHA)).as("a claim the file cannot hold").isNull();

        PreparedWeights.write(dir, "ab".repeat(32), prepared());
        assertThat(PreparedWeights.read(dir, "ab".repeat(32))).as("a file of no known checkpoint").isNull();

        Files.write(file, good);
        assertThat(PreparedWeights.read(dir, SHA)).as("written again").isNotNull();
    }
}
