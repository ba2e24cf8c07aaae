package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;

/**
 * Counts permits in epoch-aligned windows and weighs the previous window by the share of it still
 * inside the sliding window: {@code count = current + previous × (window − elapsed) / window}, with
 * the weighted part rounded up. Admission compares the products exactly, in integers.
 */
final class SlidingWindowCounterMeter implements Meter<SlidingWindowCounterMeter.State> {

    /**
     * The counts of the window that holds the state's {@link KeyState#touchedNanos} and of the one
     * before: every decision that may take permits moves them to its own window, admitted or not. Both
     * are at most the limit, so they fit an int.
     */
    static final class State extends KeyState {
        int current;
        int previous;
    }

    private final long limit;
    private final long windowNanos;

    SlidingWindowCounterMeter(LimitSpec spec) {
        this.limit = spec.limit();
        this.windowNanos = spec.windowNanos();
    }

    @Override
    public State newState() {
        return new State();
    }

    @Override
    public Decision decide(State state, long now, long permits, boolean consume) {
        long windowStart = Math.floorDiv(now, windowNanos) * windowNanos;
        long current;
        long previous;
        if (state.touchedNanos >= windowStart) {
            current = state.current;
            previous = state.previous;
        } else if (state.touchedNanos >= windowStart - windowNanos) {
            current = 0;
            previous = state.current;
        } else {
            current = 0;
            previous = 0;
        }
        long rest = windowNanos - (now - windowStart);
        long room = limit - current - permits;
        boolean allowed = room >= 0 && Int128.productAtMost(previous, rest, room, windowNanos);
        if (consume) {
            if (allowed) {
                current += permits;
            }
            state.current = (int) current;
            state.previous = (int) previous;
        }
        long count = current + Int128.mulDivCeil(previous, rest, windowNanos);
        long reset = current > 0 ? windowStart + 2 * windowNanos : previous > 0 ? windowStart + windowNanos : now;
        long retry = allowed ? 0 : admitTime(windowStart, current, previous, permits) - now;
        return new Decision(allowed, limit, Math.max(0, limit - count), count, reset, retry);
    }

    /**
     * The first time a request of {@code permits} fits: in this window once the previous window's
     * weight has fallen enough, otherwise in the next one, where this window becomes the previous.
     */
    private long admitTime(long windowStart, long current, long previous, long permits) {
        long room = limit - current - permits;
        if (room >= 0) {
            return windowStart + windowNanos - Int128.mulDivFloor(room, windowNanos, previous);
        }
        long nextRoom = limit - permits;
        if (nextRoom >= current) {
            return windowStart + windowNanos;
        }
        return windowStart + 2 * windowNanos - Int128.mulDivFloor(nextRoom, windowNanos, current);
    }

    @Override
    public boolean isSpent(State state, long now) {
        long windowStart = Math.floorDiv(now, windowNanos) * windowNanos;
        return state.touchedNanos < windowStart - windowNanos
                || (state.touchedNanos < windowStart && state.current == 0)
                || (state.current == 0 && state.previous == 0);
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
