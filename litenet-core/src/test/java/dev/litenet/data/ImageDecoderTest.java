package dev.litenet.data;

import dev.litenet.Shared;
import dev.litenet.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** Every file of shared/data/bad-images, checked against the training images they were made from. */
class ImageDecoderTest {
    @TempDir Path tmp;

    static Path bad(String name) { return Shared.path("data/bad-images/" + name); }

    static RgbImage cat1() { return ImageDecoder.decode(Shared.path("data/cats-dogs/train/cat/cat.1.jpg")); }

    static RgbImage dog1() { return ImageDecoder.decode(Shared.path("data/cats-dogs/train/dog/dog.1.jpg")); }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "empty.jpg | empty file",
            "text-not-image.jpg | not a supported image (JPEG, PNG, BMP, GIF)",
            "truncated.jpg | truncated JPEG",
            "truncated-header-only.jpg | truncated JPEG"})
    void rejectsBrokenFilesWithOneClearMessage(String name, String problem) {
        Path file = bad(name);
        assertThatThrownBy(() -> ImageDecoder.decode(file)).isExactlyInstanceOf(BadInputException.class).hasMessage(file + ": " + problem);
    }

    @Test void truncatedJpegWithAnEndMarkerIsCaughtByTheDecoderWarning() throws IOException {
        Path file = Files.write(tmp.resolve("cut.jpg"), withEndMarker(Files.readAllBytes(bad("truncated.jpg"))));
        assertThatThrownBy(() -> ImageDecoder.decode(file)).hasMessage(file + ": truncated JPEG");
    }

    @Test void decoderErrorsBecomeCorruptImage() throws IOException {
        Path file = Files.write(tmp.resolve("header.jpg"), withEndMarker(Files.readAllBytes(bad("truncated-header-only.jpg"))));
        assertThatThrownBy(() -> ImageDecoder.decode(file)).hasMessage(file + ": corrupt image: Bogus Huffman table definition");
    }

    static byte[] withEndMarker(byte[] head) {
        byte[] bytes = Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xFF;
        bytes[head.length + 1] = (byte) 0xD9;
        return bytes;
    }

    @Test void truncatedPngIsTruncated() throws IOException {
        byte[] png = Files.readAllBytes(bad("rgba.png"));
        Path file = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(png, 5000));
        assertThatThrownBy(() -> ImageDecoder.decode(file)).isInstanceOf(BadInputException.class).hasMessageStartingWith(file + ": truncated PNG (chunk IDAT declares ");
    }

    @Test void missingFileIsBadInput() {
        Path file = tmp.resolve("nope.jpg");
        assertThatThrownBy(() -> ImageDecoder.decode(file)).isInstanceOf(BadInputException.class).hasMessage(file + ": file not found");
    }

    @Test void pngNamedJpgDecodesToTheSamePixelsAsTheJpegItWasMadeFrom() {
        RgbImage png = ImageDecoder.decode(bad("png-content-with-jpg-extension.jpg"));
        RgbImage jpeg = cat1();
        assertThat(png.height()).isEqualTo(280);
        assertThat(png.width()).isEqualTo(300);
        assertThat(png.rgb()).isEqualTo(jpeg.rgb());
    }

    @Test void rgbaPngDropsAlphaAndKeepsTheOriginalColours() {
        RgbImage rgba = ImageDecoder.decode(bad("rgba.png"));
        assertThat(rgba.height()).isEqualTo(499);
        assertThat(rgba.width()).isEqualTo(327);
        assertThat(rgba.rgb()).isEqualTo(dog1().rgb());
    }

    @Test void grayscaleBecomesEqualChannelsAtTheRec709LumaOfTheOriginal() {
        RgbImage gray = ImageDecoder.decode(bad("grayscale.jpg")), dog = dog1();
        double totalError = 0;
        for (int y = 0; y < gray.height(); y++) {
            for (int x = 0; x < gray.width(); x++) {
                int v = gray.at(y, x, 0);
                assertThat(gray.at(y, x, 1)).isEqualTo(v);
                assertThat(gray.at(y, x, 2)).isEqualTo(v);
                double luma = 0.2126 * dog.at(y, x, 0) + 0.7152 * dog.at(y, x, 1) + 0.0722 * dog.at(y, x, 2);
                assertThat(Math.abs(v - luma)).isLessThan(3);
                totalError += Math.abs(v - luma);
            }
        }
        assertThat(totalError / (gray.height() * gray.width())).isLessThan(0.5);
    }

    @Test void cmykComesBackCloseToTheRgbItWasConvertedFrom() {
        RgbImage cmyk = ImageDecoder.decode(bad("cmyk.jpg")), cat = cat1();
        assertThat(cmyk.height()).isEqualTo(cat.height());
        assertThat(cmyk.width()).isEqualTo(cat.width());
        double[] meanCmyk = new double[3], meanCat = new double[3];
        double totalError = 0;
        for (int i = 0; i < cat.rgb().length; i++) {
            int a = cmyk.rgb()[i] & 0xFF, b = cat.rgb()[i] & 0xFF;
            meanCmyk[i % 3] += a / (cat.rgb().length / 3.0);
            meanCat[i % 3] += b / (cat.rgb().length / 3.0);
            totalError += Math.abs(a - b);
        }
        // the original's mean colour is (78.75, 68.28, 67.95); an inverted reading would be near (177, 187, 187)
        for (int c = 0; c < 3; c++) assertThat(meanCmyk[c]).isCloseTo(meanCat[c], offset(1.0));
        assertThat(totalError / cat.rgb().length).isLessThan(1.5);
    }

    @Test void channelOrderIsRgbForTrueColourAndPaletteFiles() throws IOException {
        // red, green, blue / white, (16, 32, 48), black
        int[] argb = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x102030, 0x000000};
        byte[] expected = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255, 16, 32, 48, 0, 0, 0};
        BufferedImage trueColour = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        trueColour.setRGB(0, 0, 3, 2, argb, 0, 3);
        byte[] r = new byte[6], g = new byte[6], b = new byte[6];
        for (int i = 0; i < 6; i++) {
            r[i] = (byte) (argb[i] >> 16);
            g[i] = (byte) (argb[i] >> 8);
            b[i] = (byte) argb[i];
        }
        // one row: the JDK's GIF writer interlaces, and its 2-row output reads back wrong with any reader
        BufferedImage palette = new BufferedImage(6, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 6, r, g, b));
        palette.getRaster().setPixels(0, 0, 6, 1, new int[] {0, 1, 2, 3, 4, 5});
        for (String name : new String[] {"rgb.png", "rgb.bmp", "palette.png", "palette.gif"}) {
            Path file = tmp.resolve(name);
            String format = name.substring(name.indexOf('.') + 1);
            assertThat(ImageIO.write(name.startsWith("rgb") ? trueColour : palette, format, file.toFile())).isTrue();
            RgbImage decoded = ImageDecoder.decode(file);
            assertThat(decoded.height() * decoded.width()).isEqualTo(6);
            assertThat(decoded.rgb()).as(name).isEqualTo(expected);
        }
    }
}
