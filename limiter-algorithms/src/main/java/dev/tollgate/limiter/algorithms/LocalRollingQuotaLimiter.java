package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaPeriod;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process {@link QuotaLimiter} over a {@linkplain QuotaPeriod#rolling() rolling} window of days: each key's
 * count per day, for the days of the window on which it took something, held in this JVM and decided on the caller's
 * thread. As with {@link LocalQuotaLimiter}, the counts die with the process and nodes do not share them.
 *
 * <p>A key holds at most one count per day of the window (365 at most). At most {@link LimiterOptions#maxKeys()} keys
 * are held: past it the keys whose use has all left the window go first, then any, which makes the limiter more
 * lenient to a key forgotten, never stricter.
 */
final class LocalRollingQuotaLimiter implements QuotaLimiter {

    /**
     * A key's use: {@code counts[i]} permits on the day {@code days[i]} (days since 1970-01-01 in the zone), the days
     * ascending, each with a count above 0.
     */
    private static final class Days {

        static final Days NONE = new Days(new long[0], new long[0]);

        private final long[] days;
        private final long[] counts;

        Days(long[] days, long[] counts) {
            this.days = days;
            this.counts = counts;
        }

        /** The days, never changed once made. */
        long[] days() {
            return days;
        }

        /** The count of each day, never changed once made. */
        long[] counts() {
            return counts;
        }

        /** The days from {@code oldest} on. */
        Days from(long oldest) {
            int first = 0;
            while (first < days.length && days[first] < oldest) {
                first++;
            }
            return first == 0
                    ? this
                    : new Days(
                            Arrays.copyOfRange(days, first, days.length),
                            Arrays.copyOfRange(counts, first, counts.length));
        }

        long total() {
            long total = 0;
            for (long count : counts) {
                total += count;
            }
            return total;
        }

        /** These days with {@code permits} more on {@code day}. */
        Days plus(long day, long permits) {
            int at = Arrays.binarySearch(days, day);
            if (at >= 0) {
                long[] more = counts.clone();
                more[at] += permits;
                return new Days(days, more);
            }
            int insert = -at - 1;
            long[] newDays = new long[days.length + 1];
            long[] newCounts = new long[counts.length + 1];
            System.arraycopy(days, 0, newDays, 0, insert);
            System.arraycopy(counts, 0, newCounts, 0, insert);
            newDays[insert] = day;
            newCounts[insert] = permits;
            System.arraycopy(days, insert, newDays, insert + 1, days.length - insert);
            System.arraycopy(counts, insert, newCounts, insert + 1, counts.length - insert);
            return new Days(newDays, newCounts);
        }

        long newest() {
            return days.length == 0 ? Long.MIN_VALUE : days[days.length - 1];
        }
    }

    private final LimitSpec spec;
    private final QuotaPeriod period;
    private final NanoClock clock;
    private final long maxKeys;
    private final Map<String, Days> usage = new ConcurrentHashMap<>();

    LocalRollingQuotaLimiter(LimitSpec spec, LimiterOptions options) {
        this.spec = spec;
        this.period = options.quotaPeriod();
        if (!period.rolling()) {
            throw new IllegalArgumentException("a " + period + " quota is not rolling");
        }
        this.clock = options.clock();
        this.maxKeys = options.maxKeys();
    }

    @Override
    public LimitSpec spec() {
        return spec;
    }

    @Override
    public QuotaPeriod period() {
        return period;
    }

    /**
     * Takes {@code permits} from {@code key}'s allowance in the current window if they fit.
     *
     * @throws IllegalArgumentException for an empty key, fewer than one permit, or more than the limit
     */
    Decision tryAcquire(String key, long permits) {
        LimiterArguments.check(key, permits);
        if (permits > spec.limit()) {
            throw new IllegalArgumentException("permits " + permits + " is more than the limit " + spec.limit()
                    + " of a " + period + " quota: no window could admit it");
        }
        long now = clock.epochNanos();
        long today = period.epochDay(now);
        long oldest = oldestDay(today);
        String bounded = LimiterKeys.bounded(key);
        if (!usage.containsKey(bounded) && usage.size() >= maxKeys) {
            makeRoom(oldest);
        }
        boolean[] allowed = new boolean[1];
        Days[] seen = new Days[1];
        usage.compute(bounded, (k, old) -> {
            Days current = old == null ? Days.NONE : old.from(oldest);
            allowed[0] = current.total() + permits <= spec.limit();
            seen[0] = allowed[0] ? current.plus(today, permits) : current;
            return seen[0].days().length == 0 ? null : seen[0];
        });
        return period.rollingDecision(allowed[0], spec.limit(), permits, today, seen[0].days(), seen[0].counts(), now);
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        return LimiterArguments.settle(() -> tryAcquire(key, permits));
    }

    @Override
    public Future<Decision> peek(String key) {
        return LimiterArguments.checkThenSettle(key, spec.cost(), () -> {
            long now = clock.epochNanos();
            long today = period.epochDay(now);
            Days used = usage.getOrDefault(LimiterKeys.bounded(key), Days.NONE).from(oldestDay(today));
            return period.rollingDecision(
                    used.total() + spec.cost() <= spec.limit(),
                    spec.limit(),
                    Math.min(spec.cost(), spec.limit()),
                    today,
                    used.days(),
                    used.counts(),
                    now);
        });
    }

    @Override
    public Future<Void> reset(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        usage.remove(LimiterKeys.bounded(key));
        return Future.succeededFuture();
    }

    /** How many keys have a count. */
    long trackedKeys() {
        return usage.size();
    }

    @Override
    public Future<Void> close() {
        usage.clear();
        return Future.succeededFuture();
    }

    private long oldestDay(long today) {
        return today - period.days() + 1;
    }

    /** Drops the keys whose use has left the window, and when none had, one key: lenient to it, never strict. */
    private void makeRoom(long oldest) {
        usage.values().removeIf(used -> used.newest() < oldest);
        LimiterArguments.dropUntilBelow(usage, maxKeys);
    }

    @Override
    public String toString() {
        return "LocalRollingQuotaLimiter[" + spec.limit() + " per " + period + "]";
    }
}
