package dev.tollgate.store.memory;

import dev.tollgate.events.EventStoreException;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import java.util.Set;

/**
 * The bounds of a memory event store, read from its section of the configuration ({@code events.memory}) with
 * {@link #from} or built by code. Whichever bound an append would pass, the store drops its oldest events
 * until it is within both again.
 *
 * @param maxEvents   the most events the store holds, at least 1
 * @param maxBytes    the most heap, in bytes, that the store's estimate ({@link MemoryEventStore#heapBytes()}) may
 *                    reach after an append, at least {@value #MIN_MAX_BYTES} (1 MiB)
 * @param maxBatchIds the most batch ids ({@link MemoryEventStore#appendBatch}) the store remembers, at least 1
 */
public record MemoryStoreOptions(long maxEvents, long maxBytes, int maxBatchIds) {

    /** The bound on the number of events when none is configured. */
    public static final long DEFAULT_MAX_EVENTS = 5_000_000L;
    /** The bound on remembered batch ids when none is configured. */
    public static final int DEFAULT_MAX_BATCH_IDS = 10_000;
    /** The smallest {@link #maxBytes()}: below it, a number meant as megabytes would drop nearly every event. */
    public static final long MIN_MAX_BYTES = 1L << 20;

    /** The configuration key of {@link #maxEvents()}. */
    public static final String MAX_EVENTS = "maxEvents";
    /** The configuration key of {@link #maxBytes()}. */
    public static final String MAX_BYTES = "maxBytes";
    /** The configuration key of {@link #maxBatchIds()}. */
    public static final String MAX_BATCH_IDS = "maxBatchIds";

    private static final Set<String> KEYS = Set.of(MAX_EVENTS, MAX_BYTES, MAX_BATCH_IDS);

    /**
     * Checks every bound of options built by code.
     *
     * @throws EventStoreException naming the bound and what would be valid
     */
    public MemoryStoreOptions {
        if (maxEvents < 1) {
            throw invalid(MAX_EVENTS, "a whole number of at least 1", maxEvents);
        }
        if (maxBytes < MIN_MAX_BYTES) {
            throw invalidMaxBytes(maxBytes);
        }
        if (maxBatchIds < 1) {
            throw invalid(MAX_BATCH_IDS, "a whole number of at least 1", maxBatchIds);
        }
    }

    /**
     * The defaults: {@value #DEFAULT_MAX_EVENTS} events, a quarter of the JVM's maximum heap
     * ({@link #defaultMaxBytes()}), {@value #DEFAULT_MAX_BATCH_IDS} batch ids.
     */
    public static MemoryStoreOptions defaults() {
        return new MemoryStoreOptions(DEFAULT_MAX_EVENTS, defaultMaxBytes(), DEFAULT_MAX_BATCH_IDS);
    }

    /** A quarter of the heap this JVM may grow to ({@code -Xmx}), and at least {@value #MIN_MAX_BYTES}. */
    public static long defaultMaxBytes() {
        return Math.max(MIN_MAX_BYTES, Runtime.getRuntime().maxMemory() / 4);
    }

    /** These options with another {@link #maxEvents()}. */
    public MemoryStoreOptions withMaxEvents(long maxEvents) {
        return new MemoryStoreOptions(maxEvents, maxBytes, maxBatchIds);
    }

    /** These options with another {@link #maxBytes()}. */
    public MemoryStoreOptions withMaxBytes(long maxBytes) {
        return new MemoryStoreOptions(maxEvents, maxBytes, maxBatchIds);
    }

    /** These options with another {@link #maxBatchIds()}. */
    public MemoryStoreOptions withMaxBatchIds(int maxBatchIds) {
        return new MemoryStoreOptions(maxEvents, maxBytes, maxBatchIds);
    }

    /**
     * Reads the store's section of the configuration: {@code maxEvents} and {@code maxBatchIds}, whole numbers
     * ({@code maxBatchIds} at most 2147483647), and {@code maxBytes}, a number of bytes or a size such as
     * {@code 512kb}, {@code 256mb}, {@code 2gb} (units of 1024 as in {@code -Xmx}, {@code k}, {@code m},
     * {@code g} too, in any case) or a share of the heap such as {@code 25%}; an absent key takes its default.
     * Any other key is refused as a likely typo.
     *
     * @throws SettingsException naming the full key that is wrong and what would be valid
     */
    public static MemoryStoreOptions from(Settings settings) {
        settings.requireOnly("memory event store", KEYS);
        long maxEvents = settings.whole(MAX_EVENTS, DEFAULT_MAX_EVENTS, 1, Long.MAX_VALUE);
        long maxBytes = settings.size(MAX_BYTES, defaultMaxBytes());
        if (maxBytes < MIN_MAX_BYTES) {
            throw settings.problem(
                    MAX_BYTES, "expected at least 1mb, such as 256mb, got '" + settings.value(MAX_BYTES) + "'");
        }
        int maxBatchIds = Math.toIntExact(settings.whole(MAX_BATCH_IDS, DEFAULT_MAX_BATCH_IDS, 1, Integer.MAX_VALUE));
        return new MemoryStoreOptions(maxEvents, maxBytes, maxBatchIds);
    }

    private static EventStoreException invalidMaxBytes(Object value) {
        return invalid(
                MAX_BYTES,
                "a whole number of bytes such as 268435456, or a size such as 256mb or 2gb, of at" + " least 1mb",
                value);
    }

    private static EventStoreException invalid(String key, String valid, Object value) {
        return new EventStoreException(
                "the memory event store's " + key + " must be " + valid + ", got '" + value + "'");
    }
}
