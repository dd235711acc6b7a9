package dev.litenet.spark;

import dev.litenet.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Nothing the job reads is ever deleted or overwritten: the output is checked before Spark writes (and, with
 * {@code --overwrite}, deletes) anything. Refused whatever {@code --overwrite} says: an output that is the input,
 * holds it or lies inside it (compared after resolving symbolic links, so a link to the input is the input), an
 * output that is a file, and an existing folder holding anything but a Parquet output (Spark's {@code part-*}
 * files, {@code _SUCCESS}, hidden checksums); an existing output without {@code --overwrite}.
 */
final class OutputCheck {
    private OutputCheck() {}

    /**
     * Checks the output against the input.
     *
     * @param input     the job's {@code --input}
     * @param output    the job's {@code --output}
     * @param overwrite the job's {@code --overwrite}
     * @param hadoop    the Hadoop configuration, for outputs not on the local file system (unused, may be null, for a
     *                  local output)
     * @throws BadInputException naming the option and the problem
     */
    static void check(String input, String output, boolean overwrite, Configuration hadoop) {
        if (output.isBlank()) throw new BadInputException("--output is empty");
        if (LocalImages.isLocal(output)) {
            Path out = real(LocalImages.path(output));
            if (LocalImages.isLocal(input)) {
                Path in = real(LocalImages.base(input));
                if (out.equals(in)) throw new BadInputException("--output " + output + " is the input; nothing is written over what the job reads");
                if (in.startsWith(out)) throw new BadInputException("--output " + output + " holds the input " + input + "; writing it would delete the images");
                if (out.startsWith(in)) throw new BadInputException("--output " + output + " is inside the input " + input + "; choose a folder outside it");
            }
            Path given = LocalImages.path(output);
            if (Files.isRegularFile(given) || (Files.exists(given, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(given))) {
                throw new BadInputException("--output " + output + " is a file, not a Parquet folder");
            }
            if (Files.isDirectory(given)) {
                if (!overwrite) throw new BadInputException("--output " + output + " exists; add --overwrite to replace it");
                try (var entries = Files.list(given)) {
                    for (Path e : entries.toList()) ownOutput(output, e.getFileName().toString(), Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS));
                } catch (IOException e) {
                    throw new BadInputException("--output " + output + ": cannot list it (" + LocalImages.why(e) + ")");
                }
            }
            return;
        }
        try {
            URI uri = URI.create(output);
            FileSystem fs = FileSystem.get(uri, hadoop);
            org.apache.hadoop.fs.Path out = fs.makeQualified(new org.apache.hadoop.fs.Path(uri));
            if (!LocalImages.isLocal(input)) {
                String in = fs.makeQualified(new org.apache.hadoop.fs.Path(URI.create(LocalImages.isGlob(input) ? globBase(input) : input))).toString();
                String o = out.toString();
                if (in.equals(o) || (in + "/").startsWith(o + "/") || (o + "/").startsWith(in + "/")) {
                    throw new BadInputException("--output " + output + " is, holds or lies inside the input " + input);
                }
            }
            if (fs.exists(out)) {
                if (fs.getFileStatus(out).isFile()) throw new BadInputException("--output " + output + " is a file, not a Parquet folder");
                existing(output, overwrite, out.toUri(), hadoop);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("--output " + output + ": " + e.getMessage());
        }
    }

    /** An existing output folder: replaced only with {@code --overwrite}, and only if it holds a Parquet output. */
    private static void existing(String output, boolean overwrite, URI folder, Configuration hadoop) {
        if (!overwrite) throw new BadInputException("--output " + output + " exists; add --overwrite to replace it");
        try {
            FileSystem fs = FileSystem.get(folder, hadoop);
            for (FileStatus f : fs.listStatus(new org.apache.hadoop.fs.Path(folder))) ownOutput(output, f.getPath().getName(), f.isDirectory());
        } catch (IOException e) {
            throw new BadInputException("--output " + output + ": cannot list it (" + e.getMessage() + ")");
        }
    }

    /** Refuses an entry of an existing output folder that a Spark job does not write. */
    private static void ownOutput(String output, String name, boolean folder) {
        boolean spark = name.startsWith("part-") || name.startsWith("_") || name.startsWith(".");
        if (!spark || (folder && !name.startsWith("_"))) {
            throw new BadInputException("--output " + output + " holds " + name
                    + ", which is not part of a Parquet output; --overwrite replaces only a job's own output");
        }
    }

    /** The part of a glob before its first glob character's path segment. */
    private static String globBase(String glob) {
        int star = glob.length();
        for (char c : new char[]{'*', '?', '[', '{'}) {
            int i = glob.indexOf(c);
            if (i >= 0) star = Math.min(star, i);
        }
        int slash = glob.lastIndexOf('/', star);
        return slash > 0 ? glob.substring(0, slash) : glob;
    }

    /** The path with every symbolic link of its longest existing part resolved, the rest appended. */
    static Path real(Path p) {
        Path existing = p;
        Path rest = p.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) return p;
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return p;
        }
    }
}
