package dev.tollgate.limiter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the heap bytes that in-process limiters spend on per-key state, shared by every limiter
 * given it through {@link LimiterOptions#withMemoryBudget(MemoryBudget)}: one budget for all the rules
 * of one application bounds them together, however their keys are spread. Thread-safe.
 *
 * <p>A limiter holding state:
 * <ol>
 *   <li>{@linkplain #charge(long) charges} the budget with its estimate of the bytes of each state it
 *       takes, and {@linkplain #credit(long) credits} back the same estimate when it drops the state, so
 *       that {@link #used()} is the sum of the estimates of the states held;</li>
 *   <li>when a charge finds the budget over its {@link #limit()}, drops states of its own until the
 *       budget is back within it or it holds nothing more. Dropping a key's state makes a limiter more
 *       lenient to that key, never stricter, so a full budget never refuses a request;</li>
 *   <li>charges and credits nothing per decision on a key it already holds: a charge is one atomic
 *       addition, made when a key is taken, dropped or its state grows.</li>
 * </ol>
 * The estimates are of what the states take in the heap, not of the JVM's own overhead; give the
 * budget a share of the heap ({@link Runtime#maxMemory()}) that leaves room for everything else.
 */
public final class MemoryBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    private MemoryBudget(long limit) {
        this.limit = limit;
    }

    /**
     * A budget of {@code limit} bytes.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public static MemoryBudget ofBytes(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a memory budget must be at least 1 byte, got " + limit);
        }
        return new MemoryBudget(limit);
    }

    /** A budget without a limit, which only counts: to measure what limiters hold. */
    public static MemoryBudget unbounded() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** The most bytes the limiters sharing this budget should hold; {@link Long#MAX_VALUE} when unbounded. */
    public long limit() {
        return limit;
    }

    /** The bytes the limiters sharing this budget hold now, by their estimates. */
    public long used() {
        return used.get();
    }

    /** Whether the limiters sharing this budget hold more than its limit. */
    public boolean exceeded() {
        return used.get() > limit;
    }

    /**
     * Counts {@code bytes} more as held.
     *
     * @return whether the budget is now over its limit, so that the caller must drop state
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public boolean charge(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("charge a positive number of bytes, got " + bytes);
        }
        return used.addAndGet(bytes) > limit;
    }

    /**
     * Counts {@code bytes} fewer as held: what an earlier {@link #charge(long)} counted.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public void credit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("credit a positive number of bytes, got " + bytes);
        }
        used.addAndGet(-bytes);
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + used() + " of " + (limit == Long.MAX_VALUE ? "unbounded" : limit + " bytes") + "]";
    }
}
