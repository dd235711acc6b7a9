package dev.litenet.io;

import dev.litenet.BadInputException;
import dev.litenet.tensor.TorchTensor;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch state_dict written by {@code torch.save} without running any of its code, in both formats:
 * <ul>
 * <li>zip (torch &gt;= 1.6): {@code <folder>/data.pkl} is the pickle, {@code <folder>/data/<key>} holds each
 *     storage's raw little-endian bytes;</li>
 * <li>legacy (torch &lt; 1.6, or {@code _use_new_zipfile_serialization=False}): five things in a row: the magic
 *     number pickle, the protocol version pickle, the sys_info pickle, the state_dict pickle, the pickled list
 *     of storage keys, then per key an int64 element count and the raw bytes.</li>
 * </ul>
 * Every value becomes a float {@link TorchTensor} in torch layout; views (offset, strides) are copied out.
 */
public final class TorchStateDict {
    private TorchStateDict() {}

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** A .pth file (zip or legacy) -> its tensors in file order. */
    public static LinkedHashMap<String, TorchTensor> read(Path file) {
        return switch (FileKind.of(file)) {
            case TORCH_ZIP -> readZip(file);
            case TORCH_LEGACY -> readLegacy(file);
            case EMPTY -> throw new BadInputException(file, "empty file");
            case SAFETENSORS, UNKNOWN -> throw new BadInputException(file, "not a PyTorch state_dict (neither a torch zip archive nor a legacy torch pickle)");
        };
    }

    static LinkedHashMap<String, TorchTensor> readZip(Path file) {
        Budget.regularFile(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = dataPkl(file, zip);
            String folder = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = zip.getEntry(folder + "byteorder");
            if (byteOrder != null) {
                String order = new String(entryBytes(file, zip, byteOrder, Math.min(16, byteOrder.getSize())), StandardCharsets.US_ASCII).strip();
                if (!order.equals("little")) throw new BadInputException(file, "byte order '" + order + "' is not supported (only little-endian)");
            }
            TorchPickle torch = new TorchPickle(file, pkl.getName());
            Budget.check(file, pkl.getName() + " bytes", pkl.getSize(), Budget.PICKLE_BYTES);
            byte[] pickle = entryBytes(file, zip, pkl, pkl.getSize());
            Object root = Unpickler.load(file, pkl.getName(), ByteBuffer.wrap(pickle), torch);
            return tensors(file, root, storage -> {
                String name = folder + "data/" + storage.key();
                ZipEntry entry = zip.getEntry(name);
                if (entry == null) throw new BadInputException(file, "storage " + name + " is missing from the archive");
                byte[] bytes = entryBytes(file, zip, entry, storageBytes(file, storage));
                return storage.dtype().toFloats(ByteBuffer.wrap(bytes), (int) storage.numel());
            });
        } catch (ZipException e) {
            throw new BadInputException(file, "not a readable zip archive, truncated or corrupt (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw ReadError.of(file, e);
        }
    }

    /** The one {@code data.pkl} at the top of the archive or in its top folder. */
    private static ZipEntry dataPkl(Path file, ZipFile zip) {
        List<ZipEntry> found = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            if (name.equals("data.pkl") || (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length())) found.add(e);
        }
        if (found.isEmpty()) throw new BadInputException(file, "zip archive has no data.pkl: not a torch.save file");
        if (found.size() > 1) throw new BadInputException(file, "zip archive has " + found.size() + " data.pkl entries");
        return found.getFirst();
    }

    /** Bytes a storage needs: numel * element size, within what an array can hold. */
    private static long storageBytes(Path file, TorchPickle.Storage storage) {
        if (storage.numel() > MAX_ARRAY / storage.dtype().size) throw new BadInputException(file, "storage " + storage.key() + " of " + storage.numel() + " elements is too large");
        return storage.numel() * storage.dtype().size;
    }

