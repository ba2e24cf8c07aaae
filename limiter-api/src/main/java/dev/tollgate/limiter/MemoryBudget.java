package dev.tollgate.limiter;

import dev.tollgate.limiter.spi.StateHolder;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the heap bytes that in-process limiters spend on per-key state, shared by every limiter
 * given it through {@link LimiterOptions#withMemoryBudget(MemoryBudget)}: one budget for all the rules
 * of one application bounds them together, however their keys are spread. Each limiter sharing it has a
 * fair share of it, its {@link #limit()} divided by the number of limiters sharing it, and a flood of
 * distinct keys on one limiter takes bytes from that limiter and from whichever holds the most, never
 * from a limiter holding no more than its share. Thread-safe.
 *
 * <p>A limiter holding state:
 * <ol>
 *   <li>{@linkplain #charge(long) charges} the budget with its estimate of the bytes of each state it
 *       takes, and {@linkplain #credit(long) credits} back the same estimate when it drops the state, so
 *       that {@link #used()} is the sum of the estimates of the states held;</li>
 *   <li>{@linkplain #register(StateHolder) registers} as a {@link StateHolder} when it is made and
 *       {@linkplain #unregister(StateHolder) unregisters} when it is closed; the budget holds it weakly,
 *       so a limiter nobody closes stops counting once it is collected (the bytes it charged are given
 *       back only by closing it);</li>
 *   <li>when a charge finds the budget over its limit, has states dropped, one at a time, until the
 *       budget is back within its limit or nothing more is held: its own while it holds more than its
 *       {@linkplain #fairShare() fair share}, else those of the limiter holding the most bytes
 *       ({@link #victim(StateHolder)} names which). It holds at most one limiter's eviction lock at a
 *       time. Dropping a key's state makes a limiter more lenient to that key, never stricter, so a full
 *       budget never refuses a request; and since the limiters together hold more than the limit, the
 *       one holding the most holds more than its share, so a limiter within its share loses nothing to
 *       another's keys;</li>
 *   <li>charges and credits nothing per decision on a key it already holds: a charge is one atomic
 *       addition, made when a key is taken, dropped or its state grows. The limiters are weighed only
 *       when the budget is over its limit, by one pass over them.</li>
 * </ol>
 * The estimates are of what the states take in the heap, not of the JVM's own overhead; give the
 * budget a share of the heap ({@link Runtime#maxMemory()}) that leaves room for everything else.
 */
public final class MemoryBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    /** Read without a lock; changed only under this budget's monitor, so that registering is idempotent. */
    private final List<WeakReference<StateHolder>> holders = new CopyOnWriteArrayList<>();

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

    /**
     * Counts {@code holder} among the limiters sharing this budget, until it is
     * {@linkplain #unregister(StateHolder) unregistered} or collected: the budget holds it weakly.
     * Registering one already registered changes nothing.
     */
    public synchronized void register(StateHolder holder) {
        Objects.requireNonNull(holder, "holder");
        holders.removeIf(ref -> ref.get() == null);
        if (holders.stream().noneMatch(ref -> ref.get() == holder)) {
            holders.add(new WeakReference<>(holder));
        }
    }

    /** No longer counts {@code holder} among the limiters sharing this budget; nothing if it was not. */
    public synchronized void unregister(StateHolder holder) {
        Objects.requireNonNull(holder, "holder");
        holders.removeIf(ref -> {
            StateHolder registered = ref.get();
            return registered == null || registered == holder;
        });
    }

    /** How many limiters share this budget now: those registered and neither unregistered nor collected. */
    public int holders() {
        int live = 0;
        for (WeakReference<StateHolder> ref : holders) {
            if (ref.get() != null) {
                live++;
            }
        }
        return live;
    }

    /**
     * The bytes each limiter sharing this budget may hold without losing any to another's keys:
     * {@link #limit()} ÷ {@link #holders()}.
     */
    public long fairShare() {
        return limit / Math.max(1, holders());
    }

    /**
     * Which limiter must drop a state now that {@code charging}'s charge found the budget over its limit:
     * {@code charging} itself while it holds more than its {@linkplain #fairShare() fair share}, else the
     * registered limiter holding the most bytes, or {@code charging} when none holds more than it does.
     * One pass over the registered limiters, reading {@link StateHolder#bytesHeld()} of each.
     */
    public StateHolder victim(StateHolder charging) {
        Objects.requireNonNull(charging, "charging");
        long own = charging.bytesHeld();
        int live = 0;
        StateHolder largest = charging;
        long most = own;
        for (WeakReference<StateHolder> ref : holders) {
            StateHolder holder = ref.get();
            if (holder == null) {
                continue;
            }
            live++;
            if (holder != charging) {
                long bytes = holder.bytesHeld();
                if (bytes > most) {
                    most = bytes;
                    largest = holder;
                }
            }
        }
        return own > limit / Math.max(1, live) ? charging : largest;
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + used() + " of " + (limit == Long.MAX_VALUE ? "unbounded" : limit + " bytes") + "]";
    }
}
