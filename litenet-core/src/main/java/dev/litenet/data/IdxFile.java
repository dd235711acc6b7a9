package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.io.Budget;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (LeCun's MNIST format, also Fashion-MNIST), raw or gzipped (told apart by the gzip magic
 * {@code 1f 8b}). Layout, big-endian: magic {@code 00 00 <type> <ndims>}, then {@code ndims} uint32 sizes, then
 * the values row-major. Only type {@code 0x08} (unsigned byte) is read: images are {@code 0x00000803}, labels
 * {@code 0x00000801}. Every size in the header is checked against the bytes actually there.
 */
public final class IdxFile {
    private IdxFile() {}

    /** The IDX element type for unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;

    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** The dims and bytes of an unsigned-byte IDX file, raw or gzipped. */
    public static IdxArray read(Path file) {
        long size = Budget.regularFile(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            if (gzip) {
                try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                    return parse(file, in, -1, size * Budget.DEFLATE_RATIO);
                }
            }
            return parse(file, raw, size, size);
        } catch (EOFException e) {
            throw new BadInputException(file, "truncated gzip data (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new BadInputException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + e, e);
        }
    }

    /**
     * @param fileSize bytes in the file when not compressed, else -1 (then only the stream itself can tell)
     * @param most the most bytes the stream can hold: the file's size, or for gzip its size times deflate's ratio
     */
    private static IdxArray parse(Path file, InputStream in, long fileSize, long most) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) throw new BadInputException(file, "too short for an IDX header: " + magic.length + " bytes");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new BadInputException(file, "not an IDX file: magic " + hex(magic) + ", expected 00 00 08 0n");
        }
        int type = magic[2] & 0xFF, rank = magic[3] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new BadInputException(file, String.format("unsupported IDX element type 0x%02x (magic %s); only unsigned bytes (0x08) are read", type, hex(magic)));
        }
        if (rank == 0) throw new BadInputException(file, "IDX header has 0 dimensions");

        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank) throw new BadInputException(file, "truncated header: " + rank + " dimensions need " + 4 * rank + " bytes, got " + header.length);
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            long d = readUint32(header, 4 * i);
            if (d > MAX_ARRAY || (count *= d) > MAX_ARRAY) {
                throw new BadInputException(file, "dimensions " + Arrays.toString(readAll(header, rank)) + " hold more values than an array can (" + MAX_ARRAY + ")");
            }
            dims[i] = (int) d;
        }

        long dataStart = 4 + 4L * rank;
        Budget.check(file, "IDX values", count, Budget.IDX_VALUES);
        if (fileSize < 0 && dataStart + count > most) {
            throw new BadInputException(file, "dimensions " + Arrays.toString(dims) + " need " + count
                    + " data bytes, more than the file can hold (" + most + " bytes at most)");
        }
        if (fileSize >= 0 && fileSize != dataStart + count) {
            throw new BadInputException(file, (fileSize < dataStart + count ? "truncated: " : "trailing bytes: ")
                    + "dimensions " + Arrays.toString(dims) + " need " + count + " data bytes, the file has " + (fileSize - dataStart));
        }
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new BadInputException(file, "truncated: dimensions " + Arrays.toString(dims) + " need " + count + " data bytes, got " + data.length);
        }
        if (in.read() != -1) throw new BadInputException(file, "trailing bytes after the " + count + " data bytes of dimensions " + Arrays.toString(dims));
        return new IdxArray(dims, data);
    }

    private static long readUint32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static long[] readAll(byte[] header, int rank) {
        long[] all = new long[rank];
        for (int i = 0; i < rank; i++) all[i] = readUint32(header, 4 * i);
        return all;
    }

    private static String hex(byte[] magic) {
        return String.format("%02x %02x %02x %02x", magic[0], magic[1], magic[2], magic[3]);
    }
}
