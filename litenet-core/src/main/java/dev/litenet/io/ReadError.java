package dev.litenet.io;

import dev.litenet.BadInputException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Turns an I/O failure while reading an input file into the one clear {@link BadInputException}. */
final class ReadError {
    private ReadError() {}

    static BadInputException of(Path file, IOException e) {
        if (e instanceof NoSuchFileException) return new BadInputException(file, "file not found", e);
        if (e instanceof AccessDeniedException) return new BadInputException(file, "permission denied", e);
        return new BadInputException(file, "cannot read (" + e.getMessage() + ")", e);
    }
}
