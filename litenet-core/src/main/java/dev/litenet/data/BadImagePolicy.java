package dev.litenet.data;

/** What a {@link BatchLoader} does with a file that cannot be decoded. */
public enum BadImagePolicy {
    /** Leave the sample out of its batch and report it as a {@link BadImage}. */
    SKIP,
    /** Stop: the iterator throws the file's {@link dev.litenet.BadInputException}. */
    FAIL
}
