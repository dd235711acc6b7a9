package dev.litenet.cli;

import dev.litenet.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks of command-line values that commands make before any work: each failure is bad input (exit code 2)
 * naming the option and the value, so a mistake is found in a second, not after the training or the forward pass.
 */
final class Args {
    private Args() {}

    /** {@code value} within {@code [min, max]}. */
    static int range(String option, int value, int min, int max) {
        if (value < min || value > max) throw new BadInputException(option + " must be " + min + " to " + max + ", got " + value);
        return value;
    }

    /** An existing folder to read. */
    static Path inputFolder(String option, Path p) {
        named(option, p);
        if (!Files.isDirectory(p)) throw new BadInputException(p, option + ": folder not found");
        return p;
    }

    /** A folder to write: absent (it is created) or a folder, never an existing file. */
    static Path outputFolder(String option, Path p) {
        named(option, p);
        if (Files.exists(p) && !Files.isDirectory(p)) throw new BadInputException(p, option + ": exists and is not a folder");
        return p;
    }

    /** A file to write: not a folder, in a folder that exists. */
    static Path outputFile(String option, Path p) {
        named(option, p);
        if (Files.isDirectory(p)) throw new BadInputException(p, option + ": is a folder; name a file to write");
        Path parent = p.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new BadInputException(p, option + ": its folder " + parent + " does not exist");
        return p;
    }

    /** The empty path would be the current folder. */
    private static void named(String option, Path p) {
        if (p.toString().isEmpty()) throw new BadInputException(option + " is empty; name a file or folder");
    }
}
