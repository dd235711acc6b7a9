package dev.litenet.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} pairs and bare {@code --flag}s of a runner's command line. */
record Args(Map<String, String> values) {
    static Args parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            m.put(key, hasValue ? args[++i] : "true");
        }
        return new Args(m);
    }

    String string(String key, String fallback) { return values.getOrDefault(key, fallback); }

    int integer(String key, int fallback) { return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback; }

    boolean flag(String key) { return values.containsKey(key); }
}
