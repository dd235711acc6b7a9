package dev.litenet.io;

import dev.litenet.models.TfliteMobileNetV2;

import dev.litenet.BadInputException;
import dev.litenet.HostileFiles;
import dev.litenet.models.Pretrained;
import dev.litenet.models.MobileNetV2;
import dev.litenet.models.StateDict;
import dev.litenet.tensor.TorchTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue classes 1, 2, 4, 8 and 13 for weight files: memory bombs are refused by their declared sizes before
 * anything is allocated, non-finite weights are refused, non-regular files are refused, headers are checked
 * before a file is read whole. Every input is made here, a few hundred bytes each (sparse files for the huge ones).
 */
class HostileWeightsTest {
    @TempDir Path dir;

    private static TinyTorchFiles.Spec spec(String name, long storageNumel, long[] size, long[] stride) {
        return new TinyTorchFiles.Spec(name, "FloatStorage", "0", storageNumel, 0, size, stride);
    }

    private Path zip(String name, List<TinyTorchFiles.Spec> specs, byte[] storage) throws IOException {
        Path file = dir.resolve(name);
        TinyTorchFiles.writeZip(file, "archive", TinyTorchFiles.stateDictPickle(specs, false), Map.of("0", storage));
        return file;
    }

    private static void assertRefused(Path file, String problem) {
        assertThatThrownBy(() -> StateDicts.read(file)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining(problem);
    }

    @Test void aStride0ViewOfOneFloatDeclaringABillionElementsIsRefusedBeforeAllocating() throws IOException {
        assertRefused(zip("stride0.pth", List.of(spec("w", 1, new long[] {1L << 30}, new long[] {0})), TinyTorchFiles.floats(1f)),
                "over the budget");
        assertRefused(zip("near2^31.pth", List.of(spec("w", 1, new long[] {46341, 46341}, new long[] {0, 0})), TinyTorchFiles.floats(1f)),
                "over the budget");
    }

    @Test void manyViewsOfOneLargeStorageAddUpAgainstTheBudget() throws IOException {
        long n = 100L << 20;
        List<TinyTorchFiles.Spec> views = List.of(spec("a", n, new long[] {n}, new long[] {1}),
                spec("b", n, new long[] {n}, new long[] {1}), spec("c", n, new long[] {n}, new long[] {1}));
        assertRefused(zip("views.pth", views, TinyTorchFiles.floats(1f)), "values of all storages and tensors");
    }

    @Test void aStorageThatWouldDeflateToGigabytesIsRefusedFromItsDeclaredSize() throws IOException {
        Path file = dir.resolve("bomb.pth");
        byte[] pickle = TinyTorchFiles.stateDictPickle(List.of(spec("w", 300L << 20, new long[] {300L << 20}, new long[] {1})), false);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.putNextEntry(new ZipEntry("archive/data/0"));   // deflated zeros: 8 MB from about 8 KB
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 8; i++) zip.write(zeros);
            zip.closeEntry();
        }
        assertThat(Files.size(file)).isLessThan(100_000);
        assertRefused(file, "over the budget");
    }

    @Test void aHugePickledIntegerIsRefused() throws IOException {
        byte[] big = new byte[1 << 20];
        byte[] pickle = new PickleBytes().proto().op(0x8b).u32(big.length).raw(big).stop().bytes();
        Path file = dir.resolve("long4.pth");
        TinyTorchFiles.writeZip(file, "archive", pickle, Map.of());
        assertRefused(file, "integer of 1048576 bytes is over the budget");
    }

    @Test void aHugePickleStackIsRefused() throws IOException {
        PickleBytes p = new PickleBytes().proto();
        for (int i = 0; i <= Budget.PICKLE_ITEMS + 1; i++) p.none();
        Path file = dir.resolve("stack.pth");
        TinyTorchFiles.writeZip(file, "archive", p.stop().bytes(), Map.of());
        assertRefused(file, "values on the stack and memo");
    }

    @Test void nonFiniteWeightsAreRefusedInEveryFormat() throws IOException {
        assertRefused(zip("nan.pth", List.of(spec("w", 2, new long[] {2}, new long[] {1})), TinyTorchFiles.floats(1f, Float.NaN)),
                "tensor w holds NaN");
        Path st = dir.resolve("inf.safetensors");
        Safetensors.write(st, Map.of("w", new TorchTensor(new int[] {2}, new float[] {Float.POSITIVE_INFINITY, 0})), Map.of());
        assertRefused(st, "tensor w holds Infinity");
    }

    @Test void aScalarOrEmptyClassifierBiasIsRefusedNotAnIndexError() throws IOException {
        Map<String, TorchTensor> state = new java.util.LinkedHashMap<>(StateDict.of(new MobileNetV2(10, 0.35f)));
        state.put("classifier.1.bias", new TorchTensor(new int[0], new float[] {1f}));
        Path scalar = dir.resolve("scalar.safetensors");
        Safetensors.write(scalar, state, Map.of());
        assertThatThrownBy(() -> Pretrained.load(scalar)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(scalar + ": not the state_dict of an architecture LiteNet knows")
                .hasMessageContaining("it has the keys of mobilenet_v2 but not its shapes");
        assertThatThrownBy(() -> Pretrained.load(scalar, "mobilenet_v2")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("classifier.1.bias: shape [] in file, model has [10]");
        state.put("classifier.1.bias", new TorchTensor(new int[] {0}, new float[0]));
        state.put("classifier.1.weight", new TorchTensor(new int[] {0, 1280}, new float[0]));
        Path none = dir.resolve("zero-classes.safetensors");
        Safetensors.write(none, state, Map.of());
        assertThatThrownBy(() -> Pretrained.load(none)).isInstanceOf(BadInputException.class).hasMessageContaining("not its shapes");
    }

    @Test void safetensorsDeclaringMoreFloatsThanTheBudgetIsRefused() throws IOException {
        // a header that is consistent with a sparse 1.1 GB data section of F16: 550 M values
        long n = 550L << 20;
        String json = "{\"w\":{\"dtype\":\"F16\",\"shape\":[" + n + "],\"data_offsets\":[0," + 2 * n + "]}}";
        byte[] header = json.getBytes();
        Path file = dir.resolve("huge.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            f.write(header);
            f.setLength(8 + header.length + 2 * n);
        }
        assertRefused(file, "float values of all tensors");
    }

    @Test void whatIsNotARegularFileIsRefusedWithoutReading() throws IOException {
        assertThatThrownBy(() -> StateDicts.read(Path.of(""))).isInstanceOf(BadInputException.class).hasMessageContaining("empty path");
        assertThatThrownBy(() -> StateDicts.read(dir)).hasMessage(dir + ": is a folder, not a file");
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertThatThrownBy(() -> StateDicts.read(zero)).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> TfliteFile.read(zero)).hasMessageContaining("not a regular file");
        }
        Path fifo = HostileFiles.fifo(dir);
        if (fifo != null) {
            assertThatThrownBy(() -> StateDicts.read(fifo)).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> TfliteFile.read(fifo)).hasMessageContaining("not a regular file");
        }
    }

    @Test void aTwoGigabyteTfliteFileIsRefusedByItsFirstBytes() throws IOException {
        Path file = HostileFiles.sparse(dir.resolve("zeros.tflite"), 2L << 30);
        long start = System.nanoTime();
        assertThatThrownBy(() -> TfliteFile.read(file)).isInstanceOf(BadInputException.class).hasMessageContaining("not a TFLite file");
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
        Path big = dir.resolve("big.tflite");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write(new byte[] {0, 0, 0, 0, 'T', 'F', 'L', '3'});
            f.setLength((1L << 30) + 1);
        }
        assertThatThrownBy(() -> TfliteFile.read(big)).hasMessageContaining("TFLite file bytes (1073741825) is over the budget");
    }

    @Test void aHugeLabelsFileBesideATfliteModelIsRefusedUnread() throws IOException {
        Path model = dir.resolve("model.tflite");
        Files.copy(TfliteFiles.uint8(), model);
        Path labels = HostileFiles.sparse(dir.resolve("imagenet_labels.txt"), 3L << 30);
        assertThatThrownBy(() -> TfliteFile.read(model)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(labels + ": labels file bytes");
    }

    @Test void anInfiniteOrTinyInputScaleIsRefused() throws IOException {
        for (float scale : new float[] {Float.POSITIVE_INFINITY, Float.NaN, 1e-45f}) {
            byte[] bytes = Files.readAllBytes(TfliteFiles.uint8());
            FlatBuffer fb = new FlatBuffer(Path.of("t"), bytes);
            int graph = fb.tableAt(fb.vector(fb.root(), 2, 4), 0);
            int input = fb.ints(graph, 1)[0];
            int tensor = fb.tableAt(fb.vector(graph, 0, 4), input);
            FlatBuffer.Vec scales = fb.vector(fb.tableField(tensor, 4), 2, 4);
            java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(scales.start(), scale);
            Path file = Files.write(dir.resolve("scale.tflite"), bytes);
            TfliteModel m = TfliteFile.read(file);
            assertThatThrownBy(() -> TfliteMobileNetV2.toStateDict(m)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("its preprocessing is unknown");
        }
    }

    @Test void controlCharactersInNamesAreShownEscaped() {
        Path file = Path.of("evil\u001b[2J\nname.pth");
        BadInputException e = new BadInputException(file, "label \u009b31m");
        assertThat(e.getMessage()).isEqualTo("evil\\u001b[2J\\u000aname.pth: label \\u009b31m");
        assertThat(e.getMessage()).doesNotContain("\n", "\u001b");
    }
}
