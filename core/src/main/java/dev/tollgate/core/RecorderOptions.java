package dev.tollgate.core;

import java.time.Duration;

/**
 * How the event recorder buffers and writes.
 *
 * @param bufferSize      events held while the store is slow or down; past it new events are dropped and counted
 * @param batchSize       events per append
 * @param flushInterval   the longest an event waits for its batch to fill
 * @param maxBackoff      the longest pause between retries while the store is down
 * @param shutdownTimeout how long stopping waits for the buffer to drain
 */
public record RecorderOptions(int bufferSize, int batchSize, Duration flushInterval, Duration maxBackoff,
                              Duration shutdownTimeout) {

    private static final RecorderOptions DEFAULTS = new RecorderOptions(100_000, 1_000, Duration.ofMillis(500),
            Duration.ofSeconds(5), Duration.ofSeconds(10));

    public RecorderOptions {
        if (bufferSize < 1) {
            throw new ConfigException("events.bufferSize", "must be at least 1, got " + bufferSize);
        }
        if (batchSize < 1) {
            throw new ConfigException("events.batchSize", "must be at least 1, got " + batchSize);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new ConfigException("events.flushInterval", "must be positive");
        }
    }

    /** A buffer of 100,000, batches of 1,000, flushed at least every 500 ms, back-off up to 5 s, 10 s to drain. */
    public static RecorderOptions defaults() {
        return DEFAULTS;
    }

    public RecorderOptions withBufferSize(int bufferSize) {
        return new RecorderOptions(bufferSize, batchSize, flushInterval, maxBackoff, shutdownTimeout);
    }

    public RecorderOptions withBatchSize(int batchSize) {
        return new RecorderOptions(bufferSize, batchSize, flushInterval, maxBackoff, shutdownTimeout);
    }

    public RecorderOptions withFlushInterval(Duration flushInterval) {
        return new RecorderOptions(bufferSize, batchSize, flushInterval, maxBackoff, shutdownTimeout);
    }

    public RecorderOptions withMaxBackoff(Duration maxBackoff) {
        return new RecorderOptions(bufferSize, batchSize, flushInterval, maxBackoff, shutdownTimeout);
    }
}
