package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;

/** Counts permits per window, windows aligned to the epoch: {@code [k × window, (k + 1) × window)}. */
final class FixedWindowMeter implements Meter<FixedWindowMeter.State> {

    /**
     * The count of the window that holds the state's {@link KeyState#touchedNanos}: a decision that is
     * denied is in the window its state counts, since a fresh window admits every acquisition.
     */
    static final class State extends KeyState {
        long count;
    }

    private final long limit;
    private final long windowNanos;

    FixedWindowMeter(LimitSpec spec) {
        this.limit = spec.limit();
        this.windowNanos = spec.windowNanos();
    }

    @Override
    public State newState() {
        return new State();
    }

    @Override
    public Decision decide(State state, long now, long permits, boolean consume) {
        long start = Math.floorDiv(now, windowNanos) * windowNanos;
        long count = state.touchedNanos >= start ? state.count : 0;
        long reset = start + windowNanos;
        if (count + permits > limit) {
            return new Decision(false, limit, limit - count, count, reset, reset - now);
        }
        if (consume) {
            count += permits;
            state.count = count;
        }
        return new Decision(true, limit, limit - count, count, count == 0 ? now : reset, 0);
    }

    @Override
    public boolean isSpent(State state, long now) {
        return state.count == 0 || state.touchedNanos < Math.floorDiv(now, windowNanos) * windowNanos;
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
