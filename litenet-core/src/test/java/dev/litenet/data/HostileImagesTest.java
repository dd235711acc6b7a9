package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.HostileFiles;
import dev.litenet.io.Budget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue classes 3, 4, 5, 6 and 1 (IDX) for images and datasets: extreme aspect ratios, non-regular files, bytes
 * after a JPEG's end, tiny files declaring huge pictures, a gzip IDX declaring 2e9 pixels. All inputs made here.
 */
class HostileImagesTest {
    @TempDir Path dir;

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private Path png(String name, int width, int height) throws IOException {
        return Files.write(dir.resolve(name), encode(new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR), "png"));
    }

    @Test void anExtremeAspectRatioIsOneBadImageNamingTheFile() throws IOException {
        Path thin = png("thin.png", 20_000, 1);
        Pipeline torchvision = Preprocess.TORCHVISION_IMAGENET.pipeline();
        assertThatThrownBy(() -> torchvision.apply(thin, new SplittableRandom(0))).isInstanceOf(BadInputException.class)
                .hasMessage(thin + ": image of 5120000x256 pixels is over the budget of " + Budget.IMAGE_PIXELS + " pixels");
        FloatImage squeezed = Preprocess.TFLITE_MOBILENET.pipeline().apply(thin, new SplittableRandom(0));
        assertThat(squeezed.height()).isEqualTo(224);
        Path tall = png("tall.png", 1, 3_000_000);
        assertThatThrownBy(() -> torchvision.apply(tall, new SplittableRandom(0))).hasMessageStartingWith(tall + ": image of 256x768000000");
    }

    @Test void theBatchLoaderSkipsAnImageThatIsOverBudgetOnlyAfterResizingAndGoesOn() throws IOException {
        Path thin = png("thin.png", 20_000, 1), fine = png("fine.png", 40, 30);
        List<BadImage> heard = new ArrayList<>();
        List<Sample> samples = List.of(new Sample(thin, 0), new Sample(fine, 1));
        try (var loader = new BatchLoader(samples, Preprocess.TORCHVISION_IMAGENET.pipeline(), BatchLoader.Options.of(2).skipBadImages(heard::add))) {
            int seen = 0;
            for (Batch b : loader.epoch(0)) seen += b.size();
            assertThat(seen).isEqualTo(1);
        }
        assertThat(heard).singleElement().satisfies(b -> {
            assertThat(b.path()).isEqualTo(thin);
            assertThat(b.reason()).contains("over the budget");
        });
    }

    @Test void aCropOrResizeFromAbsurdSettingsIsRefusedBeforeAllocating() throws IOException {
        Path fine = png("fine.png", 40, 30);
        Pipeline huge = Pipeline.of(new CenterCrop(50_000));
        assertThatThrownBy(() -> huge.apply(fine, new SplittableRandom(0))).hasMessage(fine + ": image of 50000x50000 pixels is over the budget of " + Budget.IMAGE_PIXELS + " pixels");
        Pipeline resize = Pipeline.of(Resize.to(100_000, 100_000));
        assertThatThrownBy(() -> resize.apply(fine, new SplittableRandom(0))).hasMessageContaining("over the budget");
    }

    @Test void whatIsNotARegularFileIsRefusedWithoutReading() {
        assertThatThrownBy(() -> ImageDecoder.decode(Path.of(""))).isInstanceOf(BadInputException.class).hasMessageContaining("empty path");
        assertThatThrownBy(() -> ImageDecoder.decode(dir)).hasMessage(dir + ": is a folder, not a file");
        if (Files.exists(Path.of("/dev/zero"))) {
            assertThatThrownBy(() -> ImageDecoder.decode(Path.of("/dev/zero"))).hasMessage("/dev/zero: not a regular file (a device, pipe or socket)");
        }
        Path fifo = HostileFiles.fifo(dir);
        if (fifo != null) assertThatThrownBy(() -> ImageDecoder.decode(fifo)).hasMessageContaining("not a regular file");
    }

    @Test void aJpegWithBytesAfterItsEndDecodesLikeTheSameJpegWithout() throws IOException {
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 24; y++) for (int x = 0; x < 32; x++) image.setRGB(x, y, (x * 8) << 16 | (y * 10) << 8 | 77);
        byte[] jpeg = encode(image, "jpeg");
        Path clean = Files.write(dir.resolve("clean.jpg"), jpeg);
        byte[] trailing = Arrays.copyOf(jpeg, jpeg.length + 5000);
        for (int i = jpeg.length; i < trailing.length; i++) trailing[i] = (byte) (i * 31);
        trailing[jpeg.length] = (byte) 0xFF;
        trailing[jpeg.length + 1] = (byte) 0xD8;
        Path junk = Files.write(dir.resolve("junk.jpg"), trailing);
        assertThat(ImageDecoder.decode(junk).rgb()).isEqualTo(ImageDecoder.decode(clean).rgb());
        Path half = Files.write(dir.resolve("half.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        assertThatThrownBy(() -> ImageDecoder.decode(half)).hasMessage(half + ": truncated JPEG");
    }

    /** A GIF of a few dozen bytes whose screen and image descriptors declare width x height, with no pixel data. */
    static byte[] emptyGif(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes()).putShort((short) width).putShort((short) height).put((byte) 0).put((byte) 0).put((byte) 0);
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height).put((byte) 0);
        b.put((byte) 2).put((byte) 0).put((byte) 0x3B);
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test void aTinyGifDeclaringAHugePictureIsRefused() throws IOException {
        Path huge = Files.write(dir.resolve("huge.gif"), emptyGif(8000, 8000));
        assertThatThrownBy(() -> ImageDecoder.decode(huge)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("8000x8000 pixels is over the budget");
        Path big = Files.write(dir.resolve("big.gif"), emptyGif(4000, 4000));
        assertThatThrownBy(() -> ImageDecoder.decode(big)).hasMessageContaining("declares 4000x4000 pixels but has only");
    }

    @Test void aGzipIdxDeclaringTwoBillionPixelsIsRefusedBeforeReading() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(0x00000803).putInt(2).putInt(1_000_000_000).putInt(1);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(header.array());
            out.write(new byte[1 << 20]);
        }
        Path file = Files.write(dir.resolve("bomb-images-idx3-ubyte.gz"), gz.toByteArray());
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(BadInputException.class)
                .hasMessage(file + ": IDX values (2000000000) is over the budget of " + Budget.IDX_VALUES);
        assertThatThrownBy(() -> IdxFile.read(Path.of(""))).hasMessageContaining("empty path");
    }
}
