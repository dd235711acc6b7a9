package dev.litenet.models;

import dev.litenet.TrainEvent;
import dev.litenet.data.Preprocess;

import java.util.List;
import java.util.Objects;

/**
 * A classifier as one value: the network (its architecture inside), the labels of its outputs, the preprocessing
 * images go through before it, where its weights came from, and how it was trained. Pretrained weights
 * ({@link Pretrained}), a run folder ({@link RunFolder}) and a training run each give one, and every command, the
 * server, the Spark job and the library's {@code ImageClassifier} run one.
 *
 * @param network    the network in eval mode
 * @param labels     one per output (Google's TFLite files: 1001, the first "background"); empty when the weights
 *                   came without labels
 * @param preprocess how images are prepared for it
 * @param origin     the file its (backbone) weights came from
 * @param sha256     that file's sha256, hex
 * @param history    the epochs of training; empty for pretrained weights
 * @param headless   the weights came without a classifier (an embedding extractor): the head is a placeholder for
 *                   training to replace, and only embeddings are meaningful
 * @param backboneUnchanged the backbone's weights are exactly those of the file {@code sha256} names: pretrained
 *                   weights as loaded, or a head trained on a frozen backbone. Then the backbone computes what it
 *                   computed in training, and features cached under that checksum are its own. False when the
 *                   backbone was fine-tuned, and when nothing says (a model built in code, a run folder saved
 *                   before this was recorded)
 */
public record Model(Network network, List<String> labels, Preprocess preprocess, String origin, String sha256,
                    List<TrainEvent.EpochStats> history, boolean headless, boolean backboneUnchanged) {
    /** A model with a classifier, its backbone not known to be unchanged. */
    public Model(Network network, List<String> labels, Preprocess preprocess, String origin, String sha256,
                 List<TrainEvent.EpochStats> history) {
        this(network, labels, preprocess, origin, sha256, history, false, false);
    }

    /** A model, its backbone not known to be unchanged. */
    public Model(Network network, List<String> labels, Preprocess preprocess, String origin, String sha256,
                 List<TrainEvent.EpochStats> history, boolean headless) {
        this(network, labels, preprocess, origin, sha256, history, headless, false);
    }

    public Model {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(preprocess, "preprocess");
        labels = List.copyOf(labels);
        history = List.copyOf(history);
        origin = origin == null ? "" : origin;
        sha256 = sha256 == null ? "" : sha256;
    }

    /** The architecture's name, as {@link Architectures} knows it. */
    public String architecture() { return network.config().architecture(); }

    /** The same model with other preprocessing. */
    public Model withPreprocess(Preprocess p) { return new Model(network, labels, p, origin, sha256, history, headless, backboneUnchanged); }
}
