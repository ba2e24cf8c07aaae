package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.NanoClock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The per-key states of one limiter, bounded in number and age.
 *
 * <p>Keys never contend with each other: a decision holds only its own key's lock. The bound is
 * kept incrementally: every insertion sweeps a couple of entries from a cursor that walks the table
 * round and round, dropping states that are idle past the expiry, or spent (the same as no state)
 * and untouched for a while;
 * when the table still holds more than the maximum, the least recently touched of a small sample is
 * evicted. Eviction forgets a key's history, which can only make the limiter more lenient to that
 * key, never stricter.
 */
final class KeyTable<S extends KeyState> {

    private static final int SWEEP_PER_INSERT = 2;
    private static final int EVICTION_SAMPLE = 8;

    private final Meter<S> meter;
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
    KeyTable(Meter<S> meter, NanoClock clock, long maxKeys, long idleNanos, long spentGraceNanos) {
        this.meter = meter;
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
            if (state == null) {
                S fresh = meter.newState();
                if (!consume) {
                    return meter.decide(fresh, clock.epochNanos(), permits, false);
                }
                S raced = states.putIfAbsent(key, fresh);
                inserted = raced == null;
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
                afterInsert();
            }
            return decision;
        }
    }

    void forget(String key) {
        S state = states.remove(key);
        if (state != null) {
            state.lock();
            state.markRemoved();
            state.unlock();
        }
    }

    long size() {
        return states.size();
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

    private void afterInsert() {
        if (states.size() > maxKeys) {
            sweepLock.lock();
            try {
                sweep(SWEEP_PER_INSERT);
                while (states.size() > maxKeys) {
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
            if (!oldest.removed()) {
                oldest.markRemoved();
                states.remove(oldestKey, oldest);
            }
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
            if (idle > idleNanos || (idle >= spentGraceNanos && meter.isSpent(state, at))) {
                state.markRemoved();
                states.remove(key, state);
                return true;
            }
            return false;
        } finally {
            state.unlock();
        }
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
