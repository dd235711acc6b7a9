package dev.litenet.io;

import dev.litenet.BadInputException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The torch side of unpickling a state_dict: the allow-listed globals and what calling them builds.
 * {@code _rebuild_tensor_v2} and {@code _rebuild_parameter} become {@link StoredTensor}s, persistent ids
 * {@code ('storage', torch.FloatStorage, key, location, numel[, view])} become {@link Storage}s whose bytes are
 * read later (in the legacy format they follow the pickle). Everything else is forbidden.
 */
final class TorchPickle implements Unpickler.Resolver {

    /** A storage named by a persistent id: {@code numel} elements of {@code dtype} under {@code key}. */
    record Storage(String key, DType dtype, long numel) {}

    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_TENSOR_V2 = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "torch.FloatStorage", DType.F32, "torch.DoubleStorage", DType.F64,
            "torch.HalfStorage", DType.F16, "torch.BFloat16Storage", DType.BF16,
            "torch.LongStorage", DType.I64, "torch.IntStorage", DType.I32);

    private final Path file;
    private final String part;
    private final Map<String, Storage> storages = new LinkedHashMap<>();

    TorchPickle(Path file, String part) {
        this.file = file;
        this.part = part;
    }

    /** Every storage the pickle referred to, by key. */
    Map<String, Storage> storages() { return storages; }

    @Override public boolean allows(String global) {
        return global.equals(ORDERED_DICT) || global.equals(REBUILD_TENSOR_V2) || global.equals(REBUILD_TENSOR)
                || global.equals(REBUILD_PARAMETER) || STORAGE_TYPES.containsKey(global);
    }

    @Override public Object call(String global, List<Object> args) {
        return switch (global) {
            case ORDERED_DICT -> {
                if (!args.isEmpty()) throw bad(ORDERED_DICT + " with arguments");
                yield new LinkedHashMap<>();
            }
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            case REBUILD_TENSOR_V2 -> {
                if (args.size() != 6 && args.size() != 7) throw bad(global + " with " + args.size() + " arguments");
                yield tensor(args);
            }
            // (storage, storage_offset, size, stride)
            case REBUILD_TENSOR -> {
                if (args.size() != 4) throw bad(global + " with " + args.size() + " arguments");
                yield tensor(args);
            }
            // (data, requires_grad, backward_hooks)
            case REBUILD_PARAMETER -> {
                if (args.size() != 3 || !(args.getFirst() instanceof StoredTensor t)) throw bad(global + " needs (tensor, requires_grad, hooks)");
                yield t;
            }
            default -> throw bad("pickle calls " + global + ", which cannot be called");
        };
    }

    private StoredTensor tensor(List<Object> args) {
        if (!(args.get(0) instanceof Storage storage)) throw bad("tensor without a storage");
        long offset = integer(args.get(1), "storage offset");
        long[] size = integers(args.get(2), "size");
        long[] stride = integers(args.get(3), "stride");
        if (size.length != stride.length) throw bad("tensor size has " + size.length + " dims but stride " + stride.length);
        int[] shape = new int[size.length];
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || size[i] > Integer.MAX_VALUE) throw bad("bad tensor dimension " + size[i]);
            shape[i] = (int) size[i];
        }
        return new StoredTensor(storage, offset, shape, stride);
    }

    @Override public Object persistentLoad(Object pid) {
        if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0))) throw bad("unknown persistent id");
        if (!(t.get(1) instanceof Unpickler.Global(String type)) || !STORAGE_TYPES.containsKey(type)) throw bad("persistent id without a storage type");
        if (!(t.get(2) instanceof String key)) throw bad("storage key is not a string");
        if (t.size() > 6 || (t.size() == 6 && t.get(5) != null)) throw bad("storage views (torch < 0.4 files) are not supported");
        long numel = integer(t.get(4), "storage size");
        if (numel < 0) throw bad("negative storage size " + numel);
        Storage s = new Storage(key, STORAGE_TYPES.get(type), numel);
        Storage seen = storages.putIfAbsent(key, s);
        if (seen != null && !seen.equals(s)) throw bad("storage " + key + " is declared twice with different types or sizes");
        return s;
    }

    private long integer(Object o, String what) {
        if (!(o instanceof Long v)) throw bad(what + " is not an integer");
        return v;
    }

    private long[] integers(Object o, String what) {
        if (!(o instanceof List<?> list)) throw bad("tensor " + what + " is not a tuple");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(list.get(i), "tensor " + what);
        return out;
    }

    private BadInputException bad(String problem) { return new BadInputException(file, part + ": " + problem); }
}
