package dev.tollgate.events.spi;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.Timestamps;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
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

    /**
     * The first millisecond of the window of {@code range}, in epoch milliseconds: {@code now − length}.
     *
     * @throws IllegalArgumentException when {@code range} is null
     */
    public static long windowStart(Instant now, TimeRange range) {
        return now.toEpochMilli() - checkRange(range).length().toMillis();
    }

    /** Rejects a missing range; a {@link TimeRange} checks the rest itself. */
    public static TimeRange checkRange(TimeRange range) {
        return checkPresent(range, "range");
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

    /**
     * Rejects a missing or blank rule name, one longer than {@value EventStore#MAX_RULE_NAME} characters or one
     * holding a control character.
     */
    public static String checkRuleName(String name) {
        return checkLabel(name, "name", EventStore.MAX_RULE_NAME);
    }

    /**
     * Rejects a missing or blank {@code who}, one longer than {@value EventStore#MAX_WHO} characters or holding a
     * control character.
     */
    public static String checkWho(String who) {
        return checkLabel(who, "who", EventStore.MAX_WHO);
    }

    /**
     * Rejects a missing or blank {@code action}, one longer than {@value EventStore#MAX_ACTION} characters or holding a
     * control character.
     */
    public static String checkAction(String action) {
        return checkLabel(action, "action", EventStore.MAX_ACTION);
    }

    private static String checkLabel(String value, String name, int maxLength) {
        checkPresent(value, name);
        if (value.isBlank() || value.length() > maxLength) {
            throw new IllegalArgumentException(name + " must be 1 to " + maxLength + " characters and not blank, got "
                    + value.length() + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(name + " must not contain control characters");
        }
        return value;
    }

    /**
     * Rejects a missing rule configuration, one that is no JSON (it holds a value JSON cannot encode) or one whose
     * encoding is longer than {@value EventStore#MAX_RULE_CONFIG_BYTES} bytes of UTF-8; answers the encoding, which
     * is what a store keeps: the caller may change its object at once.
     */
    public static String checkRuleConfig(JsonObject config) {
        checkPresent(config, "config");
        String encoded;
        try {
            encoded = config.encode();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config must be JSON: " + e.getMessage(), e);
        }
        int bytes = encoded.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > EventStore.MAX_RULE_CONFIG_BYTES) {
            throw new IllegalArgumentException("config must encode to at most " + EventStore.MAX_RULE_CONFIG_BYTES
                    + " bytes of UTF-8, got " + bytes);
        }
        return encoded;
    }

    /**
     * Rejects an expected version below 0 when {@code creationAllowed} (a save: 0 creates), else below 1 (a
     * deletion).
     */
    public static long checkExpectedVersion(long expectedVersion, boolean creationAllowed) {
        long least = creationAllowed ? 0 : 1;
        if (expectedVersion < least) {
            throw new IllegalArgumentException(
                    "expectedVersion must be at least " + least + ", got " + expectedVersion);
        }
        return expectedVersion;
    }

    /** Rejects a number of rule changes outside 1..{@value EventStore#MAX_RULE_CHANGES}. */
    public static void checkRuleChangesLimit(int limit) {
        if (limit < 1 || limit > EventStore.MAX_RULE_CHANGES) {
            throw new IllegalArgumentException(
                    "limit must be between 1 and " + EventStore.MAX_RULE_CHANGES + ", got " + limit);
        }
    }

    /** The error of a creation beyond {@value EventStore#MAX_STORED_RULES} rules, the same from every store. */
    public static EventStoreException tooManyRules(String name) {
        return new EventStoreException("cannot create rule '" + name + "': the store keeps at most "
                + EventStore.MAX_STORED_RULES + " dashboard rules; delete one first");
    }
}
