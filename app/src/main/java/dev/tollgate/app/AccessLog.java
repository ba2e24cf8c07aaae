package dev.tollgate.app;

import dev.tollgate.plugin.SettingsException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The gateway's access log: {@link #log} hands a request to a writer thread through a bounded queue and never waits;
 * when the queue is full the line is dropped and counted. The writer formats the lines, writes them to a file or
 * stdout, and rotates the file by size: {@code access.log} becomes {@code access.log.1}, the older ones move up one,
 * and the oldest past {@code keep} is deleted. A CSV file starts with its header.
 */
final class AccessLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
    /** Tells the writer to finish: everything queued before it is written. */
    private static final AccessLogEntry END =
            new AccessLogEntry("", java.time.Instant.EPOCH, "", "", "", 0, 0, "", "", "", "", 0);

    private final AccessLogOptions options;
    private final BlockingQueue<AccessLogEntry> queue;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final QuietLog errors = new QuietLog(LOG, Duration.ofSeconds(10));
    private final Thread writer;
    private final Path file;
    private OutputStream out;
    private long size;

    private AccessLog(AccessLogOptions options) throws IOException {
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueSize() + 1);
        this.file = options.toStdout() ? null : Path.of(options.path());
        if (file == null) {
            out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
            writeHeader();
        } else {
            openFile();
        }
        writer = new Thread(this::run, "tollgate-access-log");
        writer.setDaemon(true);
    }

    /**
     * Opens the log (appending to a file that exists) and starts its writer; blocks, so not on an event loop.
     *
     * @throws SettingsException naming {@code accessLog.path} when the file cannot be written
     */
    static AccessLog open(AccessLogOptions options) {
        AccessLog log;
        try {
            log = new AccessLog(options);
        } catch (IOException e) {
            throw new SettingsException("accessLog.path", "cannot write " + options.path() + ": " + reason(e));
        }
        log.writer.start();
        return log;
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException exists) {
            return exists.getFile() + " is a file, not a folder";
        }
        return e.toString();
    }

    /** Queues {@code entry} for the writer; drops and counts it when the queue is full. Never blocks. */
    void log(AccessLogEntry entry) {
        if (closed.get() || !queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines written so far. */
    long written() {
        return written.get();
    }

    /** Lines dropped so far, because the queue was full or the file could not be written. */
    long dropped() {
        return dropped.get();
    }

    /** Writes what is queued, then closes the file; blocks until then, so not on an event loop. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            queue.put(END);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // END is told apart by identity: an entry equal to it is a request
    @SuppressWarnings("ReferenceEquality")
    private void run() {
        try {
            while (true) {
                AccessLogEntry entry = queue.take();
                while (entry != null) {
                    if (entry == END) {
                        finish();
                        return;
                    }
                    write(entry);
                    entry = queue.poll();
                }
                flush();
            }
        } catch (InterruptedException e) {
            finish();
        }
    }

    private void write(AccessLogEntry entry) {
        byte[] line = (options.format().line(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                if (file == null) {
                    dropped.incrementAndGet();
                    return;
                }
                openFile();
            } else if (file != null && size > 0 && size + line.length > options.maxBytes()) {
                rotate();
            }
            out.write(line);
            size += line.length;
            written.incrementAndGet();
        } catch (IOException e) {
            dropped.incrementAndGet();
            errors.log("the access log cannot be written, lines are dropped: " + e);
            closeQuietly();
        }
    }

    private void flush() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            errors.log("the access log cannot be written, lines are dropped: " + e);
            closeQuietly();
        }
    }

    private void finish() {
        flush();
        if (file != null) {
            closeQuietly();
        }
    }

    private void openFile() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(file);
        if (size == 0) {
            writeHeader();
        }
    }

    private void writeHeader() throws IOException {
        var header = options.format().header();
        if (header.isPresent()) {
            byte[] line = (header.get() + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(line);
            size += line.length;
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        int keep = options.keep();
        if (keep == 0) {
            Files.delete(file);
        } else {
            Files.deleteIfExists(numbered(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        openFile();
    }

    /** {@code access.log.3} for {@code access.log} and 3. */
    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void closeQuietly() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            errors.log("the access log could not be closed: " + e);
        }
        out = null;
    }
}
