package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.io.Budget;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What an image file declares about its own structure, walked before any decoder sees it: a JPEG's segments (its
 * end and how many scans the decoder would run, each over the whole picture) and a PNG's chunks (every length
 * within the file, ancillary chunks within their budget, compressed ones inflated only up to it). The decoders of
 * the JDK trust both: a 131 KB JPEG repeating one scan 2,000 times decodes for a minute, a 1 MB zTXt chunk
 * inflates to 1 GB.
 */
final class ImageStructure {
    private ImageStructure() {}

    /** A JPEG's segments: its length up to and including its end-of-image marker (-1: none), and its scans. */
    record Jpeg(int length, int scans) {}

    /**
     * Walks the marker segments (ITU T.81 B.1): each has a 2-byte length, except SOI, EOI, RSTn and TEM; after each
     * start-of-scan the entropy-coded data runs to the next marker that is not a stuffed FF 00 or a restart marker.
     * An FF D9 inside a segment (a thumbnail in APP1) is skipped with its segment. A file whose segments cannot be
     * walked but that ends in FF D9 is left to the decoder to judge (its scans are those seen before the walk broke).
     */
    static Jpeg jpeg(byte[] b) {
        int scans = 0, i = 2, end = -1;
        walk:
        while (i + 1 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) break;
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { i++; continue; }                                    // fill byte
            if (marker == 0xD9) { end = i + 2; break; }
            if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) { i += 2; continue; }
            if (i + 3 >= b.length) break;
            i += 2 + (((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF));
            if (marker == 0xDA) {                                                      // entropy-coded data
                scans++;
                while (i + 1 < b.length) {
                    if ((b[i] & 0xFF) == 0xFF) {
                        int next = b[i + 1] & 0xFF;
                        if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) continue walk;
                        i += next == 0xFF ? 1 : 2;
                    } else {
                        i++;
                    }
                }
            }
        }
        boolean endsWithEoi = b.length >= 4 && (b[b.length - 2] & 0xFF) == 0xFF && (b[b.length - 1] & 0xFF) == 0xD9;
        return new Jpeg(end < 0 && endsWithEoi ? b.length : end, scans);
    }

    /** The work of decoding a JPEG: the JDK's decoder makes one pass over the whole picture per scan. */
    static void jpegWork(Path file, Jpeg jpeg, long pixels) {
        if (jpeg.scans() > Budget.JPEG_SCANS) {
            throw new BadInputException(file, "JPEG of " + jpeg.scans() + " scans is over the budget of " + Budget.JPEG_SCANS
                    + " (a progressive JPEG has about 10)");
        }
        long work = Math.max(1, jpeg.scans()) * pixels;
        if (work > Budget.JPEG_SCAN_PIXELS) {
            throw new BadInputException(file, "JPEG of " + jpeg.scans() + " scans over " + pixels + " pixels is over the decoding budget of "
                    + Budget.JPEG_SCAN_PIXELS + " scan-pixels");
        }
    }

    /**
     * Walks a PNG's chunks (length, type, data, CRC) up to IEND: every length must fit in the file, each ancillary
     * chunk (a lower-case first letter: text, profiles, metadata) must be within {@link Budget#PNG_ANCILLARY_BYTES}
     * and so must all of them together, and a compressed one (zTXt, compressed iTXt, iCCP) must inflate to no more;
     * inflating stops at the budget. Critical chunks (IHDR, PLTE, IDAT, IEND) are the decoder's to judge.
     */
    static void png(Path file, byte[] b) {
        long ancillary = 0;
        int i = 8;
        while (i < b.length) {
            if (b.length - i < 12) throw new BadInputException(file, "truncated PNG (a chunk is cut short at byte " + i + ")");
            long length = Integer.toUnsignedLong(readInt(b, i));
            String type = new String(b, i + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > b.length - i - 12L) {
                throw new BadInputException(file, "truncated PNG (chunk " + BadInputException.printable(type) + " declares "
                        + length + " bytes, the file has " + (b.length - i - 12L) + " left)");
            }
            int data = i + 8, n = (int) length;
            if (type.equals("IEND")) return;
            if (Character.isLowerCase(type.charAt(0))) {
                ancillary += length;
                if (length > Budget.PNG_ANCILLARY_BYTES || ancillary > Budget.PNG_ANCILLARY_BYTES) {
                    throw new BadInputException(file, "PNG ancillary chunks (" + BadInputException.printable(type) + ") of "
                            + ancillary + " bytes are over the budget of " + Budget.PNG_ANCILLARY_BYTES);
                }
                int compressed = compressedStart(type, b, data, n);
                if (compressed >= 0) {
                    long inflated = inflatedSize(b, compressed, data + n - compressed, Budget.PNG_ANCILLARY_BYTES + 1);
                    if (inflated > Budget.PNG_ANCILLARY_BYTES) {
                        throw new BadInputException(file, "PNG " + type + " chunk inflates to over the budget of "
                                + Budget.PNG_ANCILLARY_BYTES + " bytes");
                    }
                }
            }
            i = data + n + 4;
        }
        // no IEND: the decoder says whether the picture is complete
    }

    // Where the zlib stream of a compressed ancillary chunk starts, or -1: zTXt and iCCP are "name\0 method data";
    // iTXt is "keyword\0 flag method language\0 translated\0 text", compressed when flag is 1.
    private static int compressedStart(String type, byte[] b, int data, int n) {
        int end = data + n;
        int zero = indexOf0(b, data, end);
        if (zero < 0) return -1;
        if (type.equals("zTXt") || type.equals("iCCP")) return zero + 2 <= end ? zero + 2 : -1;
        if (type.equals("iTXt")) {
            if (zero + 3 > end || b[zero + 1] != 1) return -1;
            int language = indexOf0(b, zero + 3, end);
            int translated = language < 0 ? -1 : indexOf0(b, language + 1, end);
            return translated < 0 ? -1 : translated + 1;
        }
        return -1;
    }

    private static int indexOf0(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) if (b[i] == 0) return i;
        return -1;
    }

    /** Bytes a zlib stream inflates to, counting no further than {@code cap}; a broken stream counts what it gave. */
    static long inflatedSize(byte[] b, int offset, int length, long cap) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, offset, length);
            byte[] sink = new byte[1 << 16];
            long total = 0;
            while (total < cap && !inflater.finished()) {
                int got = inflater.inflate(sink);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                total += got;
            }
            return total;
        } catch (DataFormatException broken) {
            return 0;
        } finally {
            inflater.end();
        }
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
