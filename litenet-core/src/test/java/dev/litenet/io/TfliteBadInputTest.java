package dev.litenet.io;

import dev.litenet.models.TfliteMobileNetV2;

import dev.litenet.BadInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile and broken files: each is one BadInputException naming the file, never an index or null-pointer
 * exception. Broken files are small text files or corrupted copies of the real uint8 model in a temp dir;
 * positions inside the copy are found by walking it with {@link FlatBuffer}.
 */
class TfliteBadInputTest {
    @TempDir Path dir;

    @Test
    void aTextFileIsNotATfliteFile() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "these are not the weights you are looking for\n");
        assertRejected(text, "not a TFLite file");
        assertRejected(Files.write(dir.resolve("empty.tflite"), new byte[0]), "not a TFLite file");
        assertRejected(dir.resolve("missing.tflite"), "file not found");
    }

    @Test
    void aWrongIdentifierIsRejected() throws IOException {
        Path file = corrupt("wrong-id.tflite", b -> b.put(4, "TFL2".getBytes(StandardCharsets.US_ASCII)));
        assertRejected(file, "identifier 'TFL2', expected 'TFL3'");
    }

    @Test
    void aTruncatedFileIsRejected() throws IOException {
        byte[] real = Files.readAllBytes(TfliteFiles.uint8());
        assertRejected(Files.write(dir.resolve("half.tflite"), Arrays.copyOf(real, real.length / 2)), "outside the file");
        assertRejected(Files.write(dir.resolve("head.tflite"), Arrays.copyOf(real, 16)), "outside the file");
    }

    @Test
    void anOffsetPastTheEndIsRejected() throws IOException {
        Path root = corrupt("root.tflite", b -> b.putInt(0, b.capacity() + 100));
        assertRejected(root, "outside the file");
        Path vtable = corrupt("vtable.tflite", b -> b.putInt(tensorTable(b, 0), -b.capacity()));
        assertRejected(vtable, "outside the file");
    }

    @Test
    void aVectorLongerThanTheFileIsRejected() throws IOException {
        Path file = corrupt("shape.tflite", b -> b.putInt(vector(b, tensorTable(b, 0), 0).start() - 4, Integer.MAX_VALUE));
        assertRejected(file, "vector of 2147483647 elements");
    }

    @Test
    void weightsThatDoNotFillTheirShapeAreRejected() throws IOException {
        // the stem weights [32,3,3,3] uint8 need 864 bytes; claim 863
        Path file = corrupt("short.tflite", b -> {
            FlatBuffer fb = flatBuffer(b);
            int stem = tensorTable(b, fb.ints(operatorTable(b, 0), 1)[1]);
            int buffers = fb.tableAt(fb.vector(fb.root(), 4, 4), fb.intField(stem, 2, 0));
            b.putInt(vector(b, buffers, 0).start() - 4, 863);
        });
        assertRejected(file, "needs 864 bytes, its buffer has 863");
    }

    @Test
    void aTensorIndexOutOfRangeIsRejected() throws IOException {
        Path file = corrupt("index.tflite", b -> b.putInt(vector(b, operatorTable(b, 0), 1).start(), 9999));
        assertRejected(file, "refer to tensor 9999 of 174");
    }

    @Test
    void anUnsupportedOperatorIsNamed() throws IOException {
        // turn the AVERAGE_POOL_2D operator code (1) into MAX_POOL_2D (17), in both code fields
        Path file = corrupt("maxpool.tflite", b -> {
            FlatBuffer fb = flatBuffer(b);
            FlatBuffer.Vec codes = fb.vector(fb.root(), 1, 4);
            for (int i = 0; i < codes.length(); i++) {
                int code = fb.tableAt(codes, i);
                if (fb.byteField(code, 0, (byte) 0) != 1) continue;
                b.put(fb.field(code, 0), (byte) 17);
                if (fb.field(code, 3) >= 0) b.putInt(fb.field(code, 3), 17);
            }
        });
        TfliteModel model = TfliteFile.read(file);
        assertThatThrownBy(() -> TfliteMobileNetV2.toStateDict(model))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("unsupported operator MAX_POOL_2D");
    }

    @Test
    void aConvWithTheWrongStrideIsNotMobileNetV2() throws IOException {
        Path file = corrupt("stride.tflite", b -> {
            FlatBuffer fb = flatBuffer(b);
            int options = fb.tableField(operatorTable(b, 0), 4);
            b.putInt(fb.field(options, 2), 1);
        });
        TfliteModel model = TfliteFile.read(file);
        assertThatThrownBy(() -> TfliteMobileNetV2.toStateDict(model))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("operator 0 (CONV_2D) as features.0.0: expected stride 2");
    }

    @Test
    void corruptedWordsInTheTablesNeverEscapeAsAnotherException() throws IOException {
        byte[] real = Files.readAllBytes(TfliteFiles.uint8());
        int tables = operatorTable(ByteBuffer.wrap(real).order(ByteOrder.LITTLE_ENDIAN), 0);
        Random random = new Random(7);
        Path file = dir.resolve("fuzz.tflite");
        int rejected = 0;
        for (int trial = 0; trial < 60; trial++) {
            int at = trial < 12 ? 4 * trial : tables + random.nextInt(real.length - tables - 4);
            byte[] copy = real.clone();
            ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, random.nextInt());
            Files.write(file, copy);
            try {
                TfliteMobileNetV2.toStateDict(TfliteFile.read(file));
            } catch (BadInputException e) {
                assertThat(e).hasMessageContaining(file.toString());
                rejected++;
            }
        }
        assertThat(rejected).isPositive();
    }

    private void assertRejected(Path file, String problem) {
        assertThatThrownBy(() -> TfliteFile.read(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(problem);
    }

    /** A copy of the real uint8 model with {@code change} applied to its bytes. */
    private Path corrupt(String name, Consumer<ByteBuffer> change) throws IOException {
        byte[] bytes = Files.readAllBytes(TfliteFiles.uint8());
        change.accept(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        return Files.write(dir.resolve(name), bytes);
    }

    private static FlatBuffer flatBuffer(ByteBuffer b) { return new FlatBuffer(Path.of("test"), b.array()); }

    private static int subgraph(ByteBuffer b) {
        FlatBuffer fb = flatBuffer(b);
        return fb.tableAt(fb.vector(fb.root(), 2, 4), 0);
    }

    private static int tensorTable(ByteBuffer b, int index) {
        FlatBuffer fb = flatBuffer(b);
        return fb.tableAt(fb.vector(subgraph(b), 0, 4), index);
    }

    private static int operatorTable(ByteBuffer b, int index) {
        FlatBuffer fb = flatBuffer(b);
        return fb.tableAt(fb.vector(subgraph(b), 3, 4), index);
    }

    private static FlatBuffer.Vec vector(ByteBuffer b, int table, int slot) { return flatBuffer(b).vector(table, slot, 1); }
}
