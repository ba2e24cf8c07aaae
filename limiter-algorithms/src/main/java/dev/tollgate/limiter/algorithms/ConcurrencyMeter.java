package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;

/**
 * Counts the slots a key holds: an acquisition takes slots while they fit under the limit, and only a
 * {@linkplain #release release} gives them back. Time does not enter the count; it only stamps the decisions.
 */
final class ConcurrencyMeter implements Meter<ConcurrencyMeter.State> {

    private static final long RETRY_AFTER_NANOS = ConcurrencyLimiter.RETRY_AFTER.toNanos();

    /** The slots held. */
    static final class State extends KeyState {
        long held;
    }

    private final long limit;

    ConcurrencyMeter(LimitSpec spec) {
        this.limit = spec.limit();
    }

    @Override
    public State newState() {
        return new State();
    }

    @Override
    public Decision decide(State state, long now, long permits, boolean consume) {
        long held = state.held;
        if (held + permits > limit) {
            return new Decision(
                    false, limit, Math.max(0, limit - held), held, now + RETRY_AFTER_NANOS, RETRY_AFTER_NANOS);
        }
        if (consume) {
            held += permits;
            state.held = held;
        }
        return new Decision(true, limit, limit - held, held, now, 0);
    }

    /** Gives back {@code permits} slots of {@code state}, never taking it below none. */
    void release(State state, long permits) {
        state.held = Math.max(0, state.held - permits);
    }

    @Override
    public boolean isSpent(State state, long now) {
        return state.held == 0;
    }

    @Override
    public long stateBytes(State state) {
        return StateFootprint.SMALL_STATE;
    }

    @Override
    public long capacity() {
        return limit;
    }

    @Override
    public String capacityName() {
        return "limit";
    }
}
