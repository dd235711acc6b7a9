package dev.litenet.spark;

import dev.litenet.BadInputException;
import dev.litenet.data.ImageFolder;
import dev.litenet.io.Budget;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The images of an input on the driver's own file system, listed by LiteNet rather than by Hadoop, so that no
 * file is lost: Hadoop's paths refuse a name with a colon and drop a name that is not valid UTF-8, follow
 * symbolic-link loops until the path is too long, and fail the whole job on one unreadable folder. Here every
 * file with an image ending gives one row of {@link ImageFiles#SCHEMA}:
 * <ul>
 *   <li>its path and the local file to read (the task reads it, so the driver holds no image);</li>
 *   <li>a name the JVM cannot give back as a string (bytes that are not UTF-8): the driver reads its bytes into
 *       the row, up to {@link #INLINE_BYTES} for all such files of a job, and shows the name with
 *       {@code \uFFFD} where its bytes were not text;</li>
 *   <li>a folder that cannot be listed, a symbolic-link loop (reported once, at the link, never followed): a row
 *       with its error.</li>
 * </ul>
 * Names starting with {@code .} or {@code _} are skipped, as Spark's own file sources skip them.
 */
final class LocalImages {
    /** Bytes of the images the driver reads itself (those whose names are not text), for one job. */
    static final long INLINE_BYTES = 256L << 20;
    /** Files and folders one input may list. */
    static final int MAX_ENTRIES = 10_000_000;

    private LocalImages() {}

    /** True for an input on the driver's file system: no scheme, or {@code file:}. */
    static boolean isLocal(String input) {
        return !input.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") || input.startsWith("file:");
    }

    /** The local path of {@code file:/x}, {@code file:///x} or {@code x}, absolute and normalised. */
    static Path path(String input) {
        String p = input;
        if (p.startsWith("file://")) p = p.substring("file://".length());
        else if (p.startsWith("file:")) p = p.substring("file:".length());
        return Path.of(p).toAbsolutePath().normalize();
    }

    /** True if the path has glob characters, as Spark's and Hadoop's paths take them. */
    static boolean isGlob(String path) { return path.matches(".*[*?\\[{].*"); }

    /**
     * The folder a local input lists: the input itself, or for a glob the longest folder before its first glob
     * character.
     */
    static Path base(String input) {
        Path p = path(input);
        if (!isGlob(p.toString())) return p;
        Path base = p.getRoot();
        for (Path part : p) {
            if (isGlob(part.toString())) break;
            base = base.resolve(part);
        }
        return base;
    }

    /**
     * Lists a local input.
     *
     * @param input a file, a folder (read recursively) or a glob
     * @return one row per image file, and one per folder that cannot be listed or link loop
     * @throws BadInputException if the input does not exist
     */
    static List<Row> list(String input) {
        Path full = path(input), base = base(input);
        if (!Files.exists(base, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInputException("--input " + input + ": no such file or folder");
        }
        PathMatcher glob = isGlob(full.toString()) ? base.getFileSystem().getPathMatcher("glob:" + full) : null;
        List<Row> rows = new ArrayList<>();
        long[] inline = {0};
        try {
            Files.walkFileTree(base, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                    if (!dir.equals(base) && skipped(dir)) return FileVisitResult.SKIP_SUBTREE;
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if ((!file.equals(base) && skipped(file)) || !ImageFolder.isImageName(file.getFileName().toString())) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (glob != null && !matches(glob, base, file)) return FileVisitResult.CONTINUE;
                    count(rows);
                    rows.add(row(file, inline));
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (skipped(file)) return FileVisitResult.CONTINUE;
                    count(rows);
                    rows.add(RowFactory.create(display(file), null, null, display(file) + ": " + why(e)));
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {
                        count(rows);
                        rows.add(RowFactory.create(display(dir), null, null, display(dir) + ": folder not listed to the end: " + why(e)));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new BadInputException("--input " + input + ": " + why(e));
        }
        return rows;
    }

    private static void count(List<Row> rows) {
        if (rows.size() >= MAX_ENTRIES) throw new BadInputException("--input lists more than " + MAX_ENTRIES + " files; split the job");
    }

    private static boolean skipped(Path p) {
        Path name = p.getFileName();
        if (name == null) return false;
        String n = name.toString();
        return n.startsWith(".") || n.startsWith("_");
    }

    private static boolean matches(PathMatcher glob, Path base, Path file) {
        for (Path p = file; p != null && p.startsWith(base); p = p.getParent()) {
            if (glob.matches(p)) return true;
        }
        return false;
    }

    /** The row of one file: the local path to read, or its bytes when its name cannot be a string. */
    private static Row row(Path file, long[] inline) {
        String shown = display(file);
        if (Path.of(file.toString()).equals(file)) return RowFactory.create(shown, file.toString(), null, null);
        try {
            long size = Budget.regularFile(file);
            if (size > Budget.IMAGE_FILE_BYTES) return RowFactory.create(shown, null, null, shown + ": file of " + size + " bytes is over the budget of " + Budget.IMAGE_FILE_BYTES);
            if (inline[0] + size > INLINE_BYTES) {
                return RowFactory.create(shown, null, null, shown + ": name is not UTF-8 and the job's " + INLINE_BYTES
                        + " bytes for such files are spent; rename it");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) size);
            }
            inline[0] += bytes.length;
            return RowFactory.create(shown, null, bytes, null);
        } catch (BadInputException e) {
            return RowFactory.create(shown, null, null, shown + ": " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        } catch (IOException e) {
            return RowFactory.create(shown, null, null, shown + ": " + why(e));
        }
    }

    /** How a row names a local file: {@code file:} and its absolute path, control characters escaped. */
    static String display(Path file) { return BadInputException.printable("file:" + file.toAbsolutePath()); }

    /** The reason of an I/O error, in words. */
    static String why(IOException e) {
        if (e instanceof FileSystemLoopException) return "symbolic link loop (it leads back to a folder above it); not followed";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "file not found (a dangling symbolic link?)";
        return "cannot read (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
    }

    /**
     * The bytes of a row's local file, read by a task: a regular file of at most {@link Budget#IMAGE_FILE_BYTES}.
     *
     * @param shown how the row names the file
     * @param file  the local path
     * @return the bytes
     * @throws BadInputException naming {@code shown} and the problem
     */
    static byte[] read(String shown, String file) {
        Path p = Path.of(file);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (a.isDirectory()) throw new BadInputException(shown + ": is a folder, not a file");
            if (!a.isRegularFile()) throw new BadInputException(shown + ": not a regular file (a device, pipe or socket)");
            if (a.size() > Budget.IMAGE_FILE_BYTES) {
                throw new BadInputException(shown + ": file of " + a.size() + " bytes is over the budget of " + Budget.IMAGE_FILE_BYTES);
            }
            try (InputStream in = Files.newInputStream(p)) {
                return in.readNBytes((int) Math.min(a.size(), Budget.IMAGE_FILE_BYTES));
            }
        } catch (IOException e) {
            throw new BadInputException(shown + ": " + why(e));
        }
    }
}
