package dev.tollgate.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A window of the dashboard's reports at the operator's scale: the events with {@code timestamp >= now − length}
 * (the same rolling window as {@code days}, which is {@link #ofDays the range of N × 24 h}), shown as a chart of
 * {@link #buckets()} buckets of {@link #bucket()} each, laid out as {@link TimeSeries#layout} lays out a
 * series (the newest bucket ends at {@code now}).
 *
 * <p>The named ranges are {@value #NAMES}; {@link #parse} reads them and nothing else.
 *
 * @param name   how the range is written in a URL ({@code 15m}) or, for a range of days, {@code Nd}
 * @param length how far back the window reaches from now
 * @param bucket the width of one bucket of the range's chart; {@code length} is a whole number of buckets
 */
public record TimeRange(String name, Duration length, Duration bucket) {

    /** The named ranges, as a URL writes them. */
    public static final String NAMES = "15m, 1h, 6h, 24h, 7d, 30d";

    /** 15 minutes in buckets of 10 s. */
    public static final TimeRange MINUTES_15 = new TimeRange("15m", Duration.ofMinutes(15), Duration.ofSeconds(10));
    /** An hour in buckets of a minute. */
    public static final TimeRange HOUR = new TimeRange("1h", Duration.ofHours(1), Duration.ofMinutes(1));
    /** 6 hours in buckets of 5 minutes. */
    public static final TimeRange HOURS_6 = new TimeRange("6h", Duration.ofHours(6), Duration.ofMinutes(5));
    /** 24 hours in buckets of 30 minutes. */
    public static final TimeRange HOURS_24 = new TimeRange("24h", Duration.ofHours(24), Duration.ofMinutes(30));
    /** 7 days in buckets of 3 hours. */
    public static final TimeRange DAYS_7 = new TimeRange("7d", Duration.ofDays(7), Duration.ofHours(3));
    /** 30 days in buckets of 12 hours. */
    public static final TimeRange DAYS_30 = new TimeRange("30d", Duration.ofDays(30), Duration.ofHours(12));

    /** Every named range, shortest first. */
    public static final List<TimeRange> NAMED = List.of(MINUTES_15, HOUR, HOURS_6, HOURS_24, DAYS_7, DAYS_30);

    /** The longest window a range may have, as for {@code days}: 365 days. */
    public static final int MAX_DAYS = 365;

    public TimeRange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isNegative() || bucket.isZero() || bucket.toMillis() * 1_000_000 != bucket.toNanos()) {
            throw new IllegalArgumentException("a bucket must be a positive whole number of milliseconds: " + bucket);
        }
        if (length.compareTo(bucket) < 0 || length.toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException("a range must be a whole number of buckets: " + length + " / " + bucket);
        }
        if (length.compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw new IllegalArgumentException("a range reaches back at most " + MAX_DAYS + " days: " + length);
        }
        long count = length.toMillis() / bucket.toMillis();
        if (count > TimeSeries.MAX_BUCKETS) {
            throw new IllegalArgumentException(
                    "a range has at most " + TimeSeries.MAX_BUCKETS + " buckets: " + length + " / " + bucket);
        }
    }

    /**
     * The range of {@code days} × 24 h that the {@code ?days=} reports use, in {@code buckets} buckets (the
     * dashboard's day chart). Its name is {@code Nd}.
     *
     * @throws IllegalArgumentException when {@code days} is not in 1..{@value #MAX_DAYS} or the days cannot be cut
     *     into {@code buckets} whole milliseconds
     */
    public static TimeRange ofDays(int days, int buckets) {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be between 1 and " + MAX_DAYS + ", got " + days);
        }
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be at least 1, got " + buckets);
        }
        Duration length = Duration.ofDays(days);
        return new TimeRange(days + "d", length, length.dividedBy(buckets));
    }

    /** The named range written as {@code text} ({@value #NAMES}), or empty for anything else. */
    public static Optional<TimeRange> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (TimeRange range : NAMED) {
            if (range.name.equals(text)) {
                return Optional.of(range);
            }
        }
        return Optional.empty();
    }

    /** How many buckets the range's chart has: {@code length / bucket}. */
    public int buckets() {
        return (int) (length.toMillis() / bucket.toMillis());
    }

    /** The first millisecond of the window ending at {@code now}: {@code now − length}. */
    public Instant start(Instant now) {
        return Timestamps.truncate(now).minus(length);
    }

    /**
     * The window in whole days when it is a whole number of days ({@code 24h}, {@code 7d}, {@code 30d}, {@code Nd}),
     * for the stores and reports that count in days.
     */
    public Optional<Integer> wholeDays() {
        long millis = length.toMillis();
        long day = Duration.ofDays(1).toMillis();
        return millis % day == 0 ? Optional.of((int) (millis / day)) : Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }
}
