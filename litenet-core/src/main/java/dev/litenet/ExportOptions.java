package dev.litenet;

import dev.litenet.export.Exporter.Format;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How {@link ImageClassifier#export(Path, ExportOptions)} writes a model: the format (ONNX, or TFLite for Android, iOS,
 * microcontrollers and the web), for TFLite optionally full-integer int8 with activation ranges calibrated on photos,
 * and what a model trained with test-time flip does in the file.
 *
 * <pre>{@code
 * net.export(Path.of("cats-dogs.onnx"), ExportOptions.onnx());
 * net.export(Path.of("cats-dogs-int8.tflite"), ExportOptions.tflite().int8(Path.of("photos")));
 * }</pre>
 *
 * @param format            the file format
 * @param calibration       for int8: a folder of photos like the ones the model will see (searched recursively); null
 *                          for a float32 file
 * @param calibrationImages how many of those photos calibrate the ranges (spread over the folder by a fixed seed)
 * @param bothViews         for a model trained with test-time flip: run the image and its mirror in the file and
 *                          average them (the default, what {@code predict} does), or one view and a note
 */
public record ExportOptions(Format format, Path calibration, int calibrationImages, boolean bothViews) {
    /** Calibration photos used when not told otherwise. */
    public static final int DEFAULT_CALIBRATION_IMAGES = 200;

    /**
     * Checks the options.
     *
     * @param format            the file format
     * @param calibration       the int8 calibration folder, or null
     * @param calibrationImages at least 1
     * @param bothViews         both views of a test-time-flip model in the file
     */
    public ExportOptions {
        Objects.requireNonNull(format, "format");
        if (calibrationImages < 1) throw new BadInputException("calibration images must be at least 1, got " + calibrationImages);
    }

    /**
     * ONNX, float32.
     *
     * @return ONNX, float32, both views of a test-time-flip model
     */
    public static ExportOptions onnx() { return new ExportOptions(Format.ONNX, null, DEFAULT_CALIBRATION_IMAGES, true); }

    /**
     * TFLite, float32.
     *
     * @return TFLite, float32, both views of a test-time-flip model
     */
    public static ExportOptions tflite() { return new ExportOptions(Format.TFLITE, null, DEFAULT_CALIBRATION_IMAGES, true); }

    /**
     * The format a file name asks for: {@code .onnx} or {@code .tflite}.
     *
     * @param file the file to write
     * @return float32 options in that format
     * @throws BadInputException if the name ends in neither
     */
    public static ExportOptions forFile(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) return onnx();
        if (name.endsWith(".tflite")) return tflite();
        throw new BadInputException(file, "say the format: a file name ending in .onnx or .tflite, or ExportOptions.onnx() / tflite()");
    }

    /**
     * These options with full-integer int8 quantization, calibrated on photos from a folder.
     *
     * @param calibrationFolder photos like the ones the model will see (class subfolders or not)
     * @return int8 options
     */
    public ExportOptions int8(Path calibrationFolder) {
        return new ExportOptions(format, Objects.requireNonNull(calibrationFolder, "calibrationFolder"), calibrationImages, bothViews);
    }

    /**
     * These options with another number of calibration photos.
     *
     * @param images at least 1
     * @return new options
     */
    public ExportOptions calibrationImages(int images) { return new ExportOptions(format, calibration, images, bothViews); }

    /**
     * These options with one view of a test-time-flip model in the file (half the work; the caller averages the image
     * and its mirror to get LiteNet's answers).
     *
     * @return new options
     */
    public ExportOptions oneView() { return new ExportOptions(format, calibration, calibrationImages, false); }

    /**
     * Whether the file is full-integer.
     *
     * @return whether the file is full-integer
     */
    public boolean isInt8() { return calibration != null; }
}
