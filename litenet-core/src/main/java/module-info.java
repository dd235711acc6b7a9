/**
 * LiteNet: MobileNetV2 in pure Java. The Vector API is optional ({@code requires static}): with
 * {@code --add-modules jdk.incubator.vector} the kernels use it, without it they run scalar (see
 * {@link dev.litenet.tensor.Simd}). Images are decoded with {@code javax.imageio}; weights are downloaded with
 * {@code java.net.http}.
 */
module dev.litenet {
    requires static jdk.incubator.vector;
    requires java.desktop;
    requires java.management;
    requires java.net.http;

    exports dev.litenet;
    exports dev.litenet.data;
    exports dev.litenet.eval;
    exports dev.litenet.explain;
    exports dev.litenet.export;
    exports dev.litenet.io;
    exports dev.litenet.models;
    exports dev.litenet.nn;
    exports dev.litenet.summary;
    exports dev.litenet.tensor;
    exports dev.litenet.train;
}
