package dev.tollgate.limiter.algorithms;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-key state of an in-process limiter, guarded by its own small lock: keys never contend with
 * each other. Subclasses add the algorithm's fields, read and written only with the lock held.
 *
 * <p>The lock is a compare-and-set on one field, released with a plain release store: one atomic
 * instruction per decision where a monitor takes two. A decision holds it for a few arithmetic
 * operations, so a waiter spins briefly and then yields its core. The same field says whether the
 * table has dropped the state, so that the whole base costs 12 bytes beside the object header
 * (a state is one of a million or more).
 */
abstract class KeyState {

    private static final VarHandle WORD;
    private static final int LOCKED = 1;
    private static final int REMOVED = 2;
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(KeyState.class, "word", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #LOCKED} while a thread holds the lock, {@link #REMOVED} once the table has dropped the state. */
    @SuppressWarnings("unused") // through WORD
    private volatile int word;

    /**
     * The latest time this key was decided at, written by the table after every decision that may
     * take permits; also the floor under a clock that steps back, and so the time at which a meter's
     * state was last brought up to date.
     */
    long touchedNanos;

    final void lock() {
        if (!WORD.compareAndSet(this, 0, LOCKED)) {
            contend();
        }
    }

    final void unlock() {
        WORD.setRelease(this, (int) WORD.get(this) & REMOVED);
    }

    /**
     * Whether the table has dropped this state, so that a decision that found it must look again. Read
     * with the lock held.
     */
    final boolean removed() {
        return ((int) WORD.get(this) & REMOVED) != 0;
    }

    /** Marks the state dropped. Called with the lock held; {@link #unlock()} publishes it. */
    final void markRemoved() {
        WORD.set(this, LOCKED | REMOVED);
    }

    // the lock is held for a few instructions: spin, then yield the core to its holder rather than park
    @SuppressWarnings("ThreadPriorityCheck")
    private void contend() {
        int spins = 0;
        while (true) {
            int word = (int) WORD.getVolatile(this);
            if ((word & LOCKED) == 0 && WORD.compareAndSet(this, word, word | LOCKED)) {
                return;
            }
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
