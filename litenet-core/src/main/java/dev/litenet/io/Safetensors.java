package dev.litenet.io;

import dev.litenet.BadInputException;
import dev.litenet.tensor.TorchTensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The safetensors format (huggingface/safetensors): a u64 little-endian header length N, N bytes of UTF-8 JSON
 * {@code {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}}, then the
 * data; offsets are relative to the byte after the header. Reads F32, F16, BF16, F64, I64 and I32 as floats;
 * writes F32.
 */
public final class Safetensors {
    private Safetensors() {}

    /** The spec's own cap on the header (100 MB). */
    private static final long MAX_HEADER = 100L << 20;
    private static final String METADATA = "__metadata__";
    private static final int WRITE_CHUNK = 1 << 20;
    /** Element counts saturate here, so count * element size never overflows. */
    private static final long MAX_NUMEL = Long.MAX_VALUE / 8;

    /** One tensor's header entry: {@code [begin, end)} bytes into the data section. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    private record Header(Map<String, String> metadata, List<Entry> entries, long dataStart) {}

    /** A safetensors file -> its tensors in header order, as float values. */
    public static LinkedHashMap<String, TorchTensor> read(Path file) {
        Budget.regularFile(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = header(file, ch);
            LinkedHashMap<String, TorchTensor> out = new LinkedHashMap<>();
            for (Entry e : header.entries()) {
                ByteBuffer bytes = ByteBuffer.allocate((int) (e.end() - e.begin()));
                long at = header.dataStart() + e.begin();
                while (bytes.hasRemaining()) {
                    if (ch.read(bytes, at + bytes.position()) < 0) throw new BadInputException(file, "truncated while reading tensor " + e.name());
                }
                bytes.flip();
                int count = bytes.remaining() / e.dtype().size;
                float[] values = e.dtype().toFloats(bytes, count);
                Budget.finite(file, e.name(), values);
                out.put(e.name(), new TorchTensor(e.shape(), values));
            }
            return out;
        } catch (IOException e) {
            throw ReadError.of(file, e);
        }
    }

