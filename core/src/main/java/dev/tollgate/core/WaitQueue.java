package dev.tollgate.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The places of one delaying rule's queue on this node: how many of its requests wait for their permits at once,
 * at most the rule's {@link OnExceed#maxQueued()}. A request takes a place before it reserves and gives it back when
 * its wait ends, however it ends. Any thread may take and give back.
 */
final class WaitQueue {

    /** The queue of a rule that refuses: no place, ever. */
    static final WaitQueue NONE = new WaitQueue(0);

    private final int capacity;
    private final AtomicInteger waiting = new AtomicInteger();

    WaitQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Takes a place if one is free. */
    boolean enter() {
        while (true) {
            int now = waiting.get();
            if (now >= capacity) {
                return false;
            }
            if (waiting.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives a place back. */
    void leave() {
        waiting.decrementAndGet();
    }

    /** The places taken. */
    int waiting() {
        return waiting.get();
    }

    int capacity() {
        return capacity;
    }
}
