package dev.litenet.spark;

import dev.litenet.data.ImageFolder;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The input of the job: a row for every image file under a path. A local input is listed by
 * {@link LocalImages} (every name, unreadable folders and link loops as rows); any other is read by Spark's
 * {@code binaryFile} source, recursively, image files by name as LiteNet's own folders take them. Spark plans no
 * read for a file of zero bytes, so such files would vanish without a row; they are taken from the source's own
 * file listing (already on the driver) and added with empty content, to become rows with an error like any other
 * unreadable image.
 */
final class ImageFiles {
    /**
     * Image files by name, as LiteNet's own folders take them ({@link ImageFolder#isImageName}): a glob on the file
     * name matching each of {@link ImageFolder#EXTENSIONS} in any case, {@code *{.[jJ][pP][gG],...}}.
     */
    static final String IMAGE_GLOB = ImageFolder.EXTENSIONS.stream().map(ImageFiles::anyCase).collect(Collectors.joining(",", "*{", "}"));

    /**
     * A row of the input: how the file is named in the output, the local file a task reads (or null), its bytes
     * (or null), and why it cannot be read (or null).
     */
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("file", DataTypes.StringType, true)
            .add("content", DataTypes.BinaryType, true)
            .add("error", DataTypes.StringType, true);

    private ImageFiles() {}

    /**
     * Reads the images under {@code input}.
     *
     * @param spark the session
     * @param input a folder, file or glob on any file system Spark reads
     * @return rows of {@link #SCHEMA}, one per image file, empty files included
     */
    static Dataset<Row> read(SparkSession spark, String input) {
        if (LocalImages.isLocal(input)) return spark.createDataFrame(LocalImages.list(input), SCHEMA);
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", IMAGE_GLOB)
                .load(input)
                .select(functions.col("path"), functions.lit(null).cast(DataTypes.StringType).as("file"),
                        functions.col("content"), functions.lit(null).cast(DataTypes.StringType).as("error"));
        List<Row> empty = new ArrayList<>();
        for (FileStatus f : listed(files.queryExecution().analyzed())) {
            if (f.getLen() == 0) empty.add(RowFactory.create(f.getPath().toString(), null, new byte[0], null));
        }
        return empty.isEmpty() ? files : files.union(spark.createDataFrame(empty, SCHEMA));
    }

    /** {@code .jpg} -> {@code .[jJ][pP][gG]}: a glob of the ending in any case. */
    static String anyCase(String ending) {
        StringBuilder glob = new StringBuilder();
        for (char c : ending.toCharArray()) {
            if (Character.isLetter(c)) glob.append('[').append(Character.toLowerCase(c)).append(Character.toUpperCase(c)).append(']');
            else glob.append(c);
        }
        return glob.toString();
    }

    /** The files the file source listed for the plan's scan. */
    private static List<FileStatus> listed(LogicalPlan plan) {
        List<FileStatus> out = new ArrayList<>();
        for (LogicalPlan leaf : CollectionConverters.asJava(plan.collectLeaves())) {
            if (leaf instanceof LogicalRelation r && r.relation() instanceof HadoopFsRelation fs
                    && fs.location() instanceof PartitioningAwareFileIndex index) {
                out.addAll(CollectionConverters.asJava(index.allFiles()));
            }
        }
        return out;
    }
}
