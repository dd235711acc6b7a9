package dev.litenet.models;

import dev.litenet.data.Preprocess;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One published set of weights as a value, like torchvision's {@code Weights}: where to get the file, how to
 * check it, how to prepare images for it and what it scored. Unknown numbers are -1.
 *
 * @param architecture the {@link Architectures} name of the network the weights are for
 * @param widthMult    its width multiplier (1 for an architecture without one)
 * @param sha256       the full hex sha256 of the file, or null when only a prefix is published
 * @param sha256Prefix the first 8 or more hex digits of the sha256 (the whole of it when {@code sha256} is known)
 * @param sizeBytes    the file size in bytes, -1 when not published
 * @param numParams    the number of parameters of the model as published, -1 when not published
 * @param labels       where the class names come from
 * @param metrics      published scores, e.g. {@code "acc@1" -> 71.878} (ImageNet-1K validation, percent)
 */
public record WeightsInfo(String name, String architecture, float widthMult, URI url, String sha256, String sha256Prefix, String fileName, WeightsFormat format,
                          long sizeBytes, int numClasses, long numParams, Preprocess preprocessing, String labels,
                          Map<String, Double> metrics) {

    /** torch.hub's {@code HASH_REGEX}: the hash prefix is the hex between a dash and a dot, {@code name-<hex>.ext}. */
    private static final Pattern TORCH_HUB_HASH = Pattern.compile("-([a-f0-9]*)\\.");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public WeightsInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        if (sha256 != null && (sha256.length() != 64 || !HEX.matcher(sha256).matches())) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
        }
        if (sha256Prefix == null && sha256 != null) sha256Prefix = sha256;
        if (sha256Prefix == null || sha256Prefix.length() < 8 || sha256Prefix.length() > 64 || !HEX.matcher(sha256Prefix).matches()) {
            throw new IllegalArgumentException("sha256 prefix must be 8 to 64 lowercase hex digits: " + sha256Prefix);
        }
        if (sha256 != null && !sha256.startsWith(sha256Prefix)) {
            throw new IllegalArgumentException("sha256 " + sha256 + " does not start with its prefix " + sha256Prefix);
        }
        metrics = Map.copyOf(metrics);
    }

    /**
     * The hash prefix torch.hub reads from a file name such as {@code mobilenet_v2-b0353104.pth}, or null when the
     * name carries none (torch.hub {@code HASH_REGEX = '-([a-f0-9]*)\.'}).
     */
    public static String torchHubHashPrefix(String fileName) {
        Matcher m = TORCH_HUB_HASH.matcher(fileName);
        return m.find() && m.group(1).length() >= 8 ? m.group(1) : null;
    }

    /** True when {@code hexDigest} (a full sha256 in hex) is this file's: equal to sha256, or starting with the prefix. */
    public boolean matchesSha256(String hexDigest) {
        String d = hexDigest.toLowerCase(Locale.ROOT);
        return sha256 != null ? sha256.equals(d) : d.startsWith(sha256Prefix);
    }

    /** The expected hash as a message shows it: the full sha256, or the prefix followed by "...". */
    public String expectedHash() {
        return sha256 != null ? sha256 : sha256Prefix + "...";
    }
}
