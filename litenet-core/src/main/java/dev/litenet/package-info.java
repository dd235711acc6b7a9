/**
 * LiteNet's API. {@link dev.litenet.ImageClassifier} is a loaded, thread-safe model: pretrained by name (from the
 * cache, the class path's weights artifacts, {@code $LITENET_SHARED/weights} or a verified download), from any NIO
 * {@link java.nio.file.Path}, {@link java.io.InputStream} or {@link java.net.URL}, or a trained run folder; it
 * predicts, embeds, explains, evaluates and exports. {@link dev.litenet.TransferLearning} trains a new head on an
 * image folder. Bad input throws {@link dev.litenet.BadInputException}; weights that cannot be fetched throw
 * {@link dev.litenet.WeightsUnavailableException}. {@link dev.litenet.LiteNet} sets threads and says which kernels run.
 */
package dev.litenet;