    /** The first {@code need} bytes of an entry, after checking the entry can hold them. */
    private static byte[] entryBytes(Path file, ZipFile zip, ZipEntry entry, long need) {
        String name = entry.getName();
        long size = entry.getSize(), compressed = entry.getCompressedSize();
        if (need < 0 || need > MAX_ARRAY) throw new BadInputException(file, name + " is too large");
        if (size >= 0 && size < need) throw new BadInputException(file, name + " has " + size + " bytes but " + need + " are needed");
        long fileSize = file.toFile().length();
        boolean stored = entry.getMethod() == ZipEntry.STORED;
        if (compressed < 0 || compressed > fileSize || (stored && need > compressed)
                || (!stored && need > compressed * Budget.DEFLATE_RATIO + Budget.DEFLATE_RATIO)) {
            throw new BadInputException(file, name + " claims more data than the archive holds");
        }
        byte[] bytes = new byte[(int) need];
        try (InputStream in = zip.getInputStream(entry)) {
            int got = in.readNBytes(bytes, 0, bytes.length);
            if (got != bytes.length) throw new BadInputException(file, name + " is truncated: " + got + " of " + need + " bytes");
        } catch (ZipException e) {
            throw new BadInputException(file, name + " is corrupt (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw ReadError.of(file, e);
        }
        return bytes;
    }

    static LinkedHashMap<String, TorchTensor> readLegacy(Path file) {
        ByteBuffer in;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = Budget.regularFile(file);
            Budget.check(file, "legacy torch file bytes", size, Budget.WEIGHTS_FILE_BYTES);
            in = ByteBuffer.allocate((int) size);
            while (in.hasRemaining() && ch.read(in) >= 0) { }
            in.flip();
        } catch (IOException e) {
            throw ReadError.of(file, e);
        }
        TorchPickle torch = new TorchPickle(file, "legacy pickle");
        if (!LEGACY_MAGIC.equals(Unpickler.load(file, "magic number", in, torch))) throw new BadInputException(file, "bad magic number: not a legacy torch file");
        Object protocol = Unpickler.load(file, "protocol version", in, torch);
        if (!(protocol instanceof Long p) || p != LEGACY_PROTOCOL) throw new BadInputException(file, "unsupported legacy torch protocol version");
        if (Unpickler.load(file, "sys_info", in, torch) instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new BadInputException(file, "big-endian legacy files are not supported");
        }
        Object root = Unpickler.load(file, "state_dict pickle", in, torch);
        if (!(Unpickler.load(file, "storage keys", in, torch) instanceof List<?> keys)) throw new BadInputException(file, "storage key list is missing");

        Map<String, ByteBuffer> data = new HashMap<>();
        for (Object k : keys) {
            if (!(k instanceof String key)) throw new BadInputException(file, "storage key is not a string");
            TorchPickle.Storage storage = torch.storages().get(key);
            if (storage == null) throw new BadInputException(file, "storage " + key + " is not used by the state_dict");
            if (in.remaining() < 8) throw new BadInputException(file, "truncated: storage " + key + " is missing");
            long count = in.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (count != storage.numel()) throw new BadInputException(file, "storage " + key + " holds " + count + " elements, the pickle says " + storage.numel());
            long bytes = storageBytes(file, storage);
            if (bytes > in.remaining()) throw new BadInputException(file, "truncated: storage " + key + " needs " + bytes + " bytes, " + in.remaining() + " left");
            data.put(key, in.slice(in.position(), (int) bytes));
            in.position(in.position() + (int) bytes);
        }
        return tensors(file, root, storage -> {
            ByteBuffer bytes = data.get(storage.key());
            if (bytes == null) throw new BadInputException(file, "storage " + storage.key() + " has no data");
            return storage.dtype().toFloats(bytes, (int) storage.numel());
        });
    }

    /**
     * The unpickled state_dict (a dict of name -> {@link StoredTensor}) -> its tensors, loading each storage
     * once and letting a tensor keep its storage's array when it is the storage's only, whole, contiguous user.
     */
    private static LinkedHashMap<String, TorchTensor> tensors(Path file, Object root, Function<TorchPickle.Storage, float[]> load) {
        if (!(root instanceof Map<?, ?> dict)) throw new BadInputException(file, "the pickle holds a " + (root == null ? "None" : root.getClass().getSimpleName()) + ", not a state_dict");
        Map<String, Integer> users = new HashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name)) throw new BadInputException(file, "state_dict has a key that is not a string");
            if (!(e.getValue() instanceof StoredTensor t)) throw new BadInputException(file, "state_dict entry " + name + " is not a tensor");
            users.merge(t.storage().key(), 1, Integer::sum);
        }
        budget(file, dict);
        Map<String, Integer> left = new HashMap<>(users);
        Map<String, float[]> loaded = new HashMap<>();
        LinkedHashMap<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String name = (String) e.getKey();
            StoredTensor t = (StoredTensor) e.getValue();
            String key = t.storage().key();
            float[] values = loaded.computeIfAbsent(key, k -> load.apply(t.storage()));
            String problem = t.checkBounds(values.length);
            if (problem != null) throw new BadInputException(file, name + ": " + problem);
            if (left.merge(key, -1, Integer::sum) == 0) loaded.remove(key);
            boolean owns = users.get(key) == 1 && t.offset() == 0 && t.numel() == values.length && t.contiguous();
            float[] data = owns ? values : t.gather(values);
            Budget.finite(file, name, data);
            out.put(name, new TorchTensor(t.shape(), data));
        }
        return out;
    }

    /**
     * Refuses, before any storage is read, a state_dict whose storages plus tensor views (a view with stride 0
     * over one float can declare 2^31 elements) add up to more than {@link Budget#WEIGHT_VALUES} floats.
     */
    private static void budget(Path file, Map<?, ?> dict) {
        Map<String, Long> storages = new HashMap<>();
        long total = 0;
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            StoredTensor t = (StoredTensor) e.getValue();
            long[] shape = java.util.Arrays.stream(t.shape()).asLongStream().toArray();
            long view = Budget.product(file, "tensor " + e.getKey() + " elements", Budget.WEIGHT_VALUES, shape);
            long storage = storages.containsKey(t.storage().key()) ? 0 : t.storage().numel();
            storages.put(t.storage().key(), t.storage().numel());
            total = Math.addExact(total, Math.addExact(view, storage));
            Budget.check(file, "values of all storages and tensors", total, Budget.WEIGHT_VALUES);
        }
    }
}
