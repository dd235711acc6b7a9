package dev.litenet.spark;

import dev.litenet.ImageClassifier;
import dev.litenet.PreparedImage;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.List;

/** {@code embed}: rows of {@link Schemas#embed}, the backbone's pooled features of each image. */
final class EmbedPartition extends BatchedPartition {
    private final boolean labelFromParent;

    EmbedPartition(Broadcast<ModelBundle> model, boolean labelFromParent, int batchSize, int threads,
                   JobOptions.Counters counters) {
        super(model, batchSize, threads, counters);
        this.labelFromParent = labelFromParent;
    }

    @Override List<Row> rows(ImageClassifier net, List<Item> items, List<PreparedImage> readable) {
        float[][] features = readable.isEmpty() ? new float[0][] : net.embedBatch(readable);
        List<Row> out = new ArrayList<>(items.size());
        int next = 0;
        for (Item it : items) {
            float[] e = it.error() == null ? features[next++] : null;
            out.add(labelFromParent ? RowFactory.create(it.path(), parentName(it.path()), e, it.error())
                    : RowFactory.create(it.path(), e, it.error()));
        }
        return out;
    }
}
