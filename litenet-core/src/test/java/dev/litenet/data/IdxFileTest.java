package dev.litenet.data;

import dev.litenet.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IDX files made byte by byte: good raw and gzipped ones, and every way the header can lie. */
class IdxFileTest {
    @TempDir Path dir;

    private static final byte[] VALUES = {0, 51, 102, (byte) 153, (byte) 204, (byte) 255, 1, 2, 3, 4, 5, 6};

    /** Magic {@code 00 00 type rank}, big-endian uint32 dims, then the bytes. */
    static byte[] idx(int type, long[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (long d : dims) b.putInt((int) d);
        return b.put(data).array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException { return Files.write(dir.resolve(name), bytes); }

    @Test
    void readsRawImages() throws IOException {
        IdxArray a = IdxFile.read(write("images", idx(0x08, new long[] {2, 2, 3}, VALUES)));
        assertThat(a.dims()).containsExactly(2, 2, 3);
        assertThat(a.data()).containsExactly(VALUES);
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.unsigned(5)).isEqualTo(255);
        assertThat(a.unsigned(3)).isEqualTo(153);
    }

    @Test
    void readsGzippedLabelsTheSame() throws IOException {
        byte[] raw = idx(0x08, new long[] {12}, VALUES);
        assertThat(raw).startsWith(0, 0, 8, 1, 0, 0, 0, 12);
        IdxArray fromGz = IdxFile.read(write("labels.gz", gzip(raw)));
        assertThat(fromGz).isEqualTo(IdxFile.read(write("labels", raw)));
        assertThat(fromGz.dims()).containsExactly(12);
    }

    @Test
    void emptyFile() throws IOException {
        Path f = write("empty", new byte[0]);
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class)
                .hasMessage(f + ": too short for an IDX header: 0 bytes");
    }

    @Test
    void wrongMagic() throws IOException {
        Path f = write("zip", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class)
                .hasMessage(f + ": not an IDX file: magic 50 4b 03 04, expected 00 00 08 0n");
    }

    @Test
    void unsupportedElementType() throws IOException {
        Path f = write("floats", idx(0x0D, new long[] {1}, new byte[4]));
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class)
                .hasMessage(f + ": unsupported IDX element type 0x0d (magic 00 00 0d 01); only unsigned bytes (0x08) are read");
    }

    @Test
    void zeroDimensions() throws IOException {
        Path f = write("rank0", new byte[] {0, 0, 8, 0});
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class).hasMessage(f + ": IDX header has 0 dimensions");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path f = write("short-header", Arrays.copyOf(idx(0x08, new long[] {2, 2, 3}, VALUES), 10));
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class)
                .hasMessage(f + ": truncated header: 3 dimensions need 12 bytes, got 6");
    }

    @Test
    void truncatedRawData() throws IOException {
        Path f = write("short", idx(0x08, new long[] {2, 2, 3}, Arrays.copyOf(VALUES, 10)));
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class)
                .hasMessage(f + ": truncated: dimensions [2, 2, 3] need 12 data bytes, the file has 10");
    }

    @Test
    void truncatedGzippedData() throws IOException {
        Path f = write("short.gz", gzip(idx(0x08, new long[] {2, 2, 3}, Arrays.copyOf(VALUES, 10))));
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class)
                .hasMessage(f + ": truncated: dimensions [2, 2, 3] need 12 data bytes, got 10");
    }

    @Test
    void cutGzipStream() throws IOException {
        byte[] gz = gzip(idx(0x08, new long[] {300}, new byte[300]));
        Path f = write("cut.gz", Arrays.copyOf(gz, gz.length - 12));
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(f + ": truncated");
    }

    @Test
    void trailingBytesRawAndGzipped() throws IOException {
        byte[] longer = idx(0x08, new long[] {2, 2, 2}, VALUES);
        Path raw = write("long", longer);
        Path gz = write("long.gz", gzip(longer));
        assertThatThrownBy(() -> IdxFile.read(raw)).isInstanceOf(BadInputException.class)
                .hasMessage(raw + ": trailing bytes: dimensions [2, 2, 2] need 8 data bytes, the file has 12");
        assertThatThrownBy(() -> IdxFile.read(gz)).isInstanceOf(BadInputException.class)
                .hasMessage(gz + ": trailing bytes after the 8 data bytes of dimensions [2, 2, 2]");
    }

    @Test
    void dimensionsThatOverflowAreRefusedBeforeAllocating() throws IOException {
        Path huge = write("huge", idx(0x08, new long[] {0xFFFF_FFFFL}, new byte[0]));
        Path product = write("product.gz", gzip(idx(0x08, new long[] {65_536, 65_536, 1}, new byte[0])));
        assertThatThrownBy(() -> IdxFile.read(huge)).isInstanceOf(BadInputException.class)
                .hasMessage(huge + ": dimensions [4294967295] hold more values than an array can (2147483639)");
        assertThatThrownBy(() -> IdxFile.read(product)).isInstanceOf(BadInputException.class)
                .hasMessage(product + ": dimensions [65536, 65536, 1] hold more values than an array can (2147483639)");
    }

    @Test
    void largeClaimOnShortGzipIsRefusedBeforeReading() throws IOException {
        Path f = write("claims-1g.gz", gzip(idx(0x08, new long[] {1 << 30}, new byte[100])));
        assertThatThrownBy(() -> IdxFile.read(f)).isInstanceOf(BadInputException.class)
                .hasMessage(f + ": IDX values (1073741824) is over the budget of 268435456");
        Path small = write("claims-16m.gz", gzip(idx(0x08, new long[] {1 << 24}, new byte[100])));
        assertThatThrownBy(() -> IdxFile.read(small)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("more than the file can hold");
    }
}
