package dev.litenet.spark;

import dev.litenet.ImageClassifier;
import dev.litenet.PreparedImage;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * One partition of input rows ({@link ImageFiles#SCHEMA}) through one classifier, a batch at a time: each image is
 * decoded and preprocessed with {@link ImageClassifier#prepare(String, byte[])}, the readable ones go through the
 * network as one batch, and every input row gives exactly one output row, in input order. An image that cannot
 * be read gives a row with its {@code error}; it never fails the task. Rows are produced lazily, so a partition
 * holds one batch of images in memory whatever its size.
 */
abstract class BatchedPartition implements MapPartitionsFunction<Row, Row> {
    /** Decoding for tasks that own more than one core; shared by the tasks of one JVM. */
    private static volatile ForkJoinPool decoders;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final Broadcast<ModelBundle> model;
    private final int batchSize, threads;
    private final LongAccumulator images, errors, cpuNanos;

    BatchedPartition(Broadcast<ModelBundle> model, int batchSize, int threads, JobOptions.Counters counters) {
        this.model = model;
        this.batchSize = batchSize;
        this.threads = threads;
        this.images = counters.images();
        this.errors = counters.errors();
        this.cpuNanos = counters.cpuNanos();
    }

    /** One input row and what became of it: the prepared image, or why it could not be prepared. */
    record Item(String path, PreparedImage image, String error) {}

    /**
     * The output rows of one batch.
     *
     * @param net      the classifier
     * @param items    the batch, in input order
     * @param readable the prepared images of the items without an error, in the same order
     * @return one row per item
     */
    abstract List<Row> rows(ImageClassifier net, List<Item> items, List<PreparedImage> readable);

    @Override public Iterator<Row> call(Iterator<Row> input) {
        ModelBundle bundle = model.value();
        ImageClassifier net = ExecutorModels.borrow(bundle, threads);
        TaskContext task = TaskContext.get();
        if (task != null) task.addTaskCompletionListener((TaskCompletionListener) done -> ExecutorModels.giveBack(bundle, net));
        return new Iterator<>() {
            Iterator<Row> batch = Collections.emptyIterator();

            @Override public boolean hasNext() {
                while (!batch.hasNext() && input.hasNext()) batch = nextBatch(net, input).iterator();
                boolean more = batch.hasNext();
                if (!more && task == null) ExecutorModels.giveBack(bundle, net);
                return more;
            }

            @Override public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return batch.next();
            }
        };
    }

    private List<Row> nextBatch(ImageClassifier net, Iterator<Row> input) {
        long cpu = CPU.getCurrentThreadCpuTime();
        List<Row> raw = new ArrayList<>(batchSize);
        while (raw.size() < batchSize && input.hasNext()) raw.add(input.next());
        Item[] items = new Item[raw.size()];
        if (threads > 1 && raw.size() > 1) {
            decoders().submit(() -> IntStream.range(0, items.length).parallel().forEach(i -> items[i] = prepare(net, raw.get(i)))).join();
        } else {
            for (int i = 0; i < items.length; i++) items[i] = prepare(net, raw.get(i));
        }
        List<PreparedImage> readable = new ArrayList<>(items.length);
        for (Item it : items) {
            if (it.error() == null) readable.add(it.image());
            else errors.add(1);
        }
        images.add(items.length);
        List<Row> out = rows(net, List.of(items), readable);
        cpuNanos.add(CPU.getCurrentThreadCpuTime() - cpu);
        return out;
    }

    /** Reads and decodes one row's image; any failure to read it becomes the row's error. */
    private static Item prepare(ImageClassifier net, Row row) {
        String path = row.getString(0);
        if (!row.isNullAt(3)) return new Item(path, null, row.getString(3));
        try {
            byte[] bytes = !row.isNullAt(2) ? (byte[]) row.get(2) : !row.isNullAt(1) ? LocalImages.read(path, row.getString(1)) : new byte[0];
            return new Item(path, net.prepare(path, bytes), null);
        } catch (RuntimeException e) {   // BadInputException names the file and the problem; anything else too
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Item(path, null, why.startsWith(path) ? why : path + ": " + why);
        }
    }

    private static ForkJoinPool decoders() {
        ForkJoinPool p = decoders;
        if (p == null) {
            synchronized (BatchedPartition.class) {
                if (decoders == null) decoders = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
                p = decoders;
            }
        }
        return p;
    }

    /** The name of the folder holding a file: {@code .../val/cat/cat.1.jpg} → {@code cat}. */
    static String parentName(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int last = p.lastIndexOf('/');
        if (last <= 0) return null;
        int before = p.lastIndexOf('/', last - 1);
        String name = p.substring(before + 1, last);
        return name.isEmpty() || name.endsWith(":") ? null : name;
    }
}
