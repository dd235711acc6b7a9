package dev.litenet.data;

import dev.litenet.BadInputException;

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
    static final long MAX_FILE_BYTES = 256L << 20;
    static final long MAX_PIXELS = 64L << 20;
    private static final int EOI_SEARCH = 64;

    private ImageDecoder() {}

    /** A file -> (H,W,3) RGB bytes. */
    public static RgbImage decode(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw new BadInputException(file, "file too large for an image: " + size + " bytes");
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
        if (format.equals("jpeg") && !hasEndOfImage(bytes)) throw new BadInputException(file, "truncated JPEG");

        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) {
                throw new BadInputException(file, "image too large: " + reader.getWidth(0) + "x" + reader.getHeight(0));
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

    /** A JPEG ends with the EOI marker FF D9; a few bytes of padding after it are allowed. */
    private static boolean hasEndOfImage(byte[] b) {
        for (int i = b.length - 2; i >= Math.max(0, b.length - EOI_SEARCH); i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) return true;
        }
        return false;
    }

    /**
     * An image decoded elsewhere -> (H,W,3) RGB bytes, under the same pixel budget as a file; {@code name}
     * only names it in errors.
     */
    public static RgbImage fromImage(Path name, BufferedImage image) {
        long pixels = (long) image.getWidth() * image.getHeight();
        if (pixels > MAX_PIXELS) throw new BadInputException(name, "image too large: " + image.getWidth() + "x" + image.getHeight());
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
