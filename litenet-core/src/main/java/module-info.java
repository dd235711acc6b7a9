/**
 * LiteNet: lightweight image networks in pure Java. The API is package {@code dev.litenet} ({@code ImageClassifier},
 * {@code TransferLearning}) with the value types it hands out in {@code data}, {@code eval}, {@code explain} and
 * {@code export}; the engine (tensors and kernels, layers, the zoo, weight formats, training, summaries) is not
 * exported. The Vector API is optional ({@code requires static}): with {@code --add-modules jdk.incubator.vector}
 * the kernels use it, without it they run scalar and say so once. {@code java.desktop} is required transitively
 * because the API takes and returns {@code java.awt.image.BufferedImage}. Weights are downloaded with
 * {@code java.net.http}, or found on the class path in a weights artifact such as {@code litenet-weights-mobilenet}.
 */
// LiteNet's own adapters (litenet-cli, litenet-serve, litenet-spark, runtimes, bench) put this jar on the class path,
// where a module's exports do not apply, so none needs a qualified export; a module-path user sees the API alone.
module dev.litenet {
    requires static jdk.incubator.vector;
    requires static jdk.management;
    requires transitive java.desktop;
    requires java.management;
    requires java.net.http;

    exports dev.litenet;
    exports dev.litenet.data;
    exports dev.litenet.eval;
    exports dev.litenet.explain;
    exports dev.litenet.export;
}
