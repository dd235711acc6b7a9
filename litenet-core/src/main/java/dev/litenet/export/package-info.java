/**
 * A model written as ONNX or TFLite for other runtimes; {@link dev.litenet.export.Exporter.Format} and
 * {@link dev.litenet.export.Exporter.Result} are what {@link dev.litenet.ImageClassifier#export} takes and answers.
 */
package dev.litenet.export;
