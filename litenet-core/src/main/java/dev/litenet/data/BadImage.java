package dev.litenet.data;

import java.nio.file.Path;

/** An image file a loader left out, and why ("truncated JPEG", "empty file", ...). */
public record BadImage(Path path, String reason) {}
