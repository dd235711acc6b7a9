package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.HostileImages;
import dev.litenet.io.Budget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Round three of hostile images: bounded work, not only bounded memory. A progressive JPEG that repeats a scan, a
 * JPEG whose scans times pixels are over the decoding budget, a PNG whose compressed text inflates to a gigabyte,
 * a chunk declaring more bytes than the file has, and 49-megapixel PNG, GIF and BMP files of a few kilobytes,
 * inside the pixel budget, decoded subsampled and one at a time in a JVM with a quarter of the server's heap.
 */
class DecodeBudgetTest {
    @TempDir Path dir;

    @Test void aProgressiveJpegRepeatingAScanIsRefusedBeforeDecoding() throws IOException {
        Path flood = Files.write(dir.resolve("flood.jpg"), HostileImages.scanFlood(1000, 1000, 2000));
        long start = System.nanoTime();
        assertThatThrownBy(() -> ImageDecoder.decode(flood)).isExactlyInstanceOf(BadInputException.class)
                .hasMessage(flood + ": JPEG of 2010 scans is over the budget of " + Budget.JPEG_SCANS + " (a progressive JPEG has about 10)");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
        // the same picture with its own 10 scans decodes
        Path fine = Files.write(dir.resolve("fine.jpg"), HostileImages.progressiveJpeg(HostileImages.noise(200, 100, 1)));
        assertThat(ImageDecoder.decode(fine).width()).isEqualTo(200);
    }

    @Test void aJpegWhoseScansTimesPixelsAreOverTheBudgetIsRefusedBeforeDecoding() throws IOException {
        byte[] real = HostileImages.scanFlood(1000, 1000, 20);
        Path big = Files.write(dir.resolve("big.jpg"), HostileImages.withDeclaredSize(real, 7000, 7000));
        assertThatThrownBy(() -> ImageDecoder.decode(big)).hasMessage(big + ": JPEG of 30 scans over 49000000 pixels is over the decoding budget of "
                + Budget.JPEG_SCAN_PIXELS + " scan-pixels");
    }

    @Test void aPngWhoseTextInflatesToAGigabyteIsRefusedAfterInflatingOnlyTheBudget() throws IOException {
        byte[] png = HostileImages.smallPng();
        Path bomb = Files.write(dir.resolve("ztxt.png"), HostileImages.pngWith(png, HostileImages.zTxt(1L << 30)));
        assertThat(Files.size(bomb)).isLessThan(2 << 20);
        long start = System.nanoTime();
        assertThatThrownBy(() -> ImageDecoder.decode(bomb)).isExactlyInstanceOf(BadInputException.class)
                .hasMessage(bomb + ": PNG zTXt chunk inflates to over the budget of " + Budget.PNG_ANCILLARY_BYTES + " bytes");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
        Path text = Files.write(dir.resolve("text.png"), HostileImages.pngWith(png, HostileImages.zTxt(1000)));
        assertThat(ImageDecoder.decode(text).rgb()).isEqualTo(ImageDecoder.decode(Files.write(dir.resolve("plain.png"), png)).rgb());
    }

    @Test void pngChunksAreWalkedAgainstTheFileAndTheBudget() throws IOException {
        byte[] png = HostileImages.smallPng();
        byte[] lying = HostileImages.pngWith(png, HostileImages.chunk("tEXt", "a\0b".getBytes()));
        lying[8 + 25] = 0x40;                                             // the tEXt chunk now declares 1 GB
        Path liar = Files.write(dir.resolve("liar.png"), lying);
        assertThatThrownBy(() -> ImageDecoder.decode(liar)).hasMessageStartingWith(liar + ": truncated PNG (chunk tEXt declares 1073741827 bytes");
        Path many = Files.write(dir.resolve("many.png"), HostileImages.pngWith(png, HostileImages.chunk("tEXt", new byte[5 << 20]),
                HostileImages.chunk("iTXt", new byte[5 << 20])));
        assertThatThrownBy(() -> ImageDecoder.decode(many)).hasMessage(many + ": PNG ancillary chunks (iTXt) of " + (10 << 20)
                + " bytes are over the budget of " + Budget.PNG_ANCILLARY_BYTES);
    }