    /** The header's {@code __metadata__} (empty when absent). */
    public static Map<String, String> readMetadata(Path file) {
        Budget.regularFile(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch).metadata();
        } catch (IOException e) {
            throw ReadError.of(file, e);
        }
    }

    /**
     * Writes {@code tensors} as F32 in map order with {@code metadata}, atomically: a temporary file in the
     * same folder is filled, forced to disk and renamed over {@code file}.
     */
    public static void write(Path file, Map<String, TorchTensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(header.length).put(header).flip();
                writeFully(ch, head);
                ByteBuffer chunk = ByteBuffer.allocate(WRITE_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                for (TorchTensor t : tensors.values()) {
                    float[] data = t.data();
                    for (int from = 0; from < data.length; from += WRITE_CHUNK / 4) {
                        int n = Math.min(WRITE_CHUNK / 4, data.length - from);
                        chunk.clear();
                        chunk.asFloatBuffer().put(data, from, n);
                        chunk.limit(4 * n);
                        writeFully(ch, chunk);
                    }
                }
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The bytes {@link #write} would write for these tensors and metadata, without writing: the 8-byte length, the
     * JSON header padded to a multiple of 8, and 4 bytes per value.
     */
    public static long size(Map<String, TorchTensor> tensors, Map<String, String> metadata) {
        long data = 0;
        for (TorchTensor t : tensors.values()) data += 4L * t.data().length;
        return 8 + header(tensors, metadata).length + data;
    }

    /** The JSON header of F32 tensors in map order, space-padded to a multiple of 8 bytes as the format's writers do. */
    private static byte[] header(Map<String, TorchTensor> tensors, Map<String, String> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null) throw new IllegalArgumentException("metadata keys and values must not be null");
            }
            json.put(METADATA, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, TorchTensor> t : tensors.entrySet()) {
            if (t.getKey() == null || t.getKey().equals(METADATA)) throw new IllegalArgumentException("bad tensor name: " + t.getKey());
            long bytes = 4L * t.getValue().data().length;
            List<Long> shape = Arrays.stream(t.getValue().shape()).mapToObj(d -> (long) d).toList();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", DType.F32.name());
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + bytes));
            json.put(t.getKey(), entry);
            offset += bytes;
        }
        byte[] text = Json.write(json).getBytes(StandardCharsets.UTF_8);
        byte[] header = Arrays.copyOf(text, (text.length + 7) / 8 * 8);
        Arrays.fill(header, text.length, header.length, (byte) ' ');
        return header;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /** Reads and checks the header: length within the file, JSON well formed, every entry inside the data. */
    private static Header header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) throw new BadInputException(file, "empty file");
        if (size < 8) throw new BadInputException(file, "too short for a safetensors header (" + size + " bytes)");
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lengthBytes, 0);
        long n = lengthBytes.getLong(0);
        if (n < 0 || n > size - 8) throw new BadInputException(file, "safetensors header length " + Long.toUnsignedString(n) + " runs past the end of the file (" + size + " bytes)");
        if (n > MAX_HEADER) throw new BadInputException(file, "safetensors header of " + n + " bytes is larger than the 100 MB limit");
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        readFully(file, ch, headerBytes, 8);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(file, "safetensors header is not UTF-8");
        }
        Object json;
        try {
            json = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new BadInputException(file, "safetensors header: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> top)) throw new BadInputException(file, "safetensors header is not a JSON object");
        long dataSize = size - 8 - n;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) metadata = metadata(file, e.getValue());
            else entries.add(entry(file, name, e.getValue(), dataSize));
        }
        long values = 0;
        for (Entry e : entries) values += (e.end() - e.begin()) / e.dtype().size;
        Budget.check(file, "float values of all tensors", values, Budget.WEIGHT_VALUES);
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin));
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() == e.end()) continue;
            if (previous != null && e.begin() < previous.end()) throw new BadInputException(file, "tensors " + previous.name() + " and " + e.name() + " overlap");
            previous = e;
        }
        return new Header(metadata, entries, 8 + n);
    }

    private static Map<String, String> metadata(Path file, Object value) {
        if (!(value instanceof Map<?, ?> m)) throw new BadInputException(file, "__metadata__ is not a JSON object");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String v)) throw new BadInputException(file, "__metadata__ value of " + e.getKey() + " is not a string");
            out.put((String) e.getKey(), v);
        }
        return out;
    }

    private static Entry entry(Path file, String name, Object value, long dataSize) {
        if (!(value instanceof Map<?, ?> m)) throw new BadInputException(file, "tensor " + name + ": entry is not a JSON object");
        if (!(m.get("dtype") instanceof String dtypeName)) throw new BadInputException(file, "tensor " + name + ": dtype missing");
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file, "tensor " + name + ": unsupported dtype " + dtypeName);
        }
        if (!(m.get("shape") instanceof List<?> dims)) throw new BadInputException(file, "tensor " + name + ": shape missing");
        int[] shape = new int[dims.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) throw new BadInputException(file, "tensor " + name + ": bad shape " + dims);
            shape[i] = (int) (long) d;
            numel = d == 0 ? 0 : numel > MAX_NUMEL / d ? MAX_NUMEL : numel * d;
        }
        if (!(m.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw new BadInputException(file, "tensor " + name + ": data_offsets must be [begin, end]");
        }
        if (begin < 0 || end < begin || end > dataSize) {
            throw new BadInputException(file, "tensor " + name + ": data_offsets [" + begin + ", " + end + "] are outside the data (" + dataSize + " bytes)");
        }
        if (end - begin != numel * dtype.size) {
            throw new BadInputException(file, "tensor " + name + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs " + numel * dtype.size + " bytes, data_offsets give " + (end - begin));
        }
        if (end - begin > Integer.MAX_VALUE - 8) throw new BadInputException(file, "tensor " + name + " is too large (over 2 GB)");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) throw new BadInputException(file, "truncated");
        }
    }
}
