package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaPeriod;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process {@link QuotaLimiter}: each key's count in the current period, held in this JVM and decided on the
 * caller's thread. The counts die with the process: a restart gives every key a full allowance again, and nodes do not
 * share them, so the {@code redis} backend is the one for quotas that matter.
 *
 * <p>At most {@link LimiterOptions#maxKeys()} keys are held: past it the counts of ended periods go first, then any,
 * which makes the limiter more lenient to a key forgotten, never stricter. Idle expiry and the memory budget do not
 * apply: a key idle for a day is still in its month.
 */
public final class LocalQuotaLimiter implements QuotaLimiter {

    /** A key's count in the period that starts at {@code periodStart}. */
    private record Usage(long periodStart, long count) {}

    private final LimitSpec spec;
    private final QuotaPeriod period;
    private final NanoClock clock;
    private final long maxKeys;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();

    LocalQuotaLimiter(LimitSpec spec, LimiterOptions options) {
        this.spec = spec;
        this.period = options.quotaPeriod();
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
     * Takes {@code permits} from {@code key}'s allowance in the current period if they fit.
     *
     * @throws IllegalArgumentException for an empty key, fewer than one permit, or more than the limit
     */
    public Decision tryAcquire(String key, long permits) {
        LimiterArguments.check(key, permits);
        if (permits > spec.limit()) {
            throw new IllegalArgumentException("permits " + permits + " is more than the limit " + spec.limit()
                    + " of a " + period + " quota: no period could admit it");
        }
        long now = clock.epochNanos();
        QuotaPeriod.Bounds bounds = period.bounds(now);
        long start = bounds.startEpochNanos();
        String bounded = LimiterKeys.bounded(key);
        if (!usage.containsKey(bounded) && usage.size() >= maxKeys) {
            makeRoom(start);
        }
        long[] seen = new long[2];
        usage.compute(bounded, (k, old) -> {
            long count = old == null || old.periodStart() != start ? 0 : old.count();
            boolean allowed = count + permits <= spec.limit();
            seen[0] = allowed ? 1 : 0;
            seen[1] = allowed ? count + permits : count;
            if (!allowed) {
                return old != null && old.periodStart() == start ? old : null;
            }
            return new Usage(start, count + permits);
        });
        return decision(seen[0] == 1, seen[1], now, bounds.endEpochNanos());
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        return LimiterArguments.settle(() -> tryAcquire(key, permits));
    }

    @Override
    public Future<Decision> peek(String key) {
        return LimiterArguments.checkThenSettle(key, spec.cost(), () -> {
            long now = clock.epochNanos();
            QuotaPeriod.Bounds bounds = period.bounds(now);
            Usage used = usage.get(LimiterKeys.bounded(key));
            long count = used == null || used.periodStart() != bounds.startEpochNanos() ? 0 : used.count();
            return decision(count + spec.cost() <= spec.limit(), count, now, bounds.endEpochNanos());
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
    public long trackedKeys() {
        return usage.size();
    }

    @Override
    public Future<Void> close() {
        usage.clear();
        return Future.succeededFuture();
    }

    private Decision decision(boolean allowed, long count, long now, long end) {
        long remaining = Math.max(0, spec.limit() - count);
        return new Decision(allowed, spec.limit(), remaining, count, end, allowed ? 0 : Math.max(0, end - now));
    }

    /** Drops the counts of ended periods, and when none had ended, one count: lenient to that key, never strict. */
    private void makeRoom(long currentStart) {
        usage.values().removeIf(used -> used.periodStart() != currentStart);
        LimiterArguments.dropUntilBelow(usage, maxKeys);
    }

    @Override
    public String toString() {
        return "LocalQuotaLimiter[" + spec.limit() + " per " + period + "]";
    }
}
