package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.spi.StateHolder;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The per-key states of one limiter, bounded in number, in age and in bytes.
 *
 * <p>Keys never contend with each other: a decision holds only its own key's lock. The bounds are
 * kept incrementally: every insertion sweeps a couple of entries from a cursor that walks the table
 * round and round, dropping states that are idle past the expiry, or spent (the same as no state)
 * and untouched for a while; when the table then holds more than the maximum of keys, the least
 * recently touched of a small sample is evicted, again and again until it is back within the maximum.
 * Eviction forgets a key's history, which can only make the limiter more lenient to that key, never
 * stricter.
 *
 * <p>The memory budget is shared with the other tables of one application, each registered with it as a
 * {@link StateHolder} from its making until {@link #close()}. When an insertion takes the budget over its
 * limit, states are evicted the same way, one at a time, until the budget is back within its limit or
 * nothing more is held: this table's own while it holds more than its fair share (the limit divided by
 * the tables sharing it), else those of the table holding the most bytes, which this table makes
 * {@linkplain #shed() shed} under that table's own sweep lock. A flood of distinct keys on one table thus
 * evicts its own keys once past its share, and never those of a table within its share. A thread holds
 * one table's sweep lock at a time, never two, and takes no sweep lock while it holds a key's lock, so
 * tables shedding for each other cannot deadlock.
 *
 * <p>Every state held is counted in {@link HeldBytes} by its estimate ({@link StateFootprint}):
 * charged when the table takes it, credited by whoever drops it (the flag that says it was dropped is
 * set once, under its lock). A decision on a key already held counts nothing and never looks at the
 * budget.
 */
final class KeyTable<S extends KeyState> implements StateHolder {

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
    /** Whether the table is registered with the budget; changed only under this table's monitor. */
    private volatile boolean registered;

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
        return decide(key, permits, consume, -1);
    }

    /** Reserves {@code permits} for {@code key} due within {@code maxDelayNanos}, as {@link Meter#reserve} says. */
    Decision reserve(String key, long permits, long maxDelayNanos) {
        return decide(key, permits, true, maxDelayNanos);
    }

    /**
     * Gives back {@code permits} of {@code key} that a reservation took, as {@link Meter#giveBack} says; a key the
     * table no longer holds is left alone (its history was forgotten, which was lenient already).
     */
    void giveBack(String key, long permits) {
        S state = states.get(key);
        if (state == null) {
            return;
        }
        state.lock();
        try {
            if (state.removed()) {
                return;
            }
            long now = Math.max(clock.epochNanos(), state.touchedNanos);
            meter.giveBack(state, now, permits);
            state.touchedNanos = now;
        } finally {
            state.unlock();
        }
    }

    /** Decides with the meter: a reservation when {@code maxDelayNanos} is at least 0, else an acquisition or a peek. */
    private Decision decide(String key, long permits, boolean consume, long maxDelayNanos) {
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
                decision = maxDelayNanos >= 0
                        ? meter.reserve(state, now, permits, maxDelayNanos)
                        : meter.decide(state, now, permits, consume);
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

    /**
     * Applies {@code change} to {@code key}'s state under its lock, if the table holds one, and drops the state when it
     * is then spent. A key the table does not hold is left alone: nothing is inserted.
     */
    void update(String key, Consumer<S> change) {
        S state = states.get(key);
        if (state == null) {
            return;
        }
        state.lock();
        try {
            // dropped meanwhile: what it held is forgotten, and a fresh state is another's
            if (state.removed()) {
                return;
            }
            change.accept(state);
            if (meter.isSpent(state, Math.max(clock.epochNanos(), state.touchedNanos))) {
                drop(key, state);
            }
        } finally {
            state.unlock();
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

    /**
     * Counts this table among those sharing the budget, if it has one; nothing if it is counted already.
     * A table {@linkplain #close() closed} and then used again registers anew on its next insertion.
     */
    synchronized void register() {
        if (!registered) {
            held.register(this);
            registered = true;
        }
    }

    /** No longer counts this table among those sharing the budget, and drops every state. */
    void close() {
        synchronized (this) {
            registered = false;
            held.unregister(this);
        }
        clear();
    }

    /** Drops every state. */
    private void clear() {
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
    @Override
    public long bytesHeld() {
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

    /**
     * Evicts one state, the least recently touched of a sample, under this table's sweep lock: for this
     * table's own insertions past the budget, or for another table's when this one holds the most.
     */
    @Override
    public boolean shed() {
        sweepLock.lock();
        try {
            return evictOne();
        } finally {
            sweepLock.unlock();
        }
    }

    private void afterInsert(boolean overBudget) {
        if (!registered) {
            register();
        }
        if (overBudget || states.size() > maxKeys) {
            sweepLock.lock();
            try {
                sweep(SWEEP_PER_INSERT);
                while (states.size() > maxKeys) {
                    evictOne();
                }
            } finally {
                sweepLock.unlock();
            }
            // with this table's sweep lock released: the victim's is taken in its shed()
            while (held.overBudget()) {
                StateHolder victim = held.victim(this);
                if (victim != this && victim.shed()) {
                    continue;
                }
                if (!shed()) {
                    return;
                }
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

    /** Drops a dead state or the least recently touched of a sample; {@code false} when the table is empty. */
    private boolean evictOne() {
        long now = clock.epochNanos();
        String oldestKey = null;
        S oldest = null;
        for (int i = 0; i < EVICTION_SAMPLE; i++) {
            Map.Entry<String, S> entry = next();
            if (entry == null) {
                return false;
            }
            if (dropIfDead(entry.getKey(), entry.getValue(), now)) {
                return true;
            }
            S candidate = entry.getValue();
            if (oldest == null || candidate.touchedNanos < oldest.touchedNanos) {
                oldest = candidate;
                oldestKey = entry.getKey();
            }
        }
        oldest.lock();
        try {
            // if another thread dropped it first, it credited the bytes: progress all the same
            drop(oldestKey, oldest);
        } finally {
            oldest.unlock();
        }
        return true;
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
