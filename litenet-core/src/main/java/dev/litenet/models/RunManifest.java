package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.io.Budget;
import dev.litenet.io.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How a run folder changes all at once. {@code manifest.json} names every file the folder vouches for with its
 * sha256, and the epochs completed when it was written (those of the checkpoint while training, of the model
 * after); readers trust only files that match it. A commit
 * <ol>
 *   <li>finishes or cleans up a commit cut short (below), and removes leftover temporary files;</li>
 *   <li>writes the new files into {@code .staging/} and forces them to disk;</li>
 *   <li>writes the new manifest to a temporary file and renames it over the old one: <b>the commit point</b>;</li>
 *   <li>renames each staged file into place and deletes the files no longer vouched for.</li>
 * </ol>
 * Killed before step 3, the old manifest still matches the untouched old files: the folder is the old run.
 * Killed after it, every vouched file matches either in place or in {@code .staging/}, where readers look
 * next and the next commit moves it into place: the folder is the new run. One writer at a time.
 */
public final class RunManifest {
    public static final String FILE = "manifest.json";
    static final String STAGING = ".staging";
    /** The only names a manifest may vouch for: no path leads outside the folder. */
    static final Set<String> NAMES = Set.of(RunFolder.MODEL, RunFolder.META, RunFolder.HISTORY, RunFolder.HISTORY_PNG,
            RunFolder.CHECKPOINT, RunFolder.SKIPPED);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** Temporary files of an atomic write of those names: {@code .name.random.tmp} ({@code Safetensors.write}'s too). */
    private static final Pattern TEMP = Pattern.compile("\\.(" + String.join("|", NAMES).replace(".", "\\.")
            + "|manifest\\.json)\\.[0-9a-f]+\\.tmp");

    /** What a manifest says: the epochs completed by its last commit and the sha256 of each vouched file. */
    public record Entries(int epochs, Map<String, String> sha256) {}

    /** Writes one file of a commit. */
    public interface Content { void writeTo(Path file) throws IOException; }

    /** Test seam: told of every step that changes the folder, before it happens; throwing there is a crash. */
    static volatile Consumer<String> beforeWrite = step -> {};

    private RunManifest() {}

    /**
     * Replaces {@code put}'s files at once; with {@code replaceAll} every other vouched file is dropped too.
     *
     * @param epochs the completed epochs to record, or -1 to keep the manifest's
     */
    public static void commit(Path dir, Map<String, Content> put, boolean replaceAll, int epochs) throws IOException {
        Files.createDirectories(dir);
        Entries old = recover(dir);
        Path staging = Files.createDirectories(dir.resolve(STAGING));
        Map<String, String> next = new LinkedHashMap<>(replaceAll ? Map.of() : old.sha256());
        for (Map.Entry<String, Content> e : put.entrySet()) {
            beforeWrite.accept("stage " + e.getKey());
            Path f = staging.resolve(e.getKey());
            e.getValue().writeTo(f);
            next.put(e.getKey(), WeightsCache.sha256Hex(f));
        }
        syncFolder(staging);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", "litenet-manifest-1");
        json.put("completed_epochs", epochs >= 0 ? epochs : old.epochs());
        json.put("files", next);
        writeAtomically(dir.resolve(FILE), Json.pretty(json).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String name : put.keySet()) {
            beforeWrite.accept("move " + name);
            Files.move(staging.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        for (String name : old.sha256().keySet()) {
            if (next.containsKey(name)) continue;
            beforeWrite.accept("drop " + name);
            Files.deleteIfExists(dir.resolve(name));
        }
        syncFolder(dir);
        Files.deleteIfExists(staging);
    }

    /**
     * The files the manifest vouches for, each where its sha256 matches: in place, or in {@code .staging/} after a
     * commit cut short. Empty without a manifest.
     *
     * @throws BadInputException naming a vouched file that matches nowhere, or a malformed manifest
     */
    public static Map<String, Path> verified(Path dir) {
        Map<String, Path> out = new LinkedHashMap<>();
        read(dir).sha256().forEach((name, sha) -> {
            Path file = dir.resolve(name), staged = dir.resolve(STAGING).resolve(name);
            if (matches(file, sha)) out.put(name, file);
            else if (matches(staged, sha)) out.put(name, staged);
            else throw new BadInputException(file, "does not match its sha256 in " + FILE
                    + " (changed after it was written, or its write was cut short)");
        });
        return out;
    }

    /** The manifest of {@code dir}: none (0 epochs, no files) when there is no manifest. */
    @SuppressWarnings("unchecked")
    public static Entries read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return new Entries(0, Map.of());
        Budget.check(file, "manifest bytes", Budget.regularFile(file), Budget.TEXT_FILE_BYTES);
        try {
            Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(file));
            int epochs = ((Number) json.get("completed_epochs")).intValue();
            Map<String, String> sha = new LinkedHashMap<>();
            ((Map<String, Object>) json.get("files")).forEach((name, v) -> {
                if (!NAMES.contains(name)) throw new BadInputException(file, "vouches for an unknown file " + name);
                if (!(v instanceof String s) || !SHA256.matcher(s).matches()) throw new BadInputException(file, "bad sha256 of " + name);
                sha.put(name, s);
            });
            if (epochs < 0) throw new BadInputException(file, "negative completed_epochs " + epochs);
            return new Entries(epochs, sha);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file, "malformed manifest: " + e.getMessage());
        }
    }

    /**
     * Finishes a commit cut short after its commit point and removes what a crash left (temporary files, staged
     * files, run files the manifest does not vouch for); returns the manifest.
     */
    private static Entries recover(Path dir) throws IOException {
        Entries entries;
        try {
            entries = read(dir);
        } catch (BadInputException e) {
            entries = new Entries(0, Map.of());               // unreadable: nothing is vouched, everything is replaced
        }
        Path staging = dir.resolve(STAGING);
        for (Map.Entry<String, String> e : entries.sha256().entrySet()) {
            Path file = dir.resolve(e.getKey()), staged = staging.resolve(e.getKey());
            if (Files.exists(staged) && !matches(file, e.getValue()) && matches(staged, e.getValue())) {
                Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        for (String name : NAMES) if (!entries.sha256().containsKey(name)) Files.deleteIfExists(dir.resolve(name));
        deleteTemporaries(dir);
        if (Files.isDirectory(staging)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(staging)) {
                for (Path p : s) Files.delete(p);
            }
        }
        return entries;
    }

    /** Writes to {@code .name.random.tmp}, forces it, renames it over {@code file}; a crash leaves only the temp file. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        try {
            writeForced(tmp, bytes);
            beforeWrite.accept("rename " + file.getFileName());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Writes {@code bytes} to a new file and forces them to disk. */
    public static void writeForced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
    }

    private static void deleteTemporaries(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> TEMP.matcher(p.getFileName().toString()).matches())) {
            for (Path p : s) Files.deleteIfExists(p);
        }
    }

    private static boolean matches(Path file, String sha256) {
        try {
            return Files.isRegularFile(file) && WeightsCache.sha256Hex(file).equals(sha256);
        } catch (IOException e) {
            return false;
        }
    }

    /** Makes the renames in a folder durable (a no-op where folders cannot be opened, as on Windows). */
    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // best effort
        }
    }
}
