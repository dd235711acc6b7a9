package dev.litenet;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hostile images the tests make for themselves (no file of the corpus is needed): progressive JPEGs that repeat a
 * scan, PNGs with compressed text that inflates to gigabytes, pictures of 49 megapixels in a few kilobytes. Shared
 * by the library's, the server's and the Spark job's tests (the test jar).
 */
public final class HostileImages {
    private HostileImages() {}

    /** A noisy picture, so that JPEG has something to code in every scan. */
    public static BufferedImage noise(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        SplittableRandom r = new SplittableRandom(seed);
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) image.setRGB(x, y, ((x * 7) ^ (y * 3)) & 0xFFFFFF ^ r.nextInt(16));
        return image;
    }

    /** A progressive JPEG (the JDK writer's default script: 10 scans for colour). */
    public static byte[] progressiveJpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream o = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(o);
            writer.write(null, new IIOImage(image, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** [start, end) of each scan (SOS segment and its entropy-coded data) of a JPEG. */
    static List<int[]> scans(byte[] b) {
        List<int[]> scans = new ArrayList<>();
        int i = 2;
        while (i + 3 < b.length) {
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xD9) break;
            int start = i;
            i += 2 + (((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF));
            if (marker == 0xDA) {
                while (i + 1 < b.length) {
                    if ((b[i] & 0xFF) == 0xFF) {
                        int n = b[i + 1] & 0xFF;
                        if (n != 0 && (n < 0xD0 || n > 0xD7)) break;
                        i += 2;
                    } else {
                        i++;
                    }
                }
                scans.add(new int[] {start, i});
            }
        }
        return scans;
    }

    /**
     * A progressive JPEG whose smallest scan comes again {@code repeats} times before the end: each repeat is a few
     * hundred bytes, and the JDK's decoder makes a pass over the whole picture for each (2,000 repeats of a
     * 1000x1000 picture: 18 s).
     */
    public static byte[] scanFlood(int width, int height, int repeats) {
        byte[] b = progressiveJpeg(noise(width, height, 1));
        List<int[]> scans = scans(b);
        int[] last = scans.getLast(), small = scans.getFirst();
        for (int[] s : scans) if (s[1] - s[0] < small[1] - small[0]) small = s;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, last[1]);
        for (int k = 0; k < repeats; k++) out.write(b, small[0], small[1] - small[0]);
        out.write(b, last[1], b.length - last[1]);
        return out.toByteArray();
    }

    /** A JPEG with its frame header (SOF0 or SOF2) changed to declare {@code width x height}. */
    public static byte[] withDeclaredSize(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 8 < b.length; ) {
            int marker = b[i + 1] & 0xFF, length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC2) {
                b[i + 5] = (byte) (height >> 8);
                b[i + 6] = (byte) height;
                b[i + 7] = (byte) (width >> 8);
                b[i + 8] = (byte) width;
                return b;
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("no SOF0/SOF2 segment");
    }

    /** One PNG chunk: length, type, data, CRC. */
    public static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        b.putInt(data.length).put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** A PNG with {@code extra} chunks inserted after IHDR. */
    public static byte[] pngWith(byte[] png, byte[]... extra) {
        int afterIhdr = 8 + 12 + 13;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        for (byte[] c : extra) out.writeBytes(c);
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    /** A small real PNG. */
    public static byte[] smallPng() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(noise(32, 24, 2), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A zTXt chunk whose text is {@code inflated} zero bytes, deflated (1 GB becomes about 1 MB). */
    public static byte[] zTxt(long inflated) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes("Comment".getBytes(StandardCharsets.ISO_8859_1));
        data.write(0);
        data.write(0);                                      // compression method 0: zlib
        data.writeBytes(deflatedZeros(inflated));
        return chunk("zTXt", data.toByteArray());
    }

    /** {@code length} zero bytes as a zlib stream. */
    public static byte[] deflatedZeros(long length) {
        Deflater d = new Deflater(9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20], buf = new byte[1 << 16];
        for (long left = length; left > 0; left -= zeros.length) {
            d.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!d.needsInput()) out.write(buf, 0, d.deflate(buf));
        }
        d.finish();
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    /** A grey PNG of {@code width x height} pixels, all black, made row by row (49 MP is about 50 KB). */
    public static byte[] bigPng(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater d = new Deflater(9);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[width + 1], buf = new byte[1 << 16];             // filter byte 0, then the row
        for (int y = 0; y < height; y++) {
            d.setInput(row);
            while (!d.needsInput()) idat.write(buf, 0, d.deflate(buf));
        }
        d.finish();
        while (!d.finished()) idat.write(buf, 0, d.deflate(buf));
        d.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        out.writeBytes(chunk("IHDR", ihdr.array()));
        out.writeBytes(chunk("IDAT", idat.toByteArray()));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** An 8-bit BMP of {@code width x height}, run-length coded (RLE8): 49 MP is about 400 KB. */
    public static byte[] bigBmp(int width, int height) {
        ByteArrayOutputStream rle = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            for (int left = width; left > 0; left -= 255) {
                rle.write(Math.min(255, left));
                rle.write(1);                                            // palette entry 1
            }
            rle.write(0);
            rle.write(0);                                                // end of line
        }
        rle.write(0);
        rle.write(1);                                                    // end of bitmap
        byte[] data = rle.toByteArray();
        int palette = 256 * 4, offset = 14 + 40 + palette;
        ByteBuffer b = ByteBuffer.allocate(offset + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(offset + data.length).putInt(0).putInt(offset);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 8).putInt(1)   // BI_RLE8
                .putInt(data.length).putInt(2835).putInt(2835).putInt(256).putInt(0);
        for (int i = 0; i < 256; i++) b.put((byte) i).put((byte) (255 - i)).put((byte) 64).put((byte) 0);
        b.put(data);
        return b.array();
    }

    /** A GIF of {@code width x height} pixels of one colour, from the JDK's writer (49 MP is about 40 KB, 1 s). */
    public static byte[] bigGif(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED), "gif", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code bytes} with the byte at {@code at} set to {@code value}. */
    public static byte[] with(byte[] bytes, int at, int value) {
        byte[] b = Arrays.copyOf(bytes, bytes.length);
        b[at] = (byte) value;
        return b;
    }
}
