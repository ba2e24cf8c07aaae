package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.NanoClock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The per-key states of one limiter, bounded in number, in age and in bytes.
 *
 * <p>Keys never contend with each other: a decision holds only its own key's lock. The bounds are
 * kept incrementally: every insertion sweeps a couple of entries from a cursor that walks the table
 * round and round, dropping states that are idle past the expiry, or spent (the same as no state)
 * and untouched for a while; when the table then holds more than the maximum of keys, or the memory
 * budget it shares with other tables is over its limit, the least recently touched of a small sample
 * is evicted, again and again until the table is back within the maximum and the budget within its
 * limit, or the table holds nothing more. Eviction forgets a key's history, which can only make the
 * limiter more lenient to that key, never stricter.
 *
 * <p>Every state held is counted in {@link HeldBytes} by its estimate ({@link StateFootprint}):
 * charged when the table takes it, credited by whoever drops it (the flag that says it was dropped is
 * set once, under its lock). A decision on a key already held counts nothing.
 */
final class KeyTable<S extends KeyState> {

    private static final int SWEEP_PER_INSERT = 2;
    private static final int EVICTION_SAMPLE = 8;

    private final Meter<S> meter;
    private final HeldBytes held;
    private final NanoClock clock;
    private final long maxKeys;
    private final long idleNanos;
    private final long spentGraceNanos;
    private final ConcurrentHashMap<String, S> states = new ConcurrentHashMap<>();
    private final ReentrantLock sweepLock = new ReentrantLock();
    /** Guarded by {@link #sweepLock}. */
    private Iterator<Map.Entry<String, S>> cursor;

    /**
     * @param spentGraceNanos how long a spent state must be untouched before it is dropped: a key hit
     *                        steadily is spent between its hits, and dropping it would only make the
     *                        next hit insert it again
     */
    KeyTable(Meter<S> meter, HeldBytes held, NanoClock clock, long maxKeys, long idleNanos, long spentGraceNanos) {
        this.meter = meter;
        this.held = held;
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.idleNanos = idleNanos;
        this.spentGraceNanos = Math.min(idleNanos, spentGraceNanos);
    }

    Meter<S> meter() {
        return meter;
    }

    Decision decide(String key, long permits, boolean consume) {
        while (true) {
            S state = states.get(key);
            boolean inserted = false;
            boolean overBudget = false;
            if (state == null) {
                S fresh = meter.newState();
                if (!consume) {
                    return meter.decide(fresh, clock.epochNanos(), permits, false);
                }
                // before it is published: from then on the meter charges what the state grows by
                long bytes = StateFootprint.entry(key) + meter.stateBytes(fresh);
                S raced = states.putIfAbsent(key, fresh);
                inserted = raced == null;
                if (inserted) {
                    overBudget = held.charge(bytes);
                }
                state = inserted ? fresh : raced;
            }
            Decision decision;
            state.lock();
            try {
                if (state.removed()) {
                    continue;
                }
                long now = Math.max(clock.epochNanos(), state.touchedNanos);
                decision = meter.decide(state, now, permits, consume);
                if (consume) {
                    state.touchedNanos = now;
                }
            } finally {
                state.unlock();
            }
            if (inserted) {
                afterInsert(overBudget);
            }
            return decision;
        }
    }

    void forget(String key) {
        S state = states.get(key);
        if (state != null) {
            state.lock();
            try {
                drop(key, state);
            } finally {
                state.unlock();
            }
        }
    }

    /** Drops every state. */
    void clear() {
        for (Map.Entry<String, S> entry : states.entrySet()) {
            S state = entry.getValue();
            state.lock();
            try {
                drop(entry.getKey(), state);
            } finally {
                state.unlock();
            }
        }
    }

    long size() {
        return states.size();
    }

    /** The estimated heap bytes of the states held. */
    long bytesHeld() {
        return held.held();
    }

    /** The estimate of the states held now, summed afresh: equal to {@link #bytesHeld()} when nothing is in flight. */
    long recount() {
        long bytes = 0;
        for (Map.Entry<String, S> entry : states.entrySet()) {
            S state = entry.getValue();
            state.lock();
            try {
                if (!state.removed()) {
                    bytes += StateFootprint.entry(entry.getKey()) + meter.stateBytes(state);
                }
            } finally {
                state.unlock();
            }
        }
        return bytes;
    }

    /** Walks the whole table once, dropping spent and idle states; returns how many it dropped. */
    long sweepAll() {
        long now = clock.epochNanos();
        long dropped = 0;
        for (Map.Entry<String, S> entry : states.entrySet()) {
            if (dropIfDead(entry.getKey(), entry.getValue(), now)) {
                dropped++;
            }
        }
        return dropped;
    }

    private void afterInsert(boolean overBudget) {
        if (overBudget || states.size() > maxKeys) {
            sweepLock.lock();
            try {
                sweep(SWEEP_PER_INSERT);
                while (states.size() > maxKeys) {
                    evictOne();
                }
                while (held.overBudget() && !states.isEmpty()) {
                    evictOne();
                }
            } finally {
                sweepLock.unlock();
            }
        } else if (sweepLock.tryLock()) {
            try {
                sweep(SWEEP_PER_INSERT);
            } finally {
                sweepLock.unlock();
            }
        }
    }

    private void sweep(int entries) {
        long now = clock.epochNanos();
        for (int i = 0; i < entries; i++) {
            Map.Entry<String, S> entry = next();
            if (entry == null) {
                return;
            }
            dropIfDead(entry.getKey(), entry.getValue(), now);
        }
    }

    private void evictOne() {
        long now = clock.epochNanos();
        String oldestKey = null;
        S oldest = null;
        for (int i = 0; i < EVICTION_SAMPLE; i++) {
            Map.Entry<String, S> entry = next();
            if (entry == null) {
                return;
            }
            if (dropIfDead(entry.getKey(), entry.getValue(), now)) {
                return;
            }
            S candidate = entry.getValue();
            if (oldest == null || candidate.touchedNanos < oldest.touchedNanos) {
                oldest = candidate;
                oldestKey = entry.getKey();
            }
        }
        oldest.lock();
        try {
            drop(oldestKey, oldest);
        } finally {
            oldest.unlock();
        }
    }

    private boolean dropIfDead(String key, S state, long now) {
        state.lock();
        try {
            if (state.removed()) {
                return false;
            }
            long at = Math.max(now, state.touchedNanos);
            long idle = at - state.touchedNanos;
            return (idle > idleNanos || (idle >= spentGraceNanos && meter.isSpent(state, at))) && drop(key, state);
        } finally {
            state.unlock();
        }
    }

    /** Drops {@code state}, whose lock the caller holds, unless it is dropped already; credits its bytes. */
    private boolean drop(String key, S state) {
        if (state.removed()) {
            return false;
        }
        state.markRemoved();
        states.remove(key, state);
        held.credit(StateFootprint.entry(key) + meter.stateBytes(state));
        return true;
    }

    private Map.Entry<String, S> next() {
        if (cursor == null || !cursor.hasNext()) {
            cursor = states.entrySet().iterator();
            if (!cursor.hasNext()) {
                return null;
            }
        }
        return cursor.next();
    }
}
