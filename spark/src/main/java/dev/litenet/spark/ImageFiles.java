package dev.litenet.spark;

import dev.litenet.data.ImageFolder;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
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
 * The input of the job: {@code (path, content)} of every image file under a path, read by Spark's
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

    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("content", DataTypes.BinaryType, true);

    private ImageFiles() {}

    /**
     * Reads the images under {@code input}.
     *
     * @param spark the session
     * @param input a folder, file or glob on any file system Spark reads
     * @return {@code (path, content)} rows, one per image file, empty files included
     */
    static Dataset<Row> read(SparkSession spark, String input) {
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", IMAGE_GLOB)
                .load(input)
                .select("path", "content");
        List<Row> empty = new ArrayList<>();
        for (FileStatus f : listed(files.queryExecution().analyzed())) {
            if (f.getLen() == 0) empty.add(RowFactory.create(f.getPath().toString(), new byte[0]));
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
