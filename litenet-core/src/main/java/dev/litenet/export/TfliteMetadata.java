package dev.litenet.export;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * TFLite model metadata (tensorflow/tflite-support {@code metadata_schema.fbs}, identifier "M001", parser version
 * 1.0.0) for an image classifier, as Android's Task Library {@code ImageClassifier} reads it: the input an RGB image
 * with its normalization ({@code (pixel − mean) / std}) and its value range; each output a feature vector with the
 * labels file associated ({@code TENSOR_AXIS_LABELS}); and the labels file itself, packed as tflite-support's
 * populator packs associated files: a zip appended to the flatbuffer (stored, offsets from the start of the file).
 */
final class TfliteMetadata {
    private TfliteMetadata() {}

    static final String LABELS_FILE = "labels.txt";
    // union and enum values of metadata_schema.fbs
    private static final int FEATURE_PROPERTIES = 1, IMAGE_PROPERTIES = 2, NORMALIZATION_OPTIONS = 1, RGB = 1,
            TENSOR_AXIS_LABELS = 2;

    /** What the metadata says about the input and outputs. */
    record Spec(String name, String description, String version, String author, String license,
                int inputSize, float[] mean, float[] std, float[] inputMin, float[] inputMax,
                List<String> outputNames, List<String> outputDescriptions, List<float[]> outputRanges) {}

    /** The ModelMetadata flatbuffer. */
    static byte[] metadata(Spec s) {
        FlatBufferBuilder b = new FlatBufferBuilder();
        // input: an RGB image, normalized
        int size;
        b.startTable(2);
        b.addInt(0, s.inputSize());
        b.addInt(1, s.inputSize());
        size = b.endTable();
        b.startTable(2);
        b.addByte(0, RGB);
        b.addOffset(1, size);
        int image = b.endTable();
        int content = content(b, IMAGE_PROPERTIES, image);
        int mean = b.createFloats(s.mean()), std = b.createFloats(s.std());
        b.startTable(2);
        b.addOffset(0, mean);
        b.addOffset(1, std);
        int normalization = b.endTable();
        b.startTable(2);
        b.addByte(0, NORMALIZATION_OPTIONS);
        b.addOffset(1, normalization);
        int unit = b.endTable();
        int units = b.createOffsets(unit);
        int inputStats = stats(b, s.inputMin(), s.inputMax());
        int input = tensor(b, "image", "The photo, " + s.inputSize() + "x" + s.inputSize() + " RGB, normalized as (pixel - mean) / std.",
                content, units, inputStats, 0);

        int[] outputs = new int[s.outputNames().size()];
        for (int i = 0; i < outputs.length; i++) {
            b.startTable(0);
            int feature = b.endTable();
            int c = content(b, FEATURE_PROPERTIES, feature);
            float[] range = s.outputRanges().get(i);
            int st = range == null ? 0 : stats(b, new float[] {range[0]}, new float[] {range[1]});
            int labelsName = b.createString(LABELS_FILE), labelsDesc = b.createString("One class name a line, in output order.");
            b.startTable(3);
            b.addOffset(0, labelsName);
            b.addOffset(1, labelsDesc);
            b.addByte(2, TENSOR_AXIS_LABELS);
            int file = b.endTable();
            int files = b.createOffsets(file);
            outputs[i] = tensor(b, s.outputNames().get(i), s.outputDescriptions().get(i), c, 0, st, files);
        }
        int inputsVec = b.createOffsets(input), outputsVec = b.createOffsets(outputs);
        int sgName = b.createString(s.name());
        b.startTable(4);
        b.addOffset(0, sgName);
        b.addOffset(2, inputsVec);
        b.addOffset(3, outputsVec);
        int subgraph = b.endTable();
        int subgraphs = b.createOffsets(subgraph);
        int name = b.createString(s.name()), desc = b.createString(s.description()), version = b.createString(s.version()),
                author = b.createString(s.author()), license = b.createString(s.license()), parser = b.createString("1.0.0");
        b.startTable(8);
        b.addOffset(0, name);
        b.addOffset(1, desc);
        b.addOffset(2, version);
        b.addOffset(3, subgraphs);
        b.addOffset(4, author);
        b.addOffset(5, license);
        b.addOffset(7, parser);
        return b.finish(b.endTable(), "M001");
    }

    private static int content(FlatBufferBuilder b, int type, int properties) {
        b.startTable(3);
        b.addByte(0, type);
        b.addOffset(1, properties);
        return b.endTable();
    }

    private static int stats(FlatBufferBuilder b, float[] min, float[] max) {
        int mx = b.createFloats(max), mn = b.createFloats(min);
        b.startTable(2);
        b.addOffset(0, mx);
        b.addOffset(1, mn);
        return b.endTable();
    }

    private static int tensor(FlatBufferBuilder b, String name, String description, int content, int units, int stats, int files) {
        int n = b.createString(name), d = b.createString(description);
        b.startTable(7);
        b.addOffset(0, n);
        b.addOffset(1, d);
        b.addOffset(3, content);
        if (units != 0) b.addOffset(4, units);
        if (stats != 0) b.addOffset(5, stats);
        if (files != 0) b.addOffset(6, files);
        return b.endTable();
    }

    /**
     * A zip of the files (stored, not compressed) to append to a file of {@code prefix} bytes: its offsets count from
     * the start of that file, as Python's {@code zipfile} writes them when it appends to a flatbuffer.
     */
    static byte[] zip(long prefix, List<String> names, List<byte[]> contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8), data = contents.get(i);
            CRC32 crc = new CRC32();
            crc.update(data);
            long offset = prefix + out.size();
            ByteBuffer local = le(30 + name.length);
            local.putInt(0x04034b50).putShort((short) 10).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0x21)                // time 00:00, date 1980-01-01
                    .putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
                    .putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(local.array());
            out.writeBytes(data);
            ByteBuffer entry = le(46 + name.length);
            entry.putInt(0x02014b50).putShort((short) 20).putShort((short) 10).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt((int) offset).put(name);
            central.writeBytes(entry.array());
        }
        long centralOffset = prefix + out.size();
        byte[] dir = central.toByteArray();
        out.writeBytes(dir);
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) names.size()).putShort((short) names.size())
                .putInt(dir.length).putInt((int) centralOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer le(int size) { return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN); }
}
