package dev.litenet.io;

import dev.litenet.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The budgets every reader of outside input checks BEFORE it allocates: what a file declares (sizes, counts,
 * shapes) is compared with its real size and with a fixed cap, with overflow-safe arithmetic, and the refusal is
 * one {@link BadInputException} naming the file. docs/SECURITY.md lists the budgets and why they are what they are.
 */
public final class Budget {
    private Budget() {}

    /** Pixels of one image: as decoded, and after every resize or crop (a 48 MP photo fits; 40 GB of floats does not). */
    public static final long IMAGE_PIXELS = 50_000_000L;
    /** Declared pixels per byte of an image file above {@link #FREE_PIXELS}: PNG's best case is about 8,300. */
    public static final long PIXELS_PER_BYTE = 10_000L;
    /** Pixels any image file may declare whatever its size. */
    public static final long FREE_PIXELS = 1L << 20;
    /** Bytes of one image file. */
    public static final long IMAGE_FILE_BYTES = 256L << 20;
    /**
     * Pixels an image is decoded to (16.8 M: a 12 MP photo whole). A larger one is decoded subsampled, every 2nd
     * (3rd, ...) pixel of every 2nd (3rd, ...) row, to at most this: still 8 to 16 times what any network here
     * looks at, and 1/4 (1/9, ...) of the memory.
     */
    public static final long DECODE_PIXELS = 1L << 24;
    /**
     * Heap bytes a decode may hold per decoded pixel, counted generously: the decoder's picture (up to 6 bytes per
     * pixel for 16-bit PNG), a 4-byte ARGB copy for palette and 16-bit pictures, the 3-byte RGB result, a crop.
     */
    public static final long DECODE_BYTES_PER_PIXEL = 16;
    /** Scans of one JPEG: a baseline JPEG has 1, a progressive one about 10. */
    public static final int JPEG_SCANS = 64;
    /**
     * Scans times pixels of one JPEG: the JDK's decoder makes one pass over the whole picture per scan, 5 to 10 ns
     * a pixel (a 48 MP progressive photo of 10 scans is 480 M, about 3 s; at most 5 s).
     */
    public static final long JPEG_SCAN_PIXELS = 512L << 20;
    /** Bytes of a PNG's ancillary chunks (text, ICC profile, metadata), and what a compressed one may inflate to. */
    public static final long PNG_ANCILLARY_BYTES = 8L << 20;
    /** CPU time of decoding one image (the thread's, so a busy machine does not fail good images): 10 s. */
    public static final long DECODE_CPU_NANOS = 10_000_000_000L;

    /**
     * Heap the decodes of one JVM may hold at once (2/5 of the heap, and at least one decode of
     * {@link #DECODE_PIXELS}): each decode holds {@link #DECODE_BYTES_PER_PIXEL} per pixel of it until its image is
     * prepared, and waits while the others hold the rest. So any number of threads may decode at once, and the
     * decodes of one JVM fit its heap whatever the images.
     */
    public static long decodeBytesInFlight() {
        return Math.max(DECODE_PIXELS * DECODE_BYTES_PER_PIXEL, Runtime.getRuntime().maxMemory() / 5 * 2);
    }
    /** Float values one weights file may expand to: every storage and every tensor view counted (1 GB of floats). */
    public static final long WEIGHT_VALUES = 256L << 20;
    /** Bytes of a weights file read into memory whole (TFLite, legacy .pth). */
    public static final long WEIGHTS_FILE_BYTES = 1L << 30;
    /** Bytes of one pickle (data.pkl of a .pth); a real state_dict's is well under 1 MB per 1,000 tensors. */
    public static final long PICKLE_BYTES = 64L << 20;
    /** Values on a pickle's stack plus its memo. */
    public static final int PICKLE_ITEMS = 1 << 20;
    /** Bytes of one pickled integer (LONG1 / LONG4); torch's largest is the 10-byte legacy magic number. */
    public static final int PICKLE_INT_BYTES = 64;
    /** Deflate never expands data by more than about 1032 to 1 (zlib's technical notes). */
    public static final long DEFLATE_RATIO = 1032;
    /** Values of one IDX file (Fashion-MNIST's training images are 47 M). */
    public static final long IDX_VALUES = 256L << 20;
    /** Bytes of a labels or metadata text file (ImageNet's 1001 labels are 11 KB). */
    public static final long TEXT_FILE_BYTES = 16L << 20;

    /**
     * The size of {@code file}, after checking that it is a regular file: a FIFO would hang the reader,
     * {@code /dev/zero} would never end, a folder (or the empty path, the current folder) is not a file.
     */
    public static long regularFile(Path file) {
        if (file.toString().isEmpty()) throw new BadInputException("'' (the empty path) is not a file");
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw ReadError.of(file, e);
        }
        if (a.isDirectory()) throw new BadInputException(file, "is a folder, not a file");
        if (!a.isRegularFile()) throw new BadInputException(file, "not a regular file (a device, pipe or socket)");
        return a.size();
    }

    /** How {@link #whileReading} starts its message. */
    public static final String WHILE_READING = "while reading ";

    /** An out-of-memory error naming the file being read: within budget, but the heap is smaller still. */
    public static OutOfMemoryError whileReading(Path file, OutOfMemoryError e) {
        OutOfMemoryError named = new OutOfMemoryError(WHILE_READING + BadInputException.printable(file.toString()));
        named.initCause(e);
        return named;
    }

    /** Refuses {@code amount} of {@code what} over {@code limit}. */
    public static void check(Path file, String what, long amount, long limit) {
        if (amount < 0 || amount > limit) {
            throw new BadInputException(file, what + " (" + amount + ") is over the budget of " + limit);
        }
    }

    /** The product of {@code factors}, refused when it overflows or exceeds {@code limit}. */
    public static long product(Path file, String what, long limit, long... factors) {
        long n = 1;
        for (long f : factors) {
            if (f < 0) throw new BadInputException(file, what + ": negative size " + f);
            try {
                n = Math.multiplyExact(n, f);
            } catch (ArithmeticException e) {
                throw new BadInputException(file, what + " overflows 64 bits");
            }
        }
        check(file, what, n, limit);
        return n;
    }

    /** Refuses an image of {@code height x width} pixels over {@link #IMAGE_PIXELS}; {@code file} may be null. */
    public static void imagePixels(Path file, long height, long width) {
        if (height > 0 && width > 0 && height <= IMAGE_PIXELS && width <= IMAGE_PIXELS && height * width <= IMAGE_PIXELS) return;
        String problem = "image of " + width + "x" + height + " pixels is over the budget of " + IMAGE_PIXELS + " pixels";
        throw file == null ? new BadInputException(problem) : new BadInputException(file, problem);
    }

    /** Refuses a non-finite value of a tensor: NaN or infinite weights are never loaded. */
    public static void finite(Path file, String tensor, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new BadInputException(file, "tensor " + tensor + " holds " + values[i] + " at index " + i + " (weights must be finite)");
            }
        }
    }
}
