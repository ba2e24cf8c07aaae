package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.zip.CRC32;

/**
 * Events the store cannot take, kept on disk until it can: append-only files in one folder, each a
 * sequence of batches, every batch with a unique id, so that replaying a batch the store already took
 * (a crash between the store's answer and the spool's bookkeeping) stores nothing twice.
 *
 * <p>A file is {@code events-<millis>-<uuid>.spool}: the 8 bytes {@code TGSPOOL1}, then records of
 * {@code [payload length: int][events: int][CRC-32 of the payload: int][payload]}, the payload being
 * the UTF-8 JSON {@code {"id": …, "events": [ … ]}}. Every write is one {@code force} (fsync). The file
 * being written is locked, so that no other Tollgate on the same folder replays it; a file nobody
 * holds is replayed by whoever finds it first, record by record, and deleted at its end. A record
 * cut short by a crash ends its file: what came before it is replayed, the rest is counted as lost.
 *
 * <p>Blocking: every method does file I/O. Not thread-safe: one caller at a time (the recorder calls it
 * from one ordered worker).
 */
final class EventSpool {

    private static final Logger LOG = Logger.getLogger(EventSpool.class.getName());
    private static final byte[] MAGIC = "TGSPOOL1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 12;
    /** A file is closed and a new one begun past this size, so that a replay can delete what it finished. */
    private static final long MAX_FILE_BYTES = 64L << 20;
    /** No record is larger: a longer length in a header is damage, not data. */
    private static final int MAX_RECORD_BYTES = 256 << 20;

    /** One batch read back from the spool. */
    record Batch(String id, List<RateLimitEvent> events) {}

    private final Path dir;
    private final long maxBytes;
    private FileChannel writing;
    private FileLock writingLock;
    private Path writingFile;
    private long writtenEvents;
    private Reader reading;
    private long bytes = -1;
    private long pendingEvents;
    private long lostInReplay;

    EventSpool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    Path dir() {
        return dir;
    }

    /**
     * Appends {@code events} as one batch and forces it to disk.
     *
     * @throws IOException when the folder or the file cannot be written, or the spool is full; nothing of
     *                     the batch is then kept
     */
    void write(List<RateLimitEvent> events) throws IOException {
        scanOnce();
        JsonArray array = new JsonArray(new ArrayList<>(events.size()));
        for (RateLimitEvent event : events) {
            array.add(event.toJson());
        }
        byte[] payload = new JsonObject()
                .put("id", UUID.randomUUID().toString())
                .put("events", array)
                .encode()
                .getBytes(StandardCharsets.UTF_8);
        long size = (long) HEADER + payload.length + (writing == null ? MAGIC.length : 0);
        if (bytes + size > maxBytes) {
            throw new IOException(
                    "the spool holds " + bytes + " bytes, its limit (events.spoolMaxBytes) is " + maxBytes);
        }
        if (writing == null || writing.size() >= MAX_FILE_BYTES) {
            openNext();
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length);
        record.putInt(payload.length)
                .putInt(events.size())
                .putInt((int) crc.getValue())
                .put(payload)
                .flip();
        long start = writing.size();
        try {
            while (record.hasRemaining()) {
                writing.write(record, start + record.position());
            }
            writing.force(false);
        } catch (IOException e) {
            // leave no half record behind for a replay to stumble on
            writing.truncate(start);
            throw e;
        }
        bytes += record.limit();
        writtenEvents += events.size();
        pendingEvents += events.size();
    }

    /**
     * The next batch to replay, without taking it: {@link #acknowledge} takes it once the store has it. Empty
     * when nothing is waiting. The file being written is closed first, so that its batches replay too.
     */
    Optional<Batch> next() throws IOException {
        scanOnce();
        while (true) {
            if (reading == null) {
                if (writing != null && writtenEvents > 0) {
                    closeWriting();
                }
                reading = openOldest();
                if (reading == null) {
                    // whatever else is counted belongs to a file another Tollgate is writing
                    pendingEvents = 0;
                    return Optional.empty();
                }
            }
            Optional<Batch> batch = reading.peek();
            if (batch.isPresent()) {
                return batch;
            }
            finishReading();
        }
    }

    /** The batch {@link #next} gave is in the store: the spool forgets it, and deletes a file it has finished. */
    void acknowledge() throws IOException {
        if (reading == null) {
            return;
        }
        int events = reading.advance();
        pendingEvents = Math.max(0, pendingEvents - events);
        if (reading.peek().isEmpty()) {
            finishReading();
        }
    }

    /** Events written or found on disk and not yet replayed (a file found on disk counts once scanned). */
    long pendingEvents() {
        return pendingEvents;
    }

    /** Events in damaged records met while replaying, since the last call. */
    long takeLost() {
        long lost = lostInReplay;
        lostInReplay = 0;
        return lost;
    }

    /** Whether anything waits to be replayed, by what this spool knows of its folder. */
    boolean hasPending() throws IOException {
        scanOnce();
        return pendingEvents > 0 || reading != null;
    }

