package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;

/**
 * One algorithm's arithmetic over one key's state. Called with the state's lock held and with a
 * time that never goes back for that state, so implementations need no synchronisation of their own.
 * After every decision that may take permits ({@code consume}), admitted or not, the table sets the
 * state's {@link KeyState#touchedNanos} to the time decided at: a meter may take it as the time its
 * state was last brought up to date, instead of keeping one of its own.
 */
interface Meter<S extends KeyState> {

    /** The state of a key never seen: the full allowance. */
    S newState();

    /**
     * Decides a request of {@code permits} at {@code now}; takes them from {@code state} when
     * {@code consume} is set and they fit. A decision that takes nothing reports the state as it is.
     */
    Decision decide(S state, long now, long permits, boolean consume);

    /**
     * Whether {@link #reserve} can take permits ahead of time: a meter that knows when each permit falls due.
     */
    default boolean reserves() {
        return false;
    }

    /**
     * Takes {@code permits} from {@code state} at {@code now} if they are due within {@code maxDelayNanos}, as
     * {@link dev.tollgate.limiter.RateLimiter#reserve} says; only called when {@link #reserves()}.
     */
    default Decision reserve(S state, long now, long permits, long maxDelayNanos) {
        throw new UnsupportedOperationException("this algorithm cannot take permits ahead of time");
    }

    /**
     * Gives back {@code permits} a reservation took and whose caller stopped waiting before they were due; only
     * called when {@link #reserves()}.
     */
    default void giveBack(S state, long now, long permits) {}

    /** Whether {@code state} at {@code now} is the same as no state at all, so it can be dropped. */
    boolean isSpent(S state, long now);

    /**
     * The estimated heap bytes of {@code state}, with any array it holds ({@link StateFootprint}). A meter
     * whose states grow charges the growth to its limiter's {@link HeldBytes} as it happens; the table
     * charges this when it takes a fresh state and credits it when it drops one.
     */
    long stateBytes(S state);

    /** The most permits one acquisition can ask for: the burst of a bucket, the limit of a window. */
    long capacity();

    /** What {@link #capacity()} is called for this algorithm, for error messages. */
    String capacityName();
}
