package dev.litenet.spark;

import dev.litenet.ImageClassifier;
import dev.litenet.PreparedImage;
import dev.litenet.tensor.Simd;
import org.apache.spark.SparkEnv;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * One partition of input rows ({@link ImageFiles#SCHEMA}) through one classifier, a batch at a time: each image is
 * decoded and preprocessed with {@link ImageClassifier#prepare(String, byte[])}, the readable ones go through the
 * network as one batch, and every input row gives exactly one output row, in input order. An image that cannot
 * be read gives a row with its {@code error}; it never fails the task. Rows are produced lazily, so a partition
 * holds one batch of images in memory whatever its size.
 *
 * <p>A task on a cold task slot loads its classifier on another thread while it reads its first images, and makes
 * its first batch small ({@link #FIRST_BATCH}), so the first rows come early; what each task did (model loads,
 * Vector API or scalar kernels, time to its first rows) goes to the job's {@link ExecutorStats}.
 */
abstract class BatchedPartition implements MapPartitionsFunction<Row, Row> {
    /** Decoding for tasks that own more than one core; shared by the tasks of one JVM. */
    private static volatile ForkJoinPool decoders;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** Images in the first batch of a task that loads its classifier. */
    static final int FIRST_BATCH = 4;

    private final Broadcast<ModelBundle> model;
    private final int batchSize, threads;
    private final LongAccumulator images, errors, cpuNanos;
    private final ExecutorStats executors;

    BatchedPartition(Broadcast<ModelBundle> model, int batchSize, int threads, JobOptions.Counters counters) {
        this.model = model;
        this.batchSize = batchSize;
        this.threads = threads;
        this.images = counters.images();
        this.errors = counters.errors();
        this.cpuNanos = counters.cpuNanos();
        this.executors = counters.executors();
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
        long start = System.nanoTime();
        ModelBundle bundle = model.value();
        CompletableFuture<ExecutorModels.Borrowed> borrowing = ExecutorModels.borrow(bundle, threads);
        boolean cold = !borrowing.isDone();
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) done ->
                    borrowing.thenAccept(b -> ExecutorModels.giveBack(bundle, b.classifier())));
        }
        return new Iterator<>() {
            Iterator<Row> batch = Collections.emptyIterator();
            ExecutorModels.Borrowed borrowed;
            long firstBatchNanos = -1;
            boolean ended;

            @Override public boolean hasNext() {
                while (!batch.hasNext() && input.hasNext()) {
                    List<Row> raw = read(input, cold && firstBatchNanos < 0 ? Math.min(FIRST_BATCH, batchSize) : batchSize);
                    if (borrowed == null) borrowed = borrowing.join();   // the first images were read meanwhile
                    batch = nextBatch(borrowed.classifier(), raw).iterator();
                    if (firstBatchNanos < 0) firstBatchNanos = System.nanoTime() - start;
                }
                boolean more = batch.hasNext();
                if (!more && !ended) {
                    ended = true;
                    if (borrowed == null) borrowed = borrowing.join();
                    if (task == null) ExecutorModels.giveBack(bundle, borrowed.classifier());
                    SparkEnv env = SparkEnv.get();
                    executors.add(new ExecutorStats.Task(env == null ? "driver" : env.executorId(), Simd.ENABLED,
                            Simd.vectorKernelsRunning(), borrowed.loaded() ? 1 : 0, firstBatchNanos));
                }
                return more;
            }

            @Override public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return batch.next();
            }
        };
    }

    private static List<Row> read(Iterator<Row> input, int n) {
        List<Row> raw = new ArrayList<>(n);
        while (raw.size() < n && input.hasNext()) raw.add(input.next());
        return raw;
    }

    private List<Row> nextBatch(ImageClassifier net, List<Row> raw) {
        long cpu = CPU.getCurrentThreadCpuTime();
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
