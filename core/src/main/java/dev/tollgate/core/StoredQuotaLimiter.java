package dev.tollgate.core;

import dev.tollgate.events.EventStore;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaPeriod;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A {@link QuotaLimiter} whose counts an {@link EventStore} keeps ({@link EventStore#keepsQuotas()}: the PostgreSQL
 * store), so that quota rules on the {@code local} limiter backend survive a restart and are shared by the nodes on
 * one database. Each acquisition is one atomic statement of the store, or for a
 * {@linkplain QuotaPeriod#rolling() rolling} window one transaction ({@link EventStore#takeQuotaDays}, a row per
 * day); the period's bounds come from the limiter's
 * clock. A count is kept under the scope (the rule's name), the period and its zone, but not the limit: a quota raised
 * mid-month keeps what a key used. A store that fails answers with {@link LimiterException}, which the rules take as
 * any limiter's failure ({@code limiter.failOpen}).
 */
public final class StoredQuotaLimiter implements QuotaLimiter {

    private final LimitSpec spec;
    private final QuotaPeriod period;
    private final String quota;
    private final EventStore store;
    private final NanoClock clock;

    private StoredQuotaLimiter(LimitSpec spec, QuotaPeriod period, String quota, EventStore store, NanoClock clock) {
        this.spec = spec;
        this.period = period;
        this.quota = quota;
        this.store = store;
        this.clock = clock;
    }

    /**
     * A quota limiter for {@code spec} over {@link LimiterOptions#quotaPeriod()}, its counts in {@code store} under
     * {@link LimiterOptions#scope()}, its time from {@link LimiterOptions#clock()}.
     *
     * @throws SettingsException keyed {@code algorithm} for a spec of another algorithm, {@code cost} for a cost past
     *     the limit
     * @throws IllegalArgumentException for a store that keeps no quota counts
     */
    public static StoredQuotaLimiter create(LimitSpec spec, LimiterOptions options, EventStore store) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        spec.checkEnforceableBy(QuotaLimiter.ALGORITHM, true);
        if (!Objects.requireNonNull(store, "store").keepsQuotas()) {
            throw new IllegalArgumentException(store.getClass().getSimpleName() + " keeps no quota counts");
        }
        QuotaPeriod period = options.quotaPeriod();
        // a rolling window's rows are days, never periods of the runs of days that n days once meant
        String quota =
                options.scope() + "|" + period.id() + (period.rolling() ? " rolling" : "") + "|" + period.zoneName();
        if (quota.length() > EventStore.MAX_QUOTA_TEXT) {
            throw new SettingsException(
                    "algorithm", "a quota's rule name is at most " + (EventStore.MAX_QUOTA_TEXT - 50) + " characters");
        }
        return new StoredQuotaLimiter(spec, period, quota, store, options.clock());
    }

    @Override
    public LimitSpec spec() {
        return spec;
    }

    @Override
    public QuotaPeriod period() {
        return period;
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        if (permits < 1) {
            return Future.failedFuture(new IllegalArgumentException("permits must be at least 1, got " + permits));
        }
        if (permits > spec.limit()) {
            return Future.failedFuture(new IllegalArgumentException("permits " + permits + " is more than the limit "
                    + spec.limit() + " of a " + period + " quota: no period could admit it"));
        }
        long now = clock.epochNanos();
        if (period.rolling()) {
            long today = period.epochDay(now);
            return store.takeQuotaDays(
                            quota,
                            LimiterKeys.bounded(key),
                            daySecond(today - period.days() + 1),
                            daySecond(today),
                            daySecond(today + period.days()),
                            permits,
                            spec.limit())
                    .transform(answer -> answer.succeeded()
                            ? Future.succeededFuture(rollingDecision(
                                    answer.result().taken(),
                                    permits,
                                    today,
                                    answer.result().counts(),
                                    now))
                            : Future.failedFuture(failure(answer.cause())));
        }
        QuotaPeriod.Bounds bounds = period.bounds(now);
        return store.takeQuota(
                        quota,
                        LimiterKeys.bounded(key),
                        bounds.start().getEpochSecond(),
                        bounds.end().getEpochSecond(),
                        permits,
                        spec.limit())
                .transform(answer -> answer.succeeded()
                        ? Future.succeededFuture(decision(
                                answer.result().taken(), answer.result().count(), now, bounds))
                        : Future.failedFuture(failure(answer.cause())));
    }

    @Override
    public Future<Decision> peek(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        long now = clock.epochNanos();
        if (period.rolling()) {
            long today = period.epochDay(now);
            return store.quotaDays(quota, LimiterKeys.bounded(key), daySecond(today - period.days() + 1))
                    .transform(answer -> {
                        if (answer.failed()) {
                            return Future.failedFuture(failure(answer.cause()));
                        }
                        long used = answer.result().values().stream()
                                .mapToLong(Long::longValue)
                                .sum();
                        return Future.succeededFuture(rollingDecision(
                                used + spec.cost() <= spec.limit(), spec.cost(), today, answer.result(), now));
                    });
        }
        QuotaPeriod.Bounds bounds = period.bounds(now);
        return store.quotaCount(quota, LimiterKeys.bounded(key), bounds.start().getEpochSecond())
                .transform(answer -> answer.succeeded()
                        ? Future.succeededFuture(
                                decision(answer.result() + spec.cost() <= spec.limit(), answer.result(), now, bounds))
                        : Future.failedFuture(failure(answer.cause())));
    }

    /** Forgets {@code key}'s count in the current period, or on every day of a rolling window. */
    @Override
    public Future<Void> reset(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        if (period.rolling()) {
            return store.forgetQuotaDays(quota, LimiterKeys.bounded(key));
        }
        QuotaPeriod.Bounds bounds = period.bounds(clock.epochNanos());
        return store.forgetQuota(quota, LimiterKeys.bounded(key), bounds.start().getEpochSecond());
    }

    private Decision decision(boolean allowed, long count, long now, QuotaPeriod.Bounds bounds) {
        long end = bounds.endEpochNanos();
        return new Decision(
                allowed,
                spec.limit(),
                Math.max(0, spec.limit() - count),
                count,
                end,
                allowed ? 0 : Math.max(0, end - now));
    }

    /** The start of the day {@code epochDay} in the zone, in epoch seconds: how the store names a day. */
    private long daySecond(long epochDay) {
        return Math.floorDiv(period.dayStartEpochNanos(epochDay), 1_000_000_000L);
    }

    private Decision rollingDecision(
            boolean allowed, long permits, long today, SortedMap<Long, Long> counts, long now) {
        long[] days = new long[counts.size()];
        long[] permitsTaken = new long[counts.size()];
        int i = 0;
        for (Map.Entry<Long, Long> day : counts.entrySet()) {
            days[i] = period.epochDay(day.getKey() * 1_000_000_000L);
            permitsTaken[i] = day.getValue();
            i++;
        }
        return period.rollingDecision(allowed, spec.limit(), permits, today, days, permitsTaken, now);
    }

    private static Throwable failure(Throwable cause) {
        return cause instanceof IllegalArgumentException || cause instanceof LimiterException
                ? cause
                : new LimiterException("the store keeping quota counts failed: " + cause.getMessage(), cause);
    }

    @Override
    public String toString() {
        return "StoredQuotaLimiter[" + quota + ": " + spec.limit() + " in "
                + store.getClass().getSimpleName() + "]";
    }
}
