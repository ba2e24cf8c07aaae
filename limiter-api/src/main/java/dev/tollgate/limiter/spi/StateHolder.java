package dev.tollgate.limiter.spi;

import dev.tollgate.limiter.MemoryBudget;

/**
 * An in-process limiter's per-key state, as the {@link MemoryBudget} it charges sees it: what lets the
 * budget weigh the limiters sharing it and make the one holding the most give bytes back.
 *
 * <p>An implementation:
 * <ol>
 *   <li>{@linkplain MemoryBudget#register(StateHolder) registers} with the budget when it is made and
 *       {@linkplain MemoryBudget#unregister(StateHolder) unregisters} when it is closed; the budget holds
 *       it weakly, so one that is never closed is dropped from the budget once collected;</li>
 *   <li>answers {@link #bytesHeld()} with the sum of the estimates it has charged and not credited, quickly
 *       and without waiting for a lock: the budget reads it of every holder when it is over its limit;</li>
 *   <li>in {@link #shed()}, drops at least one of its states, the least recently touched of a sample,
 *       credits its bytes to the budget, and answers {@code false} only when it holds nothing. It may wait
 *       for its own eviction lock but must hold no other holder's while it does, so that a limiter
 *       shedding for another can never deadlock with one shedding for it.</li>
 * </ol>
 */
public interface StateHolder {

    /** The bytes of state held now, by the estimates charged to the budget. */
    long bytesHeld();

    /**
     * Drops at least one state, the least recently touched of a sample, crediting its bytes.
     *
     * @return {@code false} when there was nothing to drop
     */
    boolean shed();
}
