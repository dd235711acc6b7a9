package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static dev.litenet.data.IdxFileTest.gzip;
import static dev.litenet.data.IdxFileTest.idx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** MNIST-style folders: tiny hand-made ones, broken ones, and the real Fashion-MNIST from Debian's package. */
class IdxDatasetTest {
    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir Path dir;

    @Test
    void loadsImagesAsNhwcFloatsAndLabelsAsInts() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new long[] {2, 2, 2}, new byte[] {0, 51, (byte) 255, 102, 1, 2, 3, 4}));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(0x08, new long[] {2}, new byte[] {9, 0})));
        IdxDataset ds = IdxDataset.load(dir, true);
        assertThat(ds.images().shape).containsExactly(2, 2, 2, 1);
        assertThat(ds.images().data).containsExactly(0f, 0.2f, 1f, 0.4f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f);
        assertThat(ds.labels()).containsExactly(9, 0);
        assertThat(ds.size()).isEqualTo(2);
    }

    @Test
    void testSplitReadsT10kFiles() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new long[] {1, 1, 1}, new byte[] {7}));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new long[] {1}, new byte[] {1}));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(idx(0x08, new long[] {1, 1, 1}, new byte[] {(byte) 255})));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idx(0x08, new long[] {1}, new byte[] {5})));
        IdxDataset test = IdxDataset.load(dir, false);
        assertThat(test.images().data).containsExactly(1f);
        assertThat(test.labels()).containsExactly(5);
    }

    @Test
    void missingFileNamesBothForms() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new long[] {1, 1, 1}, new byte[] {7}));
        assertThatThrownBy(() -> IdxDataset.load(dir, true)).isInstanceOf(BadInputException.class)
                .hasMessage(dir + ": no train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz");
    }

    @Test
    void labelCountMustMatchImageCount() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new long[] {2, 1, 1}, new byte[] {1, 2}));
        Path labels = Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new long[] {3}, new byte[] {0, 1, 2}));
        assertThatThrownBy(() -> IdxDataset.load(dir, true)).isInstanceOf(BadInputException.class)
                .hasMessage(labels + ": 3 labels for 2 images in train-images-idx3-ubyte");
    }

    @Test
    void imagesNeedThreeDimensionsAndLabelsOne() throws IOException {
        Path images = Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new long[] {2}, new byte[] {1, 2}));
        Path labels = Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new long[] {2, 1, 1}, new byte[] {0, 1}));
        assertThatThrownBy(() -> IdxDataset.load(dir, true)).isInstanceOf(BadInputException.class)
                .hasMessage(images + ": images need dimensions [count, rows, cols], got [2]");
        Files.write(images, idx(0x08, new long[] {2, 1, 1}, new byte[] {1, 2}));
        assertThatThrownBy(() -> IdxDataset.load(dir, true)).isInstanceOf(BadInputException.class)
                .hasMessage(labels + ": labels need dimensions [count], got [2, 1, 1]");
    }

    @Test
    void brokenImageFileIsNamed() throws IOException {
        Path images = Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new long[] {1}, new byte[] {0}));
        assertThatThrownBy(() -> IdxDataset.load(dir, true)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(images + ": truncated gzip data");
    }

    @Test
    void realFashionMnistMatchesItsBytesReadIndependently() throws IOException {
        requireFashionMnist();
        check(IdxDataset.load(FASHION_MNIST, true), "train", 60_000);
        check(IdxDataset.load(FASHION_MNIST, false), "t10k", 10_000);
    }

    private static void check(IdxDataset ds, String split, int count) throws IOException {
        byte[] labels = readGz(FASHION_MNIST.resolve(split + "-labels-idx1-ubyte.gz"), 0x801, count);
        byte[] pixels = readGz(FASHION_MNIST.resolve(split + "-images-idx3-ubyte.gz"), 0x803, count, 28, 28);

        assertThat(ds.size()).isEqualTo(count);
        Tensor images = ds.images();
        assertThat(images.shape).containsExactly(count, 28, 28, 1);
        for (int i = 0; i < count; i++) assertThat(ds.labels()[i]).isEqualTo(labels[i] & 0xFF);
        for (int i = 0; i < pixels.length; i++) {
            if (images.data[i] != (pixels[i] & 0xFF) / 255f) fail(split + " pixel " + i + ": " + images.data[i] + " vs byte " + (pixels[i] & 0xFF));
        }
        assertThat(ds.labels()[0]).as("first %s label: 9 = Ankle boot", split).isEqualTo(9);
        int[] perClass = new int[10];
        for (int label : ds.labels()) perClass[label]++;
        assertThat(perClass).as("Fashion-MNIST is balanced").containsOnly(count / 10);
    }

    /** The data bytes of a gzipped IDX file after checking its header, with plain JDK streams. */
    private static byte[] readGz(Path file, int magic, int... dims) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            assertThat(in.readInt()).isEqualTo(magic);
            int n = 1;
            for (int d : dims) {
                assertThat(in.readInt()).isEqualTo(d);
                n *= d;
            }
            byte[] data = in.readNBytes(n);
            assertThat(data).hasSize(n);
            assertThat(in.read()).isEqualTo(-1);
            return data;
        }
    }

    /** Installed by {@code apt-get install dataset-fashion-mnist}: skipped on a machine without it, a failure in CI. */
    private static void requireFashionMnist() {
        if (Files.isDirectory(FASHION_MNIST)) return;
        String why = FASHION_MNIST + " missing: apt-get install dataset-fashion-mnist";
        if ("true".equals(System.getenv("CI"))) fail(why);
        assumeTrue(false, why);
    }
}
