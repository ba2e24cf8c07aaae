package dev.tollgate.monitor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A file read as it grows, like {@code tail -F}: it notices when the file at the path is replaced
 * (rotation: the path now names another file, by {@link BasicFileAttributes#fileKey()}) and when
 * the open file shrinks (truncation), so that the reader can finish the old file and start over.
 */
final class FollowedFile implements AutoCloseable {

    /** What happened to the file since it was opened. */
    enum Change {
        /** Nothing, or only growth. */
        NONE,
        /** It is shorter than what was read: read it again from the start. */
        TRUNCATED,
        /** The path names a new file; the old one is finished. */
        REPLACED
    }

    private final Path path;
    private FileChannel channel;
    private Object fileKey;

    FollowedFile(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.fileKey = keyOf(path);
    }

    FileChannel channel() {
        return channel;
    }

    /** Looks at the file after reading reached its end. */
    Change check() throws IOException {
        if (channel.size() < channel.position()) {
            return Change.TRUNCATED;
        }
        Object key;
        try {
            key = keyOf(path);
        } catch (NoSuchFileException e) {
            return Change.NONE; // rotated away, the new file not created yet
        }
        return key != null && !Objects.equals(key, fileKey) ? Change.REPLACED : Change.NONE;
    }

    /** Starts reading the current file at the path from its beginning; false when it vanished again. */
    boolean reopen() throws IOException {
        FileChannel next;
        try {
            next = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        channel.close();
        channel = next;
        fileKey = keyOf(path);
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static Object keyOf(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }
}
