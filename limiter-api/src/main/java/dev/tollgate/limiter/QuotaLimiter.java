package dev.tollgate.limiter;

import io.vertx.core.Future;

/**
 * A limiter of how much a key may take in a period ({@link QuotaPeriod}: a calendar day, ISO week, month or year in
 * a time zone, or a rolling window of days), rather than of how fast: a monthly allowance of API calls. Its spec's
 * algorithm is {@value #ALGORITHM}; its {@link LimitSpec#limit()} is the allowance of one period, and its
 * {@link LimitSpec#window()} the period's {@linkplain QuotaPeriod#nominalLength() nominal length}, which says nothing
 * of when a period starts: {@link #period()} does.
 *
 * <p>Every implementation, besides the rules of {@link RateLimiter}:
 * <ol>
 *   <li>admits an acquisition of {@code permits} when the key's count in the period that holds the clock's time,
 *       plus {@code permits}, is at most the limit, and then adds them to the count; a refusal counts nothing;</li>
 *   <li>starts every period of every key at a count of 0, at the period's start exactly, whenever the key was last
 *       seen;</li>
 *   <li>answers with decisions whose {@code limit} is the limit, {@code count} the key's count in the period (this
 *       acquisition's included when admitted), {@code remaining} the limit less the count, reset the period's end,
 *       and, for a refusal, {@code retryAfter} the time until the period ends;</li>
 *   <li>for a {@linkplain QuotaPeriod#rolling() rolling} period, reads rules 1 to 3 with the window for the period:
 *       admits when the key's use on the current day in the zone and the {@code n - 1} days before it, plus
 *       {@code permits}, is at most the limit, adds them to the current day's count, and answers as
 *       {@link QuotaPeriod#rollingDecision} does (a day's use leaves the window at the start of the {@code n}-th day
 *       after it; a refusal's reset is the first start of a day at which the permits fit);</li>
 *   <li>fails an acquisition of more permits than the limit with {@link IllegalArgumentException};</li>
 *   <li>on a backend that keeps state outside the process (a shared one), keeps the count where a new limiter of the
 *       same scope and period, on this node or another, finds it: a restart loses nothing. A local backend says in
 *       its documentation that it does not.</li>
 * </ol>
 */
public interface QuotaLimiter extends RateLimiter {

    /** The algorithm name of quota limiters, as {@link LimitSpec#algorithm()} spells it. */
    String ALGORITHM = "quota";

    /** The periods this limiter counts over: {@link LimiterOptions#quotaPeriod()} of the options it was made with. */
    QuotaPeriod period();

    /** The spec of a quota of {@code limit} per {@code period}, {@code cost} per request. */
    static LimitSpec spec(long limit, QuotaPeriod period, long cost) {
        return new LimitSpec(ALGORITHM, limit, period.nominalLength(), limit, cost);
    }

    /**
     * The key's state without taking anything, as {@link #peek} says; its {@code count} is the key's use of the
     * current period.
     */
    @Override
    Future<Decision> peek(String key);
}
