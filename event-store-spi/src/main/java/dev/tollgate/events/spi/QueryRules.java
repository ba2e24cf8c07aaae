package dev.tollgate.events.spi;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The argument checks and the window arithmetic every {@link dev.tollgate.events.EventStore} applies,
 * in one place so that every store answers a bad argument with the same message. Each check throws
 * {@link IllegalArgumentException}; a store turns it into a failed future.
 */
public final class QueryRules {

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private QueryRules() {}

    /** {@code now} as the store sees it: the clock's instant truncated to the millisecond. */
    public static Instant now(Clock clock) {
        return Timestamps.truncate(clock.instant());
    }

    /** The first millisecond of the window of {@code days}, in epoch milliseconds: {@code now − days × 24 h}. */
    public static long windowStart(Instant now, int days) {
        checkDays(days);
        return now.toEpochMilli() - days * DAY_MILLIS;
    }

    /** Rejects a window shorter than one day. */
    public static void checkDays(int days) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, got " + days);
        }
    }

    /** Rejects a row limit below one. */
    public static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    /** Rejects a negative number of recent events. */
    public static void checkRecent(int recent) {
        if (recent < 0) {
            throw new IllegalArgumentException("recent must be 0 or more, got " + recent);
        }
    }

    /** Rejects a bucket count outside 1..{@link TimeSeries#MAX_BUCKETS}. */
    public static void checkBuckets(int buckets) {
        if (buckets < 1 || buckets > TimeSeries.MAX_BUCKETS) {
            throw new IllegalArgumentException(
                    "buckets must be between 1 and " + TimeSeries.MAX_BUCKETS + ", got " + buckets);
        }
    }

    /** Rejects a batch size below one. */
    public static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }

    /** Rejects a missing argument, naming it. */
    public static <T> T checkPresent(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be given");
        }
        return value;
    }

    /** Rejects a missing list of events or one that holds a missing event. */
    public static List<RateLimitEvent> checkEvents(List<RateLimitEvent> events) {
        checkPresent(events, "events");
        for (RateLimitEvent event : events) {
            if (event == null) {
                throw new IllegalArgumentException("events must not contain null");
            }
        }
        return events;
    }

    /** Rejects a missing or empty kind of alert mark, or one longer than {@value EventStore#MAX_ALERT_KIND} characters. */
    public static String checkKind(String kind) {
        checkPresent(kind, "kind");
        if (kind.isEmpty() || kind.length() > EventStore.MAX_ALERT_KIND) {
            throw new IllegalArgumentException(
                    "kind must be 1 to " + EventStore.MAX_ALERT_KIND + " characters, got '" + kind + "'");
        }
        return kind;
    }

    /** Rejects a missing or empty batch id, or one longer than {@value EventStore#MAX_BATCH_ID} characters. */
    public static String checkBatchId(String batchId) {
        checkPresent(batchId, "batchId");
        if (batchId.isEmpty() || batchId.length() > EventStore.MAX_BATCH_ID) {
            throw new IllegalArgumentException("batchId must be 1 to " + EventStore.MAX_BATCH_ID + " characters, got "
                    + batchId.length() + " characters");
        }
        return batchId;
    }

    /**
     * Rejects a missing collection of keys or one that holds a missing key; answers the keys as stores keep
     * them ({@link RateLimitEvent#truncateKey truncated}), each once, in their first order.
     */
    public static Set<String> checkKeys(Collection<String> keys) {
        checkPresent(keys, "keys");
        Set<String> kept = new LinkedHashSet<>();
        for (String key : keys) {
            if (key == null) {
                throw new IllegalArgumentException("keys must not contain null");
            }
            kept.add(RateLimitEvent.truncateKey(key));
        }
        return kept;
    }
}
