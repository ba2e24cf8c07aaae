package dev.tollgate.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Allowed, blocked and shadow-blocked events per time bucket over a window, oldest bucket first: the dashboard's
 * chart. The three counts of a bucket are those of {@link TrafficSummary}: shadow-blocked events are a series of
 * their own, neither allowed nor blocked, so that the buckets add up to the summary.
 *
 * <p>The layout, the same for every store ({@link #layout}): the window {@code [now − days × 24 h, now]}
 * is cut into {@code n} contiguous buckets. The newest {@code n − 1} are exactly {@link #bucketWidth()}
 * wide ({@code days × 24 h / n}, rounded down to the millisecond) and end at {@code now}; the oldest
 * starts at the window's start and takes the remainder, so it can be a few milliseconds wider. A bucket
 * holds the events with {@code start <= timestamp < end}; the newest also holds events stamped after
 * {@code now} (clocks of other nodes running ahead), so the buckets add up to the
 * {@link TrafficSummary} of the same window.
 *
 * <p>A series over a {@link TimeRange} ({@link EventStore#timeSeries(TimeRange)}, {@link #layout(Instant, TimeRange)})
 * is laid out the same way over {@code [now − length, now]} in {@link TimeRange#buckets()} buckets, all exactly
 * {@link TimeRange#bucket()} wide, and holds its range.
 *
 * @param days        the window, in days back from now; for a series over a range, its whole days, 0 when it is
 *                    shorter than a day or not of whole days
 * @param bucketWidth the width of every bucket but the oldest
 * @param buckets     the buckets, oldest first
 * @param range       the range of a series over a range, empty for a series over {@code days}
 */
public record TimeSeries(int days, Duration bucketWidth, List<Bucket> buckets, Optional<TimeRange> range) {

    /** The most buckets a series can be asked for. */
    public static final int MAX_BUCKETS = 10_000;

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    public TimeSeries {
        Objects.requireNonNull(bucketWidth, "bucketWidth");
        Objects.requireNonNull(range, "range");
        buckets = List.copyOf(buckets);
    }

    /** A series over {@code days}. */
    public TimeSeries(int days, Duration bucketWidth, List<Bucket> buckets) {
        this(days, bucketWidth, buckets, Optional.empty());
    }

    /** The series of {@code range} with these buckets, laid out by {@link #layout(Instant, TimeRange)}. */
    public static TimeSeries of(TimeRange range, List<Bucket> buckets) {
        return new TimeSeries(range.wholeDays().orElse(0), range.bucket(), buckets, Optional.of(range));
    }

    /**
     * The empty buckets of a series of {@code buckets} buckets over {@code days} days ending at {@code now},
     * as described on the class. Stores fill in the counts with {@link Bucket#withCounts}.
     *
     * @throws IllegalArgumentException when {@code days < 1} or {@code buckets} is not in 1..{@value #MAX_BUCKETS}
     */
    public static List<Bucket> layout(Instant now, int days, int buckets) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, got " + days);
        }
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("buckets must be between 1 and " + MAX_BUCKETS + ", got " + buckets);
        }
        return layout(now, days * DAY_MILLIS, width(days, buckets), buckets);
    }

    /**
     * The empty buckets of the series of {@code range} ending at {@code now}: {@link TimeRange#buckets()} buckets of
     * {@link TimeRange#bucket()}, the newest ending at {@code now}, laid out as for {@code days}.
     */
    public static List<Bucket> layout(Instant now, TimeRange range) {
        Objects.requireNonNull(range, "range");
        return layout(now, range.length().toMillis(), range.bucket().toMillis(), range.buckets());
    }

    private static List<Bucket> layout(Instant now, long length, long width, int buckets) {
        long end = Timestamps.truncate(now).toEpochMilli();
        List<Bucket> layout = new ArrayList<>(buckets);
        long start = end - length;
        for (int i = 1; i <= buckets; i++) {
            long next = end - (long) (buckets - i) * width;
            layout.add(new Bucket(Instant.ofEpochMilli(start), Instant.ofEpochMilli(next), 0, 0, 0));
            start = next;
        }
        return layout;
    }

    /** The width of all buckets but the oldest in a series of {@code buckets} over {@code days} days. */
    public static Duration bucketWidth(int days, int buckets) {
        return Duration.ofMillis(width(days, buckets));
    }

    private static long width(int days, int buckets) {
        return days * DAY_MILLIS / buckets;
    }

    /** The sum of the buckets: equal to the {@link TrafficSummary} of the same window. */
    public TrafficSummary summary() {
        long allowed = 0;
        long blocked = 0;
        long shadowBlocked = 0;
        for (Bucket bucket : buckets) {
            allowed += bucket.allowed();
            blocked += bucket.blocked();
            shadowBlocked += bucket.shadowBlocked();
        }
        TrafficSummary summary = TrafficSummary.of(days, allowed, blocked, shadowBlocked);
        return range.map(summary::in).orElse(summary);
    }

    /**
     * {@code {days, bucket_width_ms, buckets: [{start, end, allowed, blocked, shadow_blocked}]}}; over a range
     * {@code {range, range_ms, bucket_width_ms, buckets}}, as {@link TrafficSummary#toJson()} has it.
     */
    public JsonObject toJson() {
        JsonArray rows = new JsonArray();
        buckets.forEach(bucket -> rows.add(bucket.toJson()));
        return TrafficSummary.window(new JsonObject(), days, range)
                .put("bucket_width_ms", bucketWidth.toMillis())
                .put("buckets", rows);
    }

    /**
     * One bucket: the events with {@code start <= timestamp < end}.
     *
     * @param start         the first millisecond of the bucket
     * @param end           the first millisecond after it
     * @param allowed       events in it served with no rule objecting
     * @param blocked       refused events in it
     * @param shadowBlocked events in it served although a shadow rule would have refused them
     */
    public record Bucket(Instant start, Instant end, long allowed, long blocked, long shadowBlocked) {

        public Bucket {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("a bucket must start before it ends: " + start + " .. " + end);
            }
            if (allowed < 0 || blocked < 0 || shadowBlocked < 0) {
                throw new IllegalArgumentException("negative count in bucket: allowed=" + allowed + ", blocked="
                        + blocked + ", shadowBlocked=" + shadowBlocked);
            }
        }

        /** The same bucket with other counts. */
        public Bucket withCounts(long allowed, long blocked, long shadowBlocked) {
            return new Bucket(start, end, allowed, blocked, shadowBlocked);
        }

        /** The events in the bucket: {@code allowed + blocked + shadowBlocked}. */
        public long total() {
            return allowed + blocked + shadowBlocked;
        }

        /** {@code {start, end, allowed, blocked, shadow_blocked}}. */
        public JsonObject toJson() {
            return new JsonObject()
                    .put("start", Timestamps.format(start))
                    .put("end", Timestamps.format(end))
                    .put("allowed", allowed)
                    .put("blocked", blocked)
                    .put("shadow_blocked", shadowBlocked);
        }
    }
}
