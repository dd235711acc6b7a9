package dev.litenet.spark;

import dev.litenet.ImageClassifier;
import dev.litenet.Prediction;
import dev.litenet.PreparedImage;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.List;

/** {@code predict}: rows of {@link Schemas#PREDICT}, the top {@code k} classes of each image (all of them when the model has fewer). */
final class PredictPartition extends BatchedPartition {
    private final int k;

    PredictPartition(Broadcast<ModelBundle> model, int k, int batchSize, int threads, JobOptions.Counters counters) {
        super(model, batchSize, threads, counters);
        this.k = k;
    }

    @Override List<Row> rows(ImageClassifier net, List<Item> items, List<PreparedImage> readable) {
        List<List<Prediction>> tops = readable.isEmpty() ? List.of() : net.predictBatch(readable, Math.min(k, net.labels().size()));
        List<Row> out = new ArrayList<>(items.size());
        int next = 0;
        for (Item it : items) {
            if (it.error() != null) {
                out.add(RowFactory.create(it.path(), null, null, null, it.error()));
                continue;
            }
            List<Prediction> top = tops.get(next++);
            Row[] classes = top.stream().map(p -> RowFactory.create(p.index(), p.label(), p.probability())).toArray(Row[]::new);
            out.add(RowFactory.create(it.path(), top.get(0).label(), top.get(0).probability(), classes, null));
        }
        return out;
    }
}
