package dev.litenet.spark;

import dev.litenet.BadInputException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code predict} and {@code embed} share: the model, the input images, the Parquet output, batching and
 * threads, and the Spark session. {@link #run} reads the images ({@link ImageFiles}), runs
 * each partition through a {@link BatchedPartition} and writes the rows.
 */
final class JobOptions {
    static final class Model {
        @Option(names = "--model", paramLabel = "<RUN_DIR>", description = "A run folder written by 'litenet train' (on the driver's file system).")
        Path runFolder;

        @Option(names = "--weights", paramLabel = "<NAME|FILE>", description = "Pretrained ImageNet weights: a known name (mobilenet_v2_1.0_224_quant, ...) or a .tflite/.pth/.safetensors file of any architecture of the zoo.")
        String weights;

        ModelBundle bundle(String architecture) {
            return runFolder != null ? ModelBundle.ofRunFolder(runFolder) : ModelBundle.ofWeights(weights, architecture);
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Model model;

    @Option(names = "--arch", paramLabel = "<NAME>", description = "Architecture of a weights file that does not say it (mobilenet_v3_large, ...).")
    String arch;

    @Option(names = "--input", required = true, paramLabel = "<PATH_OR_GLOB>",
            description = "Images: a folder (read recursively), a file, or a glob, on any file system Spark reads (file:, hdfs://, s3a://).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "<OUT.parquet>", description = "Where to write the rows (a Parquet folder).")
    String output;

    @Option(names = "--overwrite", description = "Replace the output if it exists (default: fail).")
    boolean overwrite;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "<B>", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "<T>",
            description = "LiteNet threads per task; 0 (default) takes spark.task.cpus, so tasks never use more cores than Spark gave them.")
    int threads;

    @Option(names = "--master", paramLabel = "<URL>", description = "Spark master, e.g. local[2]; spark-submit sets it otherwise (default without either: local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "<KEY=VALUE>", description = "A Spark setting, e.g. --conf spark.task.cpus=2 (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    /** Threads per task at most. */
    static final int MAX_THREADS = 256;
    /** The master URLs Spark takes. */
    static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local(\\[(\\*|[1-9][0-9]{0,3})(,[0-9]{1,4})?])?|local-cluster\\[[1-9][0-9]{0,3},[1-9][0-9]{0,3},[1-9][0-9]{0,6}]"
                    + "|(spark|mesos|k8s)://[^\\s]+|yarn");

    /** What one run wrote. */
    record Outcome(long images, long errors, double seconds) {}

    /**
     * Runs the job.
     *
     * @param what      the command's name, for messages
     * @param schema    the output columns
     * @param partition makes the partition function from the broadcast model, the threads per task and the
     *                  counters
     * @param out       where the one-line summary goes
     * @return what was written
     */
    Outcome run(String what, StructType schema, PartitionMaker partition, PrintWriter out) {
        if (batchSize < 1 || batchSize > 4096) throw new BadInputException("--batch-size must be 1 to 4096, got " + batchSize);
        if (threads < 0 || threads > MAX_THREADS) throw new BadInputException("--threads must be 0 (spark.task.cpus) to " + MAX_THREADS + ", got " + threads);
        if (input.isBlank()) throw new BadInputException("--input is empty");
        if (master != null && !MASTER.matcher(master).matches()) {
            throw new BadInputException("--master " + master + " is not a Spark master (local, local[N], local[*], spark://HOST:PORT, yarn, k8s://URL)");
        }
        if (LocalImages.isLocal(input) && !java.nio.file.Files.exists(LocalImages.base(input), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInputException("--input " + input + ": no such file or folder");
        }
        boolean localOutput = LocalImages.isLocal(output);
        if (localOutput) OutputCheck.check(input, output, overwrite, null);        // before Spark starts (and logs)
        ModelBundle bundle = model.bundle(arch);
        SparkSession spark = session();
        if (!localOutput) OutputCheck.check(input, output, overwrite, spark.sparkContext().hadoopConfiguration());
        int perTask = threads > 0 ? threads : Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ModelBundle> shared = jsc.broadcast(bundle);
        Counters counters = new Counters(spark.sparkContext().longAccumulator("images"),
                spark.sparkContext().longAccumulator("unreadable"), spark.sparkContext().longAccumulator("task CPU ns"),
                new ExecutorStats());
        spark.sparkContext().register(counters.executors(), "litenet executors");
        long start = System.nanoTime();
        try {
            Dataset<Row> files = ImageFiles.read(spark, input);
            files.mapPartitions(partition.make(shared, perTask, counters), Encoders.row(schema))
                    .write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(output);
        } finally {
            shared.destroy();
        }
        Outcome o = new Outcome(counters.images().value(), counters.errors().value(), (System.nanoTime() - start) / 1e9);
        double cpuMs = counters.cpuNanos().value() / 1e6 / Math.max(1, o.images());
        out.printf("litenet-spark %s: %d images (%d unreadable) -> %s in %.1f s, %.1f images/s, %d thread(s) per task, %.1f ms of task-thread CPU per image; %s%n",
                what, o.images(), o.errors(), output, o.seconds(), o.images() / o.seconds(), perTask, cpuMs,
                ExecutorStats.format(counters.executors().value()));
        out.flush();
        return o;
    }

    /** Makes a partition function. */
    @FunctionalInterface
    interface PartitionMaker {
        MapPartitionsFunction<Row, Row> make(Broadcast<ModelBundle> model, int threads, Counters counters);
    }

    /**
     * What the tasks count: images, unreadable images, and the CPU time of the task threads spent on batches
     * (decode, preprocess, network, rows; with one thread per task that is all of the work, so it gives the
     * per-core rate whatever else the machine is doing), and what each executor did ({@link ExecutorStats}).
     */
    record Counters(LongAccumulator images, LongAccumulator errors, LongAccumulator cpuNanos, ExecutorStats executors) implements java.io.Serializable {}

    /** The running session (tests, spark-submit) or a new one; {@code --master} and {@code --conf} apply to a new one. */
    private SparkSession session() {
        SparkSession.Builder b = SparkSession.builder().appName("litenet");
        if (master != null) b.master(master);
        else if (System.getProperty("spark.master") == null && SparkSession.getActiveSession().isEmpty()) b.master("local[*]");
        conf.forEach(b::config);
        return b.getOrCreate();
    }
}
