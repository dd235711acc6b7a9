package dev.litenet.data;

import dev.litenet.Mutations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Fuzz targets for the dataset readers: IDX (raw and gzip) and image decoding followed by the torchvision and
 * TFLite preprocessing. Seeds are made here: small JPEG, PNG, GIF and BMP pictures, a tiny IDX image array.
 */
class DataFuzzTest {
    private static Path dir;
    private static List<byte[]> images, idx;

    @BeforeAll static void seeds() throws IOException {
        dir = Files.createTempDirectory("fuzz-data");
        BufferedImage picture = new BufferedImage(20, 12, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 12; y++) for (int x = 0; x < 20; x++) picture.setRGB(x, y, x * 12 << 16 | y * 20 << 8 | (x ^ y) * 9);
        images = List.of(HostileImagesTest.encode(picture, "jpeg"), HostileImagesTest.encode(picture, "png"),
                HostileImagesTest.encode(picture, "gif"), HostileImagesTest.encode(picture, "bmp"));
        ByteBuffer raw = ByteBuffer.allocate(16 + 2 * 4 * 4).putInt(0x00000803).putInt(2).putInt(4).putInt(4);
        for (int i = 0; i < 32; i++) raw.put((byte) (i * 7));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw.array());
        }
        idx = List.of(raw.array(), gz.toByteArray());
    }


    @Test void idx() throws IOException {
        Path file = dir.resolve("mutant-idx3-ubyte");
        Mutations.fuzz("idx", idx, file, () -> IdxFile.read(file));
    }

    /** Decode, then both evaluation pipelines, without {@link Pipeline#apply(Path, java.util.random.RandomGenerator)}'s memory guard. */
    @Test void image() throws IOException {
        Path file = dir.resolve("mutant.img");
        Mutations.fuzz("image", images, file, () -> {
            FloatImage decoded = FloatImage.of(ImageDecoder.decode(file));
            Preprocess.TORCHVISION_IMAGENET.pipeline().apply(decoded, new SplittableRandom(0));
            return Preprocess.TFLITE_MOBILENET.pipeline().apply(decoded, new SplittableRandom(0));
        });
    }
}
