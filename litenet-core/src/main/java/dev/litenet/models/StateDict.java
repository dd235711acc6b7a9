package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Parameter;
import dev.litenet.tensor.TorchTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A layer tree's state as torch's {@code state_dict()}, and strict loading of one. */
public final class StateDict {
    private StateDict() {}

    /** Parameters and buffers by torch name, in torch's layout. */
    public static LinkedHashMap<String, TorchTensor> of(Layer model) {
        LinkedHashMap<String, TorchTensor> out = new LinkedHashMap<>();
        model.stateEntries().forEach((n, p) -> out.put(n, p.toTorch()));
        return out;
    }

    /**
     * Loads every entry into the model, like {@code load_state_dict(strict=True)}: missing keys, unexpected keys
     * and shape mismatches are all listed in one {@link BadInputException} and nothing is changed.
     */
    public static void load(Layer model, Map<String, TorchTensor> state, String source) {
        Map<String, Parameter> entries = model.stateEntries();
        List<String> problems = new ArrayList<>();
        List<String> missing = entries.keySet().stream().filter(k -> !state.containsKey(k)).toList();
        List<String> unexpected = state.keySet().stream().filter(k -> !entries.containsKey(k)).toList();
        if (!missing.isEmpty()) problems.add("missing keys " + brief(missing));
        if (!unexpected.isEmpty()) problems.add("unexpected keys " + brief(unexpected));
        entries.forEach((name, p) -> {
            TorchTensor t = state.get(name);
            if (t != null && !Arrays.equals(t.shape(), p.shape()) && !(t.numel() == p.numel() && p.numel() == 1)) {
                problems.add(name + ": shape " + Arrays.toString(t.shape()) + " in file, model has " + Arrays.toString(p.shape()));
            }
        });
        entries.forEach((name, p) -> {
            TorchTensor t = state.get(name);
            if (t == null) return;
            boolean variance = name.endsWith("running_var");
            for (float v : t.data()) {
                if (!Float.isFinite(v) || (variance && v < 0)) {
                    problems.add(name + " holds " + v + (Float.isFinite(v) ? " (a variance must be >= 0)" : " (weights must be finite)"));
                    break;
                }
            }
        });
        if (!problems.isEmpty()) throw new BadInputException(source + ": state_dict does not fit the model: " + String.join("; ", problems));
        entries.forEach((name, p) -> p.fromTorch(state.get(name).data()));
    }

    private static String brief(List<String> keys) {
        return keys.size() <= 6 ? keys.toString() : keys.subList(0, 6) + " and " + (keys.size() - 6) + " more";
    }
}
