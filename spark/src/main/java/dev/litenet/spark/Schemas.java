package dev.litenet.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The columns the job writes. A row whose image could not be read has its {@code error} set and nulls elsewhere. */
public final class Schemas {
    private Schemas() {}

    /** One class of the top-k: index into the model's labels, the label, the softmax probability. */
    public static final StructType TOP_CLASS = new StructType(new StructField[]{
            DataTypes.createStructField("index", DataTypes.IntegerType, false),
            DataTypes.createStructField("label", DataTypes.StringType, false),
            DataTypes.createStructField("prob", DataTypes.DoubleType, false)});

    /** {@code predict}: path, label, prob, top, error. */
    public static final StructType PREDICT = new StructType(new StructField[]{
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("label", DataTypes.StringType, true),
            DataTypes.createStructField("prob", DataTypes.DoubleType, true),
            DataTypes.createStructField("top", new ArrayType(TOP_CLASS, false), true),
            DataTypes.createStructField("error", DataTypes.StringType, true)});

    /**
     * {@code embed}: path, [label,] embedding, error.
     *
     * @param withLabel include the {@code label} column (the parent folder's name)
     * @return the schema
     */
    public static StructType embed(boolean withLabel) {
        StructType s = new StructType().add("path", DataTypes.StringType, false);
        if (withLabel) s = s.add("label", DataTypes.StringType, true);
        return s.add("embedding", new ArrayType(DataTypes.FloatType, false), true)
                .add("error", DataTypes.StringType, true);
    }
}
