package dev.tollgate.store.memory;

import dev.tollgate.events.EventStoreException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bounds of a memory event store, read from the {@code events.memory} section of the configuration with
 * {@link #fromJson} or built by code. Whichever bound an append would pass, the store drops its oldest events
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
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*(|b|k|kb|m|mb|g|gb)");

    /**
     * Checks every bound.
     *
     * @throws EventStoreException naming the setting and what would be valid
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
     * Reads {@code maxEvents} and {@code maxBatchIds} (whole numbers, or text holding one) and {@code maxBytes} (a
     * whole number of bytes, or text such as {@code 268435456}, {@code 512kb}, {@code 256mb}, {@code 2gb}: units of
     * 1024 as in {@code -Xmx}, {@code k}, {@code m}, {@code g} too, in any case); an absent key takes its default.
     * Any other key is refused as a likely typo.
     *
     * @throws EventStoreException naming the key that is wrong and what would be valid
     */
    public static MemoryStoreOptions fromJson(JsonObject config) {
        JsonObject json = config == null ? new JsonObject() : config;
        Set<String> unknown = new TreeSet<>(json.fieldNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new EventStoreException("the memory event store has no setting " + String.join(", ", unknown)
                    + "; it knows " + String.join(", ", new TreeSet<>(KEYS)));
        }
        MemoryStoreOptions defaults = defaults();
        long maxEvents = json.getValue(MAX_EVENTS) == null
                ? defaults.maxEvents()
                : wholeNumber(json.getValue(MAX_EVENTS), MAX_EVENTS, Long.MAX_VALUE);
        long maxBytes = json.getValue(MAX_BYTES) == null ? defaults.maxBytes() : bytes(json.getValue(MAX_BYTES));
        int maxBatchIds = json.getValue(MAX_BATCH_IDS) == null
                ? defaults.maxBatchIds()
                : (int) wholeNumber(json.getValue(MAX_BATCH_IDS), MAX_BATCH_IDS, Integer.MAX_VALUE);
        return new MemoryStoreOptions(maxEvents, maxBytes, maxBatchIds);
    }

    private static long wholeNumber(Object value, String key, long max) {
        long number = 0;
        if (value instanceof Integer || value instanceof Long) {
            number = ((Number) value).longValue();
        } else if (value instanceof String text && text.trim().matches("[0-9]{1,18}")) {
            number = Long.parseLong(text.trim());
        }
        if (number < 1 || number > max) {
            throw invalid(
                    key,
                    max == Long.MAX_VALUE ? "a whole number of at least 1" : "a whole number from 1 to " + max,
                    value);
        }
        return number;
    }

    /** {@code value} as a number of bytes of at least {@value #MIN_MAX_BYTES}, refused in the words it was given. */
    private static long bytes(Object value) {
        long bytes = parseBytes(value);
        if (bytes < MIN_MAX_BYTES) {
            throw invalidMaxBytes(value);
        }
        return bytes;
    }

    private static long parseBytes(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text) {
            Matcher size = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (size.matches()) {
                int shift = switch (size.group(2)) {
                    case "k", "kb" -> 10;
                    case "m", "mb" -> 20;
                    case "g", "gb" -> 30;
                    default -> 0;
                };
                try {
                    long number = Long.parseLong(size.group(1));
                    if (number <= Long.MAX_VALUE >> shift) {
                        return number << shift;
                    }
                } catch (NumberFormatException tooLong) {
                    // answered below
                }
            }
        }
        throw invalidMaxBytes(value);
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
