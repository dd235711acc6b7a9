package dev.litenet.spark;

import dev.litenet.ImageClassifier;
import dev.litenet.LiteNet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The classifiers of one executor JVM, loaded lazily and kept for the JVM's life, keyed by
 * {@link ModelBundle#key()}. A task borrows one for its partition and gives it back when it ends, so a JVM
 * holds as many classifiers as it runs tasks at once (its task slots), each loaded once and reused by every
 * later partition. Each task's classifier runs on LiteNet's kernel threads, sized here to the cores a task
 * owns ({@code spark.task.cpus}, or the job's {@code --threads}).
 */
final class ExecutorModels {
    private static final Map<String, ConcurrentLinkedDeque<ImageClassifier>> IDLE = new ConcurrentHashMap<>();
    private static final Map<String, Path> FOLDERS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * A borrowed classifier.
     *
     * @param classifier the classifier
     * @param loaded     true if it was loaded for this borrower, false if an idle one was reused
     */
    record Borrowed(ImageClassifier classifier, boolean loaded) {}

    /**
     * An idle classifier of this model (already done), or one being loaded on a thread of its own, so that the
     * caller can read its first input meanwhile; LiteNet's threads set to {@code threads}.
     */
    static CompletableFuture<Borrowed> borrow(ModelBundle bundle, int threads) {
        synchronized (ExecutorModels.class) {
            if (LiteNet.threads() != threads) LiteNet.setThreads(threads);
        }
        ImageClassifier idle = IDLE.computeIfAbsent(bundle.key(), k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (idle != null) return CompletableFuture.completedFuture(new Borrowed(idle, false));
        return CompletableFuture.supplyAsync(() -> new Borrowed(bundle.load(folder(bundle)), true),
                r -> Thread.ofPlatform().daemon().name("litenet-model-load").start(r));
    }

    /** Hands a classifier back for the next task. */
    static void giveBack(ModelBundle bundle, ImageClassifier classifier) {
        IDLE.get(bundle.key()).addFirst(classifier);
    }

    /** One local folder per model per JVM, written by the first task that needs it. */
    private static Path folder(ModelBundle bundle) {
        return FOLDERS.computeIfAbsent(bundle.key(), k -> {
            try {
                Path dir = Files.createTempDirectory("litenet-model-" + k.substring(0, 12) + "-");
                dir.toFile().deleteOnExit();
                Path ready = Files.createDirectory(dir.resolve("model"));
                ready.toFile().deleteOnExit();
                bundle.files().keySet().forEach(name -> ready.resolve(name).toFile().deleteOnExit());
                bundle.writeTo(ready);
                return ready;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a local folder for the model: " + e.getMessage(), e);
            }
        });
    }
}
