package dev.tollgate.events.spi;

import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TimeSeries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument checks and the bucket arithmetic of the dashboard's panel queries over a {@link TimeRange}
 * ({@code topBlockedPaths}, {@code topBlockedUserAgents}, {@code upstreamStats}, {@code blockedByRule},
 * {@code offenderTimeline}), in one place so that every store answers alike. Each check throws
 * {@link IllegalArgumentException}; a store turns it into a failed future.
 */
public final class PanelRules {

    /** The most rows (or ranked rules, or user agents) a panel query answers. */
    public static final int MAX_ROWS = 1000;

    private PanelRules() {}

    /** Rejects a missing range. */
    public static TimeRange checkRange(TimeRange range) {
        return QueryRules.checkPresent(range, "range");
    }

    /** Rejects a row limit outside 1..{@value #MAX_ROWS}; {@code name} names the argument. */
    public static int checkRows(int limit, String name) {
        if (limit < 1 || limit > MAX_ROWS) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAX_ROWS + ", got " + limit);
        }
        return limit;
    }

    /**
     * The empty buckets of {@code range} ending at {@code now}: {@link TimeRange#buckets()} buckets of exactly
     * {@link TimeRange#bucket()}, the newest ending at {@code now}, the oldest starting at the window's start. A bucket
     * holds the events with {@code start <= timestamp < end}; the newest also holds those stamped after {@code now}.
     */
    public static List<TimeSeries.Bucket> layout(TimeRange range, Instant now) {
        long start = range.start(now).toEpochMilli();
        long width = range.bucket().toMillis();
        int count = range.buckets();
        List<TimeSeries.Bucket> layout = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            layout.add(new TimeSeries.Bucket(
                    Instant.ofEpochMilli(start + i * width), Instant.ofEpochMilli(start + (i + 1) * width), 0, 0, 0));
        }
        return layout;
    }

    /**
     * The index of the bucket of an event at {@code millis} in the layout of {@code range} from {@code start} (its
     * window's first millisecond): events after the window's end fall in the newest bucket. The event must be in the
     * window ({@code millis >= start}).
     */
    public static int bucketIndex(TimeRange range, long start, long millis) {
        return (int)
                Math.min(range.buckets() - 1L, (millis - start) / range.bucket().toMillis());
    }
}