    @Test void aNonImageIsRefusedFromItsFirstBytesWithoutReadingTheRest() throws IOException {
        Path junk = dir.resolve("junk.jpg");
        dev.litenet.HostileFiles.sparse(junk, 200L << 20);                 // 200 MB of zeros, inside the file budget
        long start = System.nanoTime();
        assertThatThrownBy(() -> ImageDecoder.decode(junk)).hasMessage(junk + ": not a supported image (JPEG, PNG, BMP, GIF)");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(0.5);
    }

    @Test void anImageOverTheDecodeBudgetIsDecodedSubsampled() throws IOException {
        Path png = Files.write(dir.resolve("20mp.png"), HostileImages.bigPng(5000, 4000));
        RgbImage decoded = ImageDecoder.decode(png);
        assertThat(decoded.width()).isEqualTo(2500);
        assertThat(decoded.height()).isEqualTo(2000);
        assertThat(ImageDecoder.subsampling(4000, 3000)).isEqualTo(1);           // a 12 MP photo whole
        assertThat(ImageDecoder.subsampling(8000, 6000)).isEqualTo(2);
        assertThat(ImageDecoder.subsampling(7071, 7071)).isEqualTo(2);
        assertThat(ImageDecoder.subsampling(1, 50_000_000)).isEqualTo(3);
    }

    @Test void theBytePathOfCropAndResizeGivesTheFloatPathsBits() {
        RgbImage image = ImageDecoder.fromImage(Path.of("noise"), HostileImages.noise(301, 217, 4));
        for (Preprocess p : List.of(Preprocess.TORCHVISION_IMAGENET, Preprocess.TFLITE_MOBILENET,
                Preprocess.torchvision(232, 224, Resize.Interpolation.BICUBIC), Preprocess.TFLITE_MOBILENET.withCentralFraction(1))) {
            float[] bytes = p.pipeline().apply(image, new SplittableRandom(0)).pixels();
            FloatImage f = FloatImage.of(image);
            for (Transform t : p.pipeline().steps()) f = t.apply(f, new SplittableRandom(0));
            assertThat(bytes).as(p.toString()).isEqualTo(f.pixels());
        }
    }

    /**
     * 49-megapixel PNG, GIF and BMP files of a few hundred KB, inside the pixel budget (50 M), decoded at once on
     * three threads through torchvision's preprocessing in a JVM of 256 MB (the server runs in 1 GB, predict in
     * 512 MB): each is decoded subsampled to 12 M pixels, and the three wait for each other's share of the heap.
     * Whole and at once they would need over 1 GB.
     */
    @Test void bigPicturesInsideThePixelBudgetFitASmallHeap() throws Exception {
        List<String> files = new ArrayList<>();
        files.add(Files.write(dir.resolve("49mp.png"), HostileImages.bigPng(7000, 7000)).toString());
        files.add(Files.write(dir.resolve("49mp.gif"), HostileImages.bigGif(7000, 7000)).toString());
        files.add(Files.write(dir.resolve("49mp.bmp"), HostileImages.bigBmp(7000, 7000)).toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), DecodeInSmallHeap.class.getName()));
        command.addAll(files);
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(out);
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed.lines().toList()).as(printed).containsExactlyInAnyOrder(
                files.get(0) + " 224x224", files.get(1) + " 224x224", files.get(2) + " 224x224");
    }

    /** The child of {@link #bigPicturesInsideThePixelBudgetFitASmallHeap}: prepares each file on its own thread. */
    public static final class DecodeInSmallHeap {
        public static void main(String[] files) throws InterruptedException {
            Pipeline pipeline = Preprocess.TORCHVISION_IMAGENET.pipeline();
            List<Thread> threads = new ArrayList<>();
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            for (String f : files) {
                threads.add(Thread.ofPlatform().start(() -> {
                    FloatImage image = pipeline.apply(Path.of(f), new SplittableRandom(0));
                    lines.add(f + " " + image.height() + "x" + image.width());
                }));
            }
            for (Thread t : threads) t.join();
            lines.forEach(System.out::println);
            System.exit(lines.size() == files.length ? 0 : 1);
        }
    }
}
