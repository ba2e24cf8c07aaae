package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.SettingsException;

/**
 * Keeps the exact time of every admitted request; an entry counts while {@code ts > now − window}.
 * Requests at the same nanosecond share one entry, so a key holds at most one entry per admitted
 * request, and never more than {@code limit}. A key's log starts with room for one entry and doubles
 * when full; every allocation is charged to the limiter's {@link HeldBytes} as it happens.
 */
final class SlidingWindowLogMeter implements Meter<SlidingWindowLogMeter.State> {

    /** The largest limit this algorithm takes: its state grows with the number of requests. */
    static final long MAX_LIMIT = 100_000;

    private static final int INITIAL_ENTRIES = 1;

    /** A ring of (timestamp, permits) pairs, oldest at {@code head}; the total is at most the limit. */
    static final class State extends KeyState {
        long[] entries;
        int head;
        int size;
        int total;
    }

    private final long limit;
    private final long windowNanos;
    private final HeldBytes held;

    SlidingWindowLogMeter(LimitSpec spec, HeldBytes held) {
        if (spec.limit() > MAX_LIMIT) {
            throw new SettingsException(
                    "limit",
                    "sliding-window-log keeps one timestamp per request, so its limit is at most " + MAX_LIMIT
                            + ", got limit " + spec.limit()
                            + "; sliding-window-counter gives a close answer in constant space");
        }
        this.limit = spec.limit();
        this.windowNanos = spec.windowNanos();
        this.held = held;
    }

    @Override
    public State newState() {
        return new State();
    }

    @Override
    public Decision decide(State state, long now, long permits, boolean consume) {
        expire(state, now);
        long count = state.total;
        if (count + permits > limit) {
            long retry = timeUntilFree(state, limit - permits) - now;
            return new Decision(false, limit, limit - count, count, newest(state) + windowNanos, retry);
        }
        if (consume) {
            append(state, now, permits);
            count = state.total;
        }
        long reset = count == 0 ? now : newest(state) + windowNanos;
        return new Decision(true, limit, limit - count, count, reset, 0);
    }

    @Override
    public boolean isSpent(State state, long now) {
        return state.size == 0 || newest(state) <= now - windowNanos;
    }

    @Override
    public long stateBytes(State state) {
        return StateFootprint.LOG_STATE + (state.entries == null ? 0 : StateFootprint.longArray(state.entries.length));
    }

    @Override
    public long capacity() {
        return limit;
    }

    @Override
    public String capacityName() {
        return "limit";
    }

    private void expire(State state, long now) {
        long[] entries = state.entries;
        while (state.size > 0 && entries[2 * state.head] <= now - windowNanos) {
            state.total = (int) (state.total - entries[2 * state.head + 1]);
            state.head = (state.head + 1) % (entries.length / 2);
            state.size--;
        }
    }

    /** When enough of the oldest entries have left the window for the count to be at most {@code target}. */
    private long timeUntilFree(State state, long target) {
        long[] entries = state.entries;
        int slots = entries.length / 2;
        long remaining = state.total;
        for (int i = 0; i < state.size; i++) {
            int slot = (state.head + i) % slots;
            remaining -= entries[2 * slot + 1];
            if (remaining <= target) {
                return entries[2 * slot] + windowNanos;
            }
        }
        throw new IllegalStateException("log of " + state.total + " permits cannot fall to " + target);
    }

    private static long newest(State state) {
        int slots = state.entries.length / 2;
        return state.entries[2 * ((state.head + state.size - 1) % slots)];
    }

    private void append(State state, long now, long permits) {
        if (state.entries == null) {
            state.entries = new long[2 * (int) Math.min(limit, INITIAL_ENTRIES)];
            held.charge(StateFootprint.longArray(state.entries.length));
        }
        int slots = state.entries.length / 2;
        if (state.size > 0) {
            int tail = (state.head + state.size - 1) % slots;
            if (state.entries[2 * tail] == now) {
                state.entries[2 * tail + 1] += permits;
                state.total = (int) (state.total + permits);
                return;
            }
        }
        if (state.size == slots) {
            grow(state);
            slots = state.entries.length / 2;
        }
        int slot = (state.head + state.size) % slots;
        state.entries[2 * slot] = now;
        state.entries[2 * slot + 1] = permits;
        state.size++;
        state.total = (int) (state.total + permits);
    }

    private void grow(State state) {
        int slots = state.entries.length / 2;
        int grown = (int) Math.min(limit, 2L * slots);
        long[] entries = new long[2 * grown];
        for (int i = 0; i < state.size; i++) {
            int slot = (state.head + i) % slots;
            entries[2 * i] = state.entries[2 * slot];
            entries[2 * i + 1] = state.entries[2 * slot + 1];
        }
        held.charge(StateFootprint.longArray(entries.length) - StateFootprint.longArray(state.entries.length));
        state.entries = entries;
        state.head = 0;
    }
}
