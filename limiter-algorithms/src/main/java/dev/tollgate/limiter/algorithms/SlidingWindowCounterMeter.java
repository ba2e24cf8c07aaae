package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;

/**
 * Counts permits in epoch-aligned windows and weighs the previous window by the share of it still
 * inside the sliding window: {@code count = current + previous × (window − elapsed) / window}, with
 * the weighted part rounded up. Admission compares the products exactly, in integers.
 */
final class SlidingWindowCounterMeter implements Meter<SlidingWindowCounterMeter.State> {

    static final class State extends KeyState {
        long window = Long.MIN_VALUE;
        long current;
        long previous;
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
        long window = Math.floorDiv(now, windowNanos);
        long current;
        long previous;
        if (state.window == window) {
            current = state.current;
            previous = state.previous;
        } else if (state.window == window - 1) {
            current = 0;
            previous = state.current;
        } else {
            current = 0;
            previous = 0;
        }
        long windowStart = window * windowNanos;
        long rest = windowNanos - (now - windowStart);
        long room = limit - current - permits;
        boolean allowed = room >= 0 && Int128.productAtMost(previous, rest, room, windowNanos);
        if (allowed && consume) {
            current += permits;
            state.window = window;
            state.current = current;
            state.previous = previous;
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
        long window = Math.floorDiv(now, windowNanos);
        return state.window < window - 1
                || (state.window == window - 1 && state.current == 0)
                || (state.current == 0 && state.previous == 0);
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
