package dev.litenet.spark;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A model as bytes the driver broadcasts to every executor: the files of a run folder, or one pretrained weights
 * file. Executors need no shared file system and no download: each writes the files to a local temporary folder
 * once and loads the classifier from there ({@link ExecutorModels}).
 *
 * @param runFolder true for a run folder ({@link ImageClassifier#load}), false for a weights file
 *                  ({@link ImageClassifier#pretrained(Path)})
 * @param files     file name → content
 * @param architecture the architecture of a weights file that does not say it, or null
 * @param key       sha256 over names and contents: the same model gets the same key in every JVM
 */
public record ModelBundle(boolean runFolder, Map<String, byte[]> files, String architecture, String key) implements Serializable {
    /**
     * Reads a run folder written by {@code litenet train} or {@link ImageClassifier#save}: it is loaded on the driver
     * (so a bad folder fails here, before any task) and saved again into a temporary folder, whose files are the
     * bundle: exactly what {@link ImageClassifier#load} needs, whatever the folder held besides.
     *
     * @param folder the run folder, on the driver's file system
     * @return the bundle
     * @throws BadInputException if the folder is not a readable run folder
     */
    public static ModelBundle ofRunFolder(Path folder) {
        ImageClassifier net = ImageClassifier.load(folder);
        Path copy = null;
        try {
            copy = Files.createTempDirectory("litenet-run-");
            net.save(copy);
            Map<String, byte[]> files = new TreeMap<>();
            try (Stream<Path> s = Files.list(copy)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) files.put(f.getFileName().toString(), read(f));
            }
            return new ModelBundle(true, files, null, key(true, files, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the run folder " + folder + ": " + e.getMessage(), e);
        } finally {
            if (copy != null) deleteQuietly(copy);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    /**
     * Resolves pretrained weights on the driver (a known name: the cache, {@code $LITENET_SHARED/weights}, or a
     * checked download; or a file) and reads them.
     *
     * @param nameOrFile   a known weights name or a weights file
     * @param architecture the architecture when the file does not say it, or null
     * @return the bundle
     */
    public static ModelBundle ofWeights(String nameOrFile, String architecture) {
        Path file = ImageClassifier.weightsFile(nameOrFile);
        ImageClassifier.pretrained(file.toString(), architecture);               // a bad file fails here, before any task
        Map<String, byte[]> files = new TreeMap<>(Map.of(file.getFileName().toString(), read(file)));
        return new ModelBundle(false, files, architecture, key(false, files, architecture));
    }

    /**
     * Writes the files into a local folder.
     *
     * @param folder an existing folder
     */
    public void writeTo(Path folder) {
        try {
            for (var e : files.entrySet()) Files.write(folder.resolve(e.getKey()), e.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model to " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads the classifier from a folder this bundle was written to.
     *
     * @param folder the folder given to {@link #writeTo}
     * @return the classifier
     */
    public ImageClassifier load(Path folder) {
        return runFolder ? ImageClassifier.load(folder)
                : ImageClassifier.pretrained(folder.resolve(files.keySet().iterator().next()).toString(), architecture);
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new BadInputException(f, "cannot read: " + e.getMessage(), e);
        }
    }

    private static String key(boolean runFolder, Map<String, byte[]> files, String architecture) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((byte) (runFolder ? 1 : 0));
            if (architecture != null) sha.update(architecture.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (var e : files.entrySet()) {
                sha.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
