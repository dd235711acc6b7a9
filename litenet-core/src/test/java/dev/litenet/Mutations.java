package dev.litenet;

import dev.litenet.io.Budget;
import org.assertj.core.api.Assertions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fuzzing harness: files made by the tests (the seeds), each mutant a seed plus 1 to 8 seeded random edits:
 * bit flips, random bytes, "interesting" 32- and 64-bit values (0, -1, 2^31-1, sizes near the budgets) written
 * little- or big-endian, numbers in text replaced, chunks inserted, deleted or duplicated, truncation.
 * {@link #fuzz} runs one parser on {@code -Dfuzz.tries} mutants (default 400; {@code -Dfuzz.seed} changes the draw):
 * a {@link BadInputException} (or success) passes, anything else (another exception, an OutOfMemoryError in the
 * fuzz JVM's small heap) fails, naming the seed and edits, and the mutant is kept under {@code target/fuzz-crashes/}
 * to become a regression test.
 */
public final class Mutations {
    private Mutations() {}

    /** One edit: {@code kind} chooses the edit, {@code at} is a position as a fraction of the file (x 2^-20). */
    public record Mutation(int kind, int at, long value) {}

    private static final long[] INTERESTING = {0, 1, -1, 0x7f, 0xff, 0x7fff, 0xffff, Integer.MAX_VALUE, Integer.MIN_VALUE,
            Integer.MAX_VALUE - 8, 1L << 30, 1L << 31, 0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE, 46341, 65536,
            Budget.WEIGHT_VALUES, Budget.WEIGHT_VALUES + 1, Budget.IMAGE_PIXELS, Budget.PICKLE_ITEMS, 2_000_000_000L};
    private static final String[] NUMBERS = {"0", "-1", "1e9", "1e309", "-1e309", "NaN", "2147483648", "50000", "100000",
            "0.0", "-0.0", "9223372036854775808", "1.5", "null", "\"x\"", "[]", "{}", "true"};
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    /** 1 to 8 random edits. */
    public static List<Mutation> draw(SplittableRandom random) {
        List<Mutation> edits = new ArrayList<>();
        for (int n = 1 + random.nextInt(8); n > 0; n--) edits.add(new Mutation(random.nextInt(10), random.nextInt(1 << 20), random.nextLong()));
        return edits;
    }

    /** Runs {@code parse} on {@code file} holding each mutant of {@code seeds} in turn (see the class comment). */
    public static void fuzz(String target, List<byte[]> seeds, Path file, Callable<?> parse) throws IOException {
        int tries = Integer.getInteger("fuzz.tries", 400);
        SplittableRandom random = new SplittableRandom(Long.getLong("fuzz.seed", target.hashCode()));
        for (int i = 0; i < tries; i++) {
            int seed = random.nextInt(seeds.size());
            List<Mutation> edits = draw(random);
            check(target + " (seed " + seed + ", edits " + edits + ")", target, file, apply(seeds.get(seed), edits), parse);
        }
        System.out.print(report(target));
    }

    public static byte[] apply(byte[] seed, List<Mutation> mutations) {
        byte[] b = seed.clone();
        for (Mutation m : mutations) b = apply(b, m);
        return b;
    }

    private static byte[] apply(byte[] b, Mutation m) {
        if (b.length == 0) return new byte[] {(byte) m.value()};
        int at = (int) ((long) m.at() * b.length >>> 20);
        long v = m.value();
        switch (m.kind()) {
            case 0 -> b[at] ^= (byte) (1 << (v & 7));
            case 1 -> b[at] = (byte) v;
            case 2, 3 -> {                                                              // interesting int32 LE / BE
                long x = INTERESTING[(int) Math.floorMod(v, INTERESTING.length)];
                for (int i = 0; i < 4 && at + i < b.length; i++) b[at + i] = (byte) (x >>> (8 * (m.kind() == 2 ? i : 3 - i)));
            }
            case 4 -> {                                                                 // interesting int64 LE
                long x = INTERESTING[(int) Math.floorMod(v, INTERESTING.length)];
                for (int i = 0; i < 8 && at + i < b.length; i++) b[at + i] = (byte) (x >>> (8 * i));
            }
            case 5 -> { return replaceNumber(b, at, NUMBERS[(int) Math.floorMod(v, NUMBERS.length)]); }
            case 6 -> {                                                                 // delete a chunk
                int n = Math.min(b.length - at, 1 + (int) Math.floorMod(v, 64));
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                return out;
            }
            case 7 -> {                                                                 // duplicate a chunk in place
                int n = Math.min(b.length - at, 1 + (int) Math.floorMod(v, 256));
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at + n);
                System.arraycopy(b, at, out, at + n, b.length - at);
                return out;
            }
            case 8 -> { return Arrays.copyOf(b, at); }                                  // truncate
            default -> {                                                                // insert random bytes
                int n = 1 + (int) Math.floorMod(v, 16);
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at);
                for (int i = 0; i < n; i++) out[at + i] = (byte) (v >>> (4 * i));
                System.arraycopy(b, at, out, at + n, b.length - at);
                return out;
            }
        }
        return b;
    }

    /** The first number in the text at or after {@code at} replaced by {@code with} (JSON-shaped seeds). */
    private static byte[] replaceNumber(byte[] b, int at, String with) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        Matcher m = NUMBER.matcher(text);
        if (!m.find(at) && !m.find(0)) return b;
        return (text.substring(0, m.start()) + with + text.substring(m.end())).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final ConcurrentHashMap<String, AtomicLong> RUNS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, AtomicLong> NANOS = new ConcurrentHashMap<>();

    /**
     * Runs {@code parse} on {@code mutant} written to {@code file}: success and {@link BadInputException} pass,
     * whatever else escapes fails the property (the mutant is kept for a regression test).
     */
    private static void check(String what, String target, Path file, byte[] mutant, Callable<?> parse) throws IOException {
        Files.write(file, mutant);
        long start = System.nanoTime();
        try {
            parse.call();
        } catch (BadInputException expected) {
            Assertions.assertThat(expected.getMessage()).doesNotContain("\n", "\u001b");
        } catch (Throwable t) {
            Path crashes = Path.of("target", "fuzz-crashes");
            Files.createDirectories(crashes);
            Path kept = crashes.resolve(target + "-" + Integer.toHexString(Arrays.hashCode(mutant)) + ".bin");
            Files.write(kept, mutant);
            throw new AssertionError(what + ": " + t + " escaped (mutant kept as " + kept + ")", t);
        } finally {
            RUNS.computeIfAbsent(target, k -> new AtomicLong()).incrementAndGet();
            NANOS.computeIfAbsent(target, k -> new AtomicLong()).addAndGet(System.nanoTime() - start);
        }
    }

    /** "target: N runs, E per second" for the run so far. */
    public static String report(String target) {
        long runs = RUNS.getOrDefault(target, new AtomicLong()).get();
        double seconds = NANOS.getOrDefault(target, new AtomicLong()).get() / 1e9;
        return String.format("fuzz %s: %d mutants, %.0f per second%n", target, runs, runs / Math.max(seconds, 1e-9));
    }
}
