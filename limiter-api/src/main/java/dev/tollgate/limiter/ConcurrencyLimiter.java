package dev.tollgate.limiter;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * A limiter of work in flight rather than of a rate: {@link #acquire} takes slots that stay taken until they are
 * {@link #release}d, so a key holds at most {@link LimitSpec#limit()} slots at any moment. Its spec's algorithm is
 * {@value #ALGORITHM}; its {@link LimitSpec#window()} is the <em>slot timeout</em>, the longest a slot may be held
 * before a shared backend takes it back as leaked by a node that died holding it.
 *
 * <p>Every implementation, besides the rules of {@link RateLimiter}:
 * <ol>
 *   <li>admits an acquisition of {@code permits} while the key holds at most {@code limit − permits} slots, and
 *       then holds them for the key; time alone never gives a slot back, except that a backend shared by several
 *       nodes takes back a slot held for longer than the slot timeout (a local one, whose slots die with the
 *       process, may keep them until released);</li>
 *   <li>gives back, in {@link #release}, {@code permits} slots of the key, and never more than the key holds: a
 *       release of more than it holds, of a key holding none or of a key never seen is harmless and succeeds;</li>
 *   <li>keeps no state for a key that holds no slot;</li>
 *   <li>answers with decisions whose {@code limit} is the limit, {@code count} the slots held (this acquisition's
 *       included when admitted), {@code remaining} the limit less the count; a refused acquisition's
 *       {@code retryAfter} is {@link #RETRY_AFTER} (no clock says when a request in flight ends, and one second is
 *       the least {@code Retry-After} can say) and its reset one {@code RETRY_AFTER} after the decision; an
 *       admitted one's reset is the decision's time;</li>
 *   <li>takes {@link LimitSpec#cost()} slots per request unless told otherwise, as every limiter does.</li>
 * </ol>
 *
 * <p>Whoever acquires releases: exactly once per admitted acquisition, with the same permits, whatever becomes of
 * the work (done, failed, abandoned). {@code tollgate-core}'s HTTP handler does it when the response ends.
 */
public interface ConcurrencyLimiter extends RateLimiter {

    /** The algorithm name of concurrency limiters, as {@link LimitSpec#algorithm()} spells it. */
    String ALGORITHM = "concurrency";

    /** The slot timeout of a concurrency rule that names none. */
    Duration DEFAULT_SLOT_TIMEOUT = Duration.ofSeconds(60);

    /** What a refused acquisition is told to wait. */
    Duration RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * Takes {@code permits} slots for {@code key} if fewer than the limit would then be held; they stay taken until
     * {@link #release}d.
     */
    @Override
    Future<Decision> acquire(String key, long permits);

    /**
     * Gives back {@code permits} slots of {@code key}, at most as many as it holds. Fails the future with
     * {@link IllegalArgumentException} for an empty key or fewer than one permit, and with
     * {@link LimiterException} when the backend cannot be reached (a shared backend then takes the slots back
     * after the slot timeout).
     */
    Future<Void> release(String key, long permits);

    /** The slot timeout: {@link LimitSpec#window()}. */
    default Duration slotTimeout() {
        return spec().window();
    }
}
