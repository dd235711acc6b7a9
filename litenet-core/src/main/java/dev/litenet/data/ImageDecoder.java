package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.io.Budget;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Reads a JPEG, PNG, BMP or GIF file into 8-bit RGB, with its own checks where {@code ImageIO.read} is silent
 * (see shared/data/bad-images/README.md): it returns null for empty or non-image files and fills in truncated
 * JPEGs without an error. Grayscale becomes R = G = B, CMYK is converted, alpha is dropped (not composited), and
 * the format is found from the content, not the file name. Every problem is one {@link BadInputException}.
 *
 * <p>Budgets ({@link Budget}, docs/SECURITY.md), checked before and while decoding: the file's size, its first
 * bytes before the rest is read, the structure it declares ({@link ImageStructure}: a JPEG's scans times its
 * pixels, a PNG's ancillary chunks), its pixels against its size, the CPU time of the decode. An image over
 * {@link Budget#DECODE_PIXELS} is decoded subsampled to fit, and the decodes of one JVM share
 * {@link Budget#decodeBytesInFlight()} of heap: a decode waits until its share is free.
 */
public final class ImageDecoder {
    private static final int HEAD_BYTES = 16;
    private static final long PERMIT_BYTES = 1024;
    private static final Semaphore IN_FLIGHT = new Semaphore((int) Math.min(Integer.MAX_VALUE, Budget.decodeBytesInFlight() / PERMIT_BYTES), true);
    private static final int ALL_PERMITS = IN_FLIGHT.availablePermits();

    private ImageDecoder() {}

    /** A file -> (H,W,3) RGB bytes. */
    public static RgbImage decode(Path file) { return decode(file, Function.identity()); }

    /**
     * Decodes a file and hands the image to {@code then} while the decode's share of the heap is still held (so the
     * preprocessing that follows counts too).
     *
     * @param file the image file
     * @param then what to make of the decoded image
     * @param <T>  the result
     * @return what {@code then} made
     */
    public static <T> T decode(Path file, Function<RgbImage, T> then) {
        return decode(file, read(file), then);
    }

    /**
     * The bytes of an image file, read whole only once its size is within budget and its first bytes are those of
     * an image: a large file of anything else costs 16 bytes of reading.
     */
    static byte[] read(Path file) {
        long size = Budget.regularFile(file);
        Budget.check(file, "image file bytes", size, Budget.IMAGE_FILE_BYTES);
        try (SeekableByteChannel in = Files.newByteChannel(file)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, size));
            while (head.hasRemaining() && in.read(head) >= 0) { /* up to 16 bytes */ }
            if (head.position() == 0) throw new BadInputException(file, "empty file");
            if (formatOf(Arrays.copyOf(head.array(), head.position())) == null) {
                throw new BadInputException(file, "not a supported image (JPEG, PNG, BMP, GIF)");
            }
            in.position(0);
            ByteBuffer all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && in.read(all) >= 0) { /* to the end */ }
            return all.position() == all.capacity() ? all.array() : Arrays.copyOf(all.array(), all.position());
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new BadInputException(file, "permission denied", e);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The bytes of {@code file} -> (H,W,3) RGB bytes; {@code file} only names it in errors. */
    public static RgbImage decode(Path file, byte[] bytes) { return decode(file, bytes, Function.identity()); }

    /**
     * Decodes encoded bytes and hands the image to {@code then} while the decode's share of the heap is held.
     *
     * @param file  names the image in errors
     * @param bytes the encoded image
     * @param then  what to make of the decoded image
     * @param <T>   the result
     * @return what {@code then} made
     */
    public static <T> T decode(Path file, byte[] bytes, Function<RgbImage, T> then) {
        if (bytes.length == 0) throw new BadInputException(file, "empty file");
        Budget.check(file, "image file bytes", bytes.length, Budget.IMAGE_FILE_BYTES);
        String format = formatOf(bytes);
        if (format == null) throw new BadInputException(file, "not a supported image (JPEG, PNG, BMP, GIF)");
        int length = bytes.length;
        ImageStructure.Jpeg jpeg = null;
        if (format.equals("jpeg")) {
            jpeg = ImageStructure.jpeg(bytes);
            length = jpeg.length();   // bytes after the end-of-image marker (common on the web) are ignored
            if (length < 0) throw new BadInputException(file, "truncated JPEG");
        } else if (format.equals("png")) {
            ImageStructure.png(file, bytes);
        }

        List<String> warnings = new ArrayList<>();
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        int permits = 0;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes, 0, length))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            long width = reader.getWidth(0), height = reader.getHeight(0);
            Budget.imagePixels(file, height, width);
            if (width * height > Math.max(Budget.FREE_PIXELS, Budget.PIXELS_PER_BYTE * length)) {
                throw new BadInputException(file, "image declares " + width + "x" + height + " pixels but has only "
                        + length + " bytes (over " + Budget.PIXELS_PER_BYTE + " pixels per byte)");
            }
            if (jpeg != null) ImageStructure.jpegWork(file, jpeg, width * height);
            int step = subsampling(width, height);
            long decoded = ceilDiv(width, step) * ceilDiv(height, step);
            permits = (int) Math.min(ALL_PERMITS, Math.max(1, decoded * Budget.DECODE_BYTES_PER_PIXEL / PERMIT_BYTES));
            IN_FLIGHT.acquireUninterruptibly(permits);
            ImageReadParam param = reader.getDefaultReadParam();
            if (step > 1) param.setSourceSubsampling(step, step, 0, 0);
            CpuBudget cpu = new CpuBudget(reader);
            reader.addIIOReadProgressListener(cpu);
            BufferedImage image = reader.read(0, param);
            if (cpu.over) {
                throw new BadInputException(file, "decoding took over the budget of " + Budget.DECODE_CPU_NANOS / 1_000_000_000 + " s of CPU");
            }
            if (!warnings.isEmpty()) {
                String warning = warnings.getFirst();
                boolean truncated = format.equals("jpeg") && (warning.contains("Truncated") || warning.contains("premature end"));
                throw new BadInputException(file, truncated ? "truncated JPEG" : "corrupt image: " + warning);
            }
            if (image == null) throw new BadInputException(file, "corrupt image: no picture in the file");
            RgbImage rgb = toRgb(image);
            image = null;                                          // the decoder's picture can go before `then` runs
            return then.apply(rgb);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new BadInputException(file, "corrupt image: " + why, e);
        } finally {
            reader.dispose();
            if (permits > 0) IN_FLIGHT.release(permits);
        }
    }

    /** The smallest step (1, 2, 3, ...) whose subsampled picture has at most {@link Budget#DECODE_PIXELS} pixels. */
    static int subsampling(long width, long height) {
        int step = 1;
        while (ceilDiv(width, step) * ceilDiv(height, step) > Budget.DECODE_PIXELS) step++;
        return step;
    }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    /**
     * Aborts a decode (the reader checks between rows) once this thread has spent its CPU budget on it. The thread's
     * CPU time is asked for only after a second of wall time (the JVM's management beans take 30-70 ms to start, a
     * tenth of a one-shot predict); that first second is counted as CPU, so the budget errs on the short side.
     */
    private static final class CpuBudget implements IIOReadProgressListener {
        private static final long ASK_AFTER = 1_000_000_000L;
        private final ImageReader reader;
        private final long start = System.nanoTime();
        private long askedAt = -1, cpuAtAsk;
        volatile boolean over;

        CpuBudget(ImageReader reader) { this.reader = reader; }

        @Override public void imageProgress(ImageReader source, float percentageDone) {
            long wall = System.nanoTime() - start;
            if (over || wall < ASK_AFTER) return;
            long spent = wall;
            if (ThreadCpu.SUPPORTED) {
                if (askedAt < 0) {
                    askedAt = wall;
                    cpuAtAsk = ThreadCpu.now();
                }
                spent = askedAt + ThreadCpu.now() - cpuAtAsk;
            }
            if (spent > Budget.DECODE_CPU_NANOS) {
                over = true;
                reader.abort();
            }
        }

        @Override public void sequenceStarted(ImageReader source, int minIndex) {}
        @Override public void sequenceComplete(ImageReader source) {}
        @Override public void imageStarted(ImageReader source, int imageIndex) {}
        @Override public void imageComplete(ImageReader source) {}
        @Override public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}
        @Override public void thumbnailProgress(ImageReader source, float percentageDone) {}
        @Override public void thumbnailComplete(ImageReader source) {}
        @Override public void readAborted(ImageReader source) {}
    }

    /** The CPU time of the current thread, loaded on first use. */
    private static final class ThreadCpu {
        private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        static final boolean SUPPORTED = MX.isCurrentThreadCpuTimeSupported();

        static long now() { return MX.getCurrentThreadCpuTime(); }
    }

    /** The ImageIO format name from the first bytes, or null when the content is none of the four formats. */
    static String formatOf(byte[] b) {
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) return "jpeg";
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "png";
        if (startsWith(b, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') return "gif";
        if (startsWith(b, 'B', 'M')) return "bmp";
        return null;
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((b[i] & 0xFF) != magic[i]) return false;
        return true;
    }

    /** The length of a JPEG up to and including its end-of-image marker (FF D9), or -1 when there is none. */
    static int endOfImage(byte[] b) { return ImageStructure.jpeg(b).length(); }

    /**
     * {@code e} as a problem of {@code file}: messages of steps that do not know the file (a resize over budget)
     * get its name in front.
     *
     * @param file the image
     * @param e    the problem
     * @return {@code e} when it names the file already, else a new exception that does
     */
    public static BadInputException naming(Path file, BadInputException e) {
        String prefix = BadInputException.printable(file + ": ");
        return e.getMessage().startsWith(prefix) ? e : new BadInputException(file, e.getMessage(), e);
    }

    /**
     * An image decoded elsewhere -> (H,W,3) RGB bytes, under the same pixel budget as a file; {@code name}
     * only names it in errors.
     */
    public static RgbImage fromImage(Path name, BufferedImage image) {
        Budget.imagePixels(name, image.getHeight(), image.getWidth());
        return toRgb(image);
    }

    /** Any decoded image -> (H,W,3) RGB bytes, reading byte rasters directly. */
    static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        Raster raster = image.getRaster();
        if (image.getColorModel() instanceof ComponentColorModel cm
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && raster.getDataBuffer() instanceof DataBufferByte buffer
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            byte[] data = buffer.getData();
            int[] band = sm.getBandOffsets();
            int stride = sm.getPixelStride(), rowStride = sm.getScanlineStride();
            int colorSpace = cm.getColorSpace().getType(), bands = band.length;
            if (colorSpace == ColorSpace.TYPE_RGB && bands >= 3) {
                copyRgb(data, band, stride, rowStride, h, w, rgb);
                return new RgbImage(h, w, rgb);
            }
            if (colorSpace == ColorSpace.TYPE_GRAY && bands <= 2) {
                copyGray(data, band[0], stride, rowStride, h, w, rgb);
                return new RgbImage(h, w, rgb);
            }
            if (colorSpace == ColorSpace.TYPE_CMYK && bands == 4) {
                convertCmyk(data, band, stride, rowStride, h, w, rgb);
                return new RgbImage(h, w, rgb);
            }
        }
        // Palette, packed-int and 16-bit images: one bulk call, ImageIO converts to sRGB; alpha is dropped.
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
            rgb[o] = (byte) (argb[i] >> 16);
            rgb[o + 1] = (byte) (argb[i] >> 8);
            rgb[o + 2] = (byte) argb[i];
        }
        return new RgbImage(h, w, rgb);
    }

    // Bands 0, 1, 2 are R, G, B in any interleaved order (BGR, ABGR, RGBA); a fourth band (alpha) is ignored.
    private static void copyRgb(byte[] data, int[] band, int stride, int rowStride, int h, int w, byte[] rgb) {
        int o = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0, p = y * rowStride; x < w; x++, p += stride) {
                rgb[o++] = data[p + band[0]];
                rgb[o++] = data[p + band[1]];
                rgb[o++] = data[p + band[2]];
            }
        }
    }

    // Gray (with or without alpha): R = G = B = the gray value as stored, no gamma change.
    private static void copyGray(byte[] data, int band, int stride, int rowStride, int h, int w, byte[] rgb) {
        int o = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0, p = y * rowStride + band; x < w; x++, p += stride) {
                byte v = data[p];
                rgb[o++] = v;
                rgb[o++] = v;
                rgb[o++] = v;
            }
        }
    }

    /**
     * CMYK samples as the JDK's JPEG reader delivers them (0 = no ink) -> RGB with the naive formula
     * R = 255 (1 - C)(1 - K), G = 255 (1 - M)(1 - K), B = 255 (1 - Y)(1 - K); no ICC profile is applied.
     */
    private static void convertCmyk(byte[] data, int[] band, int stride, int rowStride, int h, int w, byte[] rgb) {
        int o = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0, p = y * rowStride; x < w; x++, p += stride) {
                int white = 255 - (data[p + band[3]] & 0xFF);
                for (int c = 0; c < 3; c++) rgb[o++] = (byte) (((255 - (data[p + band[c]] & 0xFF)) * white + 127) / 255);
            }
        }
    }
}
