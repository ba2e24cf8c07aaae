package dev.tollgate.core;

import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the event recorder buffers and writes.
 *
 * @param bufferSize      events held while the store is slow or down; past it (or past {@code bufferBytes}) new
 *                        events go to the spool, or are dropped and counted when there is none
 * @param bufferBytes     the most bytes (estimated) the buffer holds
 * @param batchSize       events per append
 * @param flushInterval   the longest an event waits for its batch to fill
 * @param maxBackoff      the longest pause between retries while the store is down
 * @param shutdownTimeout how long stopping waits for the store to take the buffer before spooling the rest
 * @param spoolDir        where events wait that the store cannot take; none: they are dropped and counted
 * @param spoolMaxBytes   the most bytes the spool's files hold; past it events are dropped and counted
 */
public record RecorderOptions(
        int bufferSize,
        long bufferBytes,
        int batchSize,
        Duration flushInterval,
        Duration maxBackoff,
        Duration shutdownTimeout,
        Optional<Path> spoolDir,
        long spoolMaxBytes) {

    /** 1 GiB of spool files. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = 1L << 30;

    private static final RecorderOptions DEFAULTS = new RecorderOptions(
            100_000,
            Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 10),
            1_000,
            Duration.ofMillis(500),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Optional.empty(),
            DEFAULT_SPOOL_MAX_BYTES);

    public RecorderOptions {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, got " + bufferSize);
        }
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("bufferBytes must be at least 1, got " + bufferBytes);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive, got " + flushInterval);
        }
        Objects.requireNonNull(spoolDir, "spoolDir");
        if (spoolMaxBytes < 1) {
            throw new IllegalArgumentException("spoolMaxBytes must be at least 1, got " + spoolMaxBytes);
        }
    }

    /**
     * The defaults with what the events section of a configuration says: {@code bufferSize},
     * {@code bufferBytes}, {@code batchSize}, {@code flushInterval} and {@code spoolMaxBytes}; other keys of the
     * section (the spool's folder, which the application resolves) are left to their readers.
     *
     * @throws SettingsException naming the full key of a value that cannot be used
     */
    public static RecorderOptions from(Settings events) {
        return new RecorderOptions(
                (int) events.whole("bufferSize", DEFAULTS.bufferSize, 1, Integer.MAX_VALUE),
                events.size("bufferBytes", DEFAULTS.bufferBytes),
                (int) events.whole("batchSize", DEFAULTS.batchSize, 1, Integer.MAX_VALUE),
                events.duration("flushInterval", DEFAULTS.flushInterval),
                DEFAULTS.maxBackoff,
                DEFAULTS.shutdownTimeout,
                DEFAULTS.spoolDir,
                events.size("spoolMaxBytes", DEFAULTS.spoolMaxBytes));
    }

    /**
     * A buffer of 100,000 events and a tenth of the heap, batches of 1,000, flushed at least every 500 ms,
     * back-off up to 5 s, 10 s to drain, no spool.
     */
    public static RecorderOptions defaults() {
        return DEFAULTS;
    }

    public RecorderOptions withBufferSize(int bufferSize) {
        return new RecorderOptions(
                bufferSize,
                bufferBytes,
                batchSize,
                flushInterval,
                maxBackoff,
                shutdownTimeout,
                spoolDir,
                spoolMaxBytes);
    }

    public RecorderOptions withBufferBytes(long bufferBytes) {
        return new RecorderOptions(
                bufferSize,
                bufferBytes,
                batchSize,
                flushInterval,
                maxBackoff,
                shutdownTimeout,
                spoolDir,
                spoolMaxBytes);
    }

    public RecorderOptions withBatchSize(int batchSize) {
        return new RecorderOptions(
                bufferSize,
                bufferBytes,
                batchSize,
                flushInterval,
                maxBackoff,
                shutdownTimeout,
                spoolDir,
                spoolMaxBytes);
    }

    public RecorderOptions withFlushInterval(Duration flushInterval) {
        return new RecorderOptions(
                bufferSize,
                bufferBytes,
                batchSize,
                flushInterval,
                maxBackoff,
                shutdownTimeout,
                spoolDir,
                spoolMaxBytes);
    }

    public RecorderOptions withMaxBackoff(Duration maxBackoff) {
        return new RecorderOptions(
                bufferSize,
                bufferBytes,
                batchSize,
                flushInterval,
                maxBackoff,
                shutdownTimeout,
                spoolDir,
                spoolMaxBytes);
    }

    public RecorderOptions withShutdownTimeout(Duration shutdownTimeout) {
        return new RecorderOptions(
                bufferSize,
                bufferBytes,
                batchSize,
                flushInterval,
                maxBackoff,
                shutdownTimeout,
                spoolDir,
                spoolMaxBytes);
    }

    /** Spools to {@code dir} what the store cannot take (created when first needed). */
    public RecorderOptions withSpoolDir(Path dir) {
        return new RecorderOptions(
                bufferSize,
                bufferBytes,
                batchSize,
                flushInterval,
                maxBackoff,
                shutdownTimeout,
                Optional.of(dir),
                spoolMaxBytes);
    }

    public RecorderOptions withSpoolMaxBytes(long spoolMaxBytes) {
        return new RecorderOptions(
                bufferSize,
                bufferBytes,
                batchSize,
                flushInterval,
                maxBackoff,
                shutdownTimeout,
                spoolDir,
                spoolMaxBytes);
    }
}
