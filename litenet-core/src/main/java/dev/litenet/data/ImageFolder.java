package dev.litenet.data;

import dev.litenet.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * torchvision's {@code ImageFolder} layout: one subfolder per class, class names = sorted subfolder names
 * (label = index), image files sorted by path within each class (subfolders of a class folder included).
 * Only .jpg, .jpeg, .png, .bmp and .gif files count (any case); hidden files and folders are ignored.
 * Nothing is decoded here.
 */
public record ImageFolder(Path root, List<String> classes, List<Sample> samples) {
    private static final Comparator<Path> BY_NAME = Comparator.comparing(Path::toString);
    /** The endings of the files that count as images, in lower case; a name counts whatever the case of its ending. */
    public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif");

    public ImageFolder {
        classes = List.copyOf(classes);
        samples = List.copyOf(samples);
    }

    public static ImageFolder open(Path dir) {
        if (!Files.isDirectory(dir)) throw new BadInputException(dir, "not a folder");
        List<Path> classDirs = classFolders(dir);
        if (classDirs.isEmpty()) throw new BadInputException(dir, "no class folders (expected one subfolder per class)");
        List<String> classes = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (Path classDir : classDirs) {
            List<Path> files = imageFiles(classDir);
            if (files.isEmpty()) throw new BadInputException(classDir, "no images (" + String.join(", ", EXTENSIONS) + ") in class folder");
            for (Path file : files) samples.add(new Sample(file, classes.size()));
            classes.add(classDir.getFileName().toString());
        }
        return new ImageFolder(dir, classes, samples);
    }

    /**
     * {@code dir/train} and {@code dir/val} when both exist (they must have the same classes); otherwise {@code dir}
     * itself, split per class: a seeded shuffle puts round(n * valFraction) files of each class in val.
     * Both parts keep the folder order.
     */
    public static DatasetSplit split(Path dir, double valFraction, long seed) {
        Path trainDir = dir.resolve("train"), valDir = dir.resolve("val");
        if (Files.isDirectory(trainDir) && Files.isDirectory(valDir)) {
            ImageFolder train = open(trainDir), val = open(valDir);
            if (!train.classes.equals(val.classes)) {
                throw new BadInputException(dir, "train and val have different classes: " + train.classes + " and " + val.classes);
            }
            return new DatasetSplit(train.classes, train.samples, val.samples);
        }
        if (!(valFraction >= 0 && valFraction < 1)) throw new IllegalArgumentException("validation fraction must be in [0, 1): " + valFraction);
        ImageFolder all = open(dir);
        boolean[] inVal = new boolean[all.samples.size()];
        SplittableRandom random = new SplittableRandom(seed);
        int start = 0;
        for (int label = 0; label < all.classes.size(); label++) {
            int end = start;
            while (end < inVal.length && all.samples.get(end).label() == label) end++;
            int[] order = Orders.shuffled(end - start, random);
            long take = Math.round((end - start) * valFraction);
            for (int i = 0; i < take; i++) inVal[start + order[i]] = true;
            start = end;
        }
        List<Sample> train = new ArrayList<>(), val = new ArrayList<>();
        for (int i = 0; i < inVal.length; i++) (inVal[i] ? val : train).add(all.samples.get(i));
        return new DatasetSplit(all.classes, train, val);
    }

    /**
     * Whether a file counts as an image by its name.
     *
     * @param name a file name
     * @return whether it ends in one of {@link #EXTENSIONS}, in any case
     */
    public static boolean isImageName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    private static List<Path> classFolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !isHidden(p.getFileName())).sorted(BY_NAME).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(dir, "cannot list folder: " + e.getMessage(), e);
        }
    }

    private static List<Path> imageFiles(Path classDir) {
        try (Stream<Path> s = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(p -> isImageName(p.getFileName().toString()))
                    .filter(p -> !hiddenBelow(classDir, p))
                    .filter(Files::isRegularFile)
                    .sorted(BY_NAME).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(classDir, "cannot list folder: " + e.getMessage(), e);
        }
    }

    private static boolean isHidden(Path name) { return name.toString().startsWith("."); }

    private static boolean hiddenBelow(Path classDir, Path file) {
        for (Path part : classDir.relativize(file)) if (isHidden(part)) return true;
        return false;
    }
}
