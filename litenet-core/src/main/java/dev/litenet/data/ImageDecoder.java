package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.io.Budget;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JPEG, PNG, BMP or GIF file into 8-bit RGB, with its own checks where {@code ImageIO.read} is silent
 * (see shared/data/bad-images/README.md): it returns null for empty or non-image files and fills in truncated
 * JPEGs without an error. Grayscale becomes R = G = B, CMYK is converted, alpha is dropped (not composited), and
 * the format is found from the content, not the file name. Every problem is one {@link BadInputException}.
 */
public final class ImageDecoder {

    private ImageDecoder() {}

    /** A file -> (H,W,3) RGB bytes. */
    public static RgbImage decode(Path file) {
        long size = Budget.regularFile(file);
        Budget.check(file, "image file bytes", size, Budget.IMAGE_FILE_BYTES);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, "file not found", e);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + e.getMessage(), e);
        }
        return decode(file, bytes);
    }

    /** The bytes of {@code file} -> (H,W,3) RGB bytes; {@code file} only names it in errors. */
    public static RgbImage decode(Path file, byte[] bytes) {
        if (bytes.length == 0) throw new BadInputException(file, "empty file");
        String format = formatOf(bytes);
        if (format == null) throw new BadInputException(file, "not a supported image (JPEG, PNG, BMP, GIF)");
        int length = bytes.length;
        if (format.equals("jpeg")) {
            length = endOfImage(bytes);   // bytes after the end-of-image marker (common on the web) are ignored
            if (length < 0) throw new BadInputException(file, "truncated JPEG");
        }

        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes, 0, length))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            long width = reader.getWidth(0), height = reader.getHeight(0);
            Budget.imagePixels(file, height, width);
            if (width * height > Math.max(Budget.FREE_PIXELS, Budget.PIXELS_PER_BYTE * length)) {
                throw new BadInputException(file, "image declares " + width + "x" + height + " pixels but has only "
                        + length + " bytes (over " + Budget.PIXELS_PER_BYTE + " pixels per byte)");
            }
            image = reader.read(0);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new BadInputException(file, "corrupt image: " + why, e);
        } finally {
            reader.dispose();
        }
        if (!warnings.isEmpty()) {
            String warning = warnings.getFirst();
            boolean truncated = format.equals("jpeg") && (warning.contains("Truncated") || warning.contains("premature end"));
            throw new BadInputException(file, truncated ? "truncated JPEG" : "corrupt image: " + warning);
        }
        if (image == null) throw new BadInputException(file, "corrupt image: no picture in the file");
        return toRgb(image);
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

    /**
     * The length of a JPEG up to and including its end-of-image marker (FF D9), or -1 when there is none (a
     * truncated file). Walks the marker segments (ITU T.81 B.1): each has a 2-byte length, except SOI, EOI, RSTn
     * and TEM; after each start-of-scan the entropy-coded data runs to the next marker that is not a stuffed
     * FF 00 or a restart marker. An FF D9 inside a segment (a thumbnail in APP1) is skipped with its segment.
     * A file whose segments cannot be walked but that ends in FF D9 is left to the decoder to judge.
     */
    static int endOfImage(byte[] b) {
        int end = walkToEndOfImage(b);
        boolean endsWithEoi = b.length >= 4 && (b[b.length - 2] & 0xFF) == 0xFF && (b[b.length - 1] & 0xFF) == 0xD9;
        return end < 0 && endsWithEoi ? b.length : end;
    }

    private static int walkToEndOfImage(byte[] b) {
        int i = 2;
        while (i + 1 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) return -1;
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { i++; continue; }                                    // fill byte
            if (marker == 0xD9) return i + 2;
            if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) { i += 2; continue; }
            if (i + 3 >= b.length) return -1;
            i += 2 + (((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF));
            if (marker == 0xDA) {                                                      // entropy-coded data
                while (i + 1 < b.length) {
                    if ((b[i] & 0xFF) == 0xFF) {
                        int next = b[i + 1] & 0xFF;
                        if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) break;
                        i += next == 0xFF ? 1 : 2;
                    } else {
                        i++;
                    }
                }
            }
        }
        return -1;
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
