package dev.litenet.spark;

import dev.litenet.BadInputException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * LiteNet on Apache Spark: batch prediction ({@code predict}) and feature extraction ({@code embed}) over image
 * folders on any file system Spark reads, written as Parquet.
 *
 * <pre>
 * spark-submit --class dev.litenet.spark.LiteNetJob litenet-spark.jar predict --weights mobilenet_v2_1.0_224_quant \
 *     --input s3a://bucket/photos --output s3a://bucket/predictions.parquet
 * ./litenet-spark predict --master local[2] --model runs/cats-dogs --input photos/ --output p.parquet
 * </pre>
 *
 * The driver reads the model once and broadcasts its bytes; each executor JVM loads it once per task slot and
 * keeps it ({@link ExecutorModels}); each partition goes through the network in batches ({@link BatchedPartition}).
 * Exit codes: 0 ok, 1 failure, 2 bad input (an unusable argument, model or input; one unreadable image is a row
 * with an error, not a failure).
 */
@Command(name = "litenet-spark", mixinStandardHelpOptions = true, version = "litenet-spark 0.1.0",
        subcommands = {LiteNetJob.Predict.class, LiteNetJob.Embed.class},
        description = "LiteNet on Apache Spark: predict or embed every image under a path, written as Parquet.")
public final class LiteNetJob implements Callable<Integer> {
    public static final int OK = 0, FAILURE = 1, BAD_INPUT = 2;
    /** Classes of the top column at most; a model with fewer classes gives all of its classes. */
    static final int MAX_TOP = 1000;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "One row per image: path, label, prob, top (array of index/label/prob), error.")
    static final class Predict implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin JobOptions job;

        @Option(names = "--top", defaultValue = "5", paramLabel = "<K>", description = "Classes in the top column (default: ${DEFAULT-VALUE}, or all of a model with fewer).")
        int top;

        @Override public Integer call() {
            if (top < 1 || top > MAX_TOP) throw new BadInputException("--top must be 1 to " + MAX_TOP + " (fewer when the model has fewer classes), got " + top);
            job.run("predict", Schemas.PREDICT, (model, threads, counters) ->
                    new PredictPartition(model, top, job.batchSize, threads, counters), spec.commandLine().getOut());
            return OK;
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "One row per image: path, [label,] embedding (array<float>: 1280 for MobileNetV2, the network's embedding size for others), error.")
    static final class Embed implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin JobOptions job;

        @Option(names = "--label-from-parent", description = "Add a label column: the name of the folder holding each image.")
        boolean labelFromParent;

        @Override public Integer call() {
            job.run("embed", Schemas.embed(labelFromParent), (model, threads, counters) ->
                    new EmbedPartition(model, labelFromParent, job.batchSize, threads, counters), spec.commandLine().getOut());
            return OK;
        }
    }

    /**
     * Runs a command in the current JVM, in the active Spark session if there is one (it is left running).
     *
     * @param out  the summary line
     * @param err  errors and usage
     * @param args the command line
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new LiteNetJob()).setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, line) -> {
            err.println("litenet-spark: " + BadInputException.printable(firstLine(e.getMessage())) + " (see --help)");
            err.flush();
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            int code = e instanceof BadInputException || e instanceof org.apache.spark.sql.AnalysisException ? BAD_INPUT : FAILURE;
            err.println("litenet-spark: " + oneLine(e));
            err.flush();
            return code;
        });
        return cli.execute(args);
    }

    /**
     * One line for an exception that reached the edge: its message, or for Spark's wrappers (a failed job, a task
     * that failed) the message of the first cause that has one, without class names or stack traces.
     */
    static String oneLine(Throwable e) {
        if (e instanceof BadInputException) return e.getMessage();
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t instanceof org.apache.spark.SparkException || t.getMessage().contains("Exception"))) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "failed (" + t.getClass().getSimpleName() + ")" : firstLine(t.getMessage());
        m = m.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*(?:Exception|Error))\\b:? ?", "");
        return BadInputException.printable(m.isBlank() ? "failed" : m);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    public static void main(String[] args) {
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (SparkSession.getActiveSession().isDefined()) SparkSession.getActiveSession().get().stop();
        System.exit(code);
    }
}