    /** Closes the files and releases their locks; what is unreplayed stays for the next start. */
    void close() throws IOException {
        if (reading != null) {
            reading.close();
            reading = null;
        }
        closeWriting();
    }

    /** Counts what the folder holds, once, so that the bound and the pending count include an earlier run's files. */
    private void scanOnce() throws IOException {
        if (bytes >= 0) {
            return;
        }
        bytes = 0;
        for (Path file : files()) {
            try {
                bytes += Files.size(file);
                pendingEvents += countEvents(file);
            } catch (NoSuchFileException e) {
                // replayed and deleted meanwhile by another Tollgate on the same folder
            }
        }
    }

    private void openNext() throws IOException {
        closeWriting();
        Files.createDirectories(dir);
        writingFile = dir.resolve("events-" + System.currentTimeMillis() + "-" + UUID.randomUUID() + ".spool");
        writing = FileChannel.open(
                writingFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        writingLock = writing.lock();
        writing.write(ByteBuffer.wrap(MAGIC), 0);
        bytes += MAGIC.length;
        writtenEvents = 0;
    }

    private void closeWriting() throws IOException {
        if (writing == null) {
            return;
        }
        writing.force(true);
        writingLock.release();
        writing.close();
        writing = null;
        writingLock = null;
        if (writtenEvents == 0) {
            Files.deleteIfExists(writingFile);
            bytes -= MAGIC.length;
        }
    }

    private void finishReading() throws IOException {
        Path file = reading.file;
        long size = reading.channel.size();
        lostInReplay += reading.lost;
        reading.close();
        reading = null;
        Files.deleteIfExists(file);
        bytes = Math.max(0, bytes - size);
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "events-*.spool")) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** The oldest file no one else holds, locked; null when there is none. */
    private Reader openOldest() throws IOException {
        for (Path file : files()) {
            if (file.equals(writingFile) && writing != null) {
                continue;
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                continue;
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                continue;
            }
            if (!Files.exists(file)) {
                // replayed and deleted between the listing and the lock
                lock.release();
                channel.close();
                continue;
            }
            return new Reader(file, channel, lock);
        }
        return null;
    }

    private static long countEvents(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long events = 0;
            long position = MAGIC.length;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (position + HEADER <= channel.size()) {
                header.clear();
                channel.read(header, position);
                int length = header.getInt(0);
                if (length < 0 || length > MAX_RECORD_BYTES || position + HEADER + length > channel.size()) {
                    break;
                }
                events += header.getInt(4);
                position += HEADER + length;
            }
            return events;
        }
    }

    /** Reads one file's records in order. */
    private static final class Reader {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;
        private long position = MAGIC.length;
        private Batch current;
        private int currentLength;
        private long lost;
        private boolean ended;

        Reader(Path file, FileChannel channel, FileLock lock) throws IOException {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            channel.read(magic, 0);
            if (channel.size() < MAGIC.length || !java.util.Arrays.equals(magic.array(), MAGIC)) {
                LOG.warning("the spool file " + file + " is not a Tollgate spool file; it is skipped and removed");
                ended = true;
            }
        }

        Optional<Batch> peek() throws IOException {
            if (current != null) {
                return Optional.of(current);
            }
            if (ended || position >= channel.size()) {
                return Optional.empty();
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            readFully(header, position);
            int length = header.getInt(0);
            int events = header.getInt(4);
            int crc = header.getInt(8);
            if (header.hasRemaining()
                    || length < 0
                    || length > MAX_RECORD_BYTES
                    || position + HEADER + length > channel.size()) {
                return damaged(Math.max(0, events), "a record cut short");
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(payload, position + HEADER);
            CRC32 check = new CRC32();
            check.update(payload.array());
            if ((int) check.getValue() != crc) {
                return damaged(Math.max(0, events), "a record whose checksum does not match");
            }
            try {
                JsonObject json = new JsonObject(new String(payload.array(), StandardCharsets.UTF_8));
                List<RateLimitEvent> read = new ArrayList<>(events);
                for (Object event : json.getJsonArray("events")) {
                    read.add(RateLimitEvent.fromJson((JsonObject) event));
                }
                current = new Batch(json.getString("id"), read);
                currentLength = length;
                return Optional.of(current);
            } catch (RuntimeException e) {
                return damaged(Math.max(0, events), "a record that does not read back (" + e.getMessage() + ")");
            }
        }

        int advance() {
            int events = current == null ? 0 : current.events().size();
            if (current != null) {
                position += HEADER + currentLength;
                current = null;
            }
            return events;
        }

        private Optional<Batch> damaged(int events, String what) throws IOException {
            LOG.warning(
                    "the spool file " + file + " ends in " + what + " at byte " + position + " (written as a process"
                            + " stopped); its " + (channel.size() - position) + " remaining byte(s) are skipped");
            lost += events;
            ended = true;
            return Optional.empty();
        }

        private void readFully(ByteBuffer buffer, long at) throws IOException {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    return;
                }
            }
        }

        void close() throws IOException {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        }
    }
}
