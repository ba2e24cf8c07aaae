package dev.tollgate.limiter.algorithms;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-key state of an in-process limiter, guarded by its own small lock: keys never contend with
 * each other. Subclasses add the algorithm's fields, read and written only with the lock held.
 *
 * <p>The lock is a compare-and-set on one field, released with a plain release store: one atomic
 * instruction per decision where a monitor takes two. A decision holds it for a few arithmetic
 * operations, so a waiter spins briefly and then yields its core.
 */
abstract class KeyState {

    private static final VarHandle LOCK;
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(KeyState.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through LOCK
    private volatile int locked;

    /** The latest time this key was decided at; also the floor under a clock that steps back. */
    long touchedNanos;

    /** Set, under the lock, when the table drops this state: a decision in flight must look again. */
    boolean removed;

    final void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            contend();
        }
    }

    final void unlock() {
        LOCK.setRelease(this, 0);
    }

    private void contend() {
        int spins = 0;
        while (!LOCK.compareAndSet(this, 0, 1)) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
