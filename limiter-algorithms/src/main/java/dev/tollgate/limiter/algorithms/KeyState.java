package dev.tollgate.limiter.algorithms;

/**
 * Per-key state of an in-process limiter. Guarded by its own monitor: keys never contend with each
 * other. Subclasses add the algorithm's fields.
 */
abstract class KeyState {

    /** The latest time this key was decided at; also the floor under a clock that steps back. */
    long touchedNanos;

    /** Set, under the monitor, when the table drops this state: a decision in flight must look again. */
    boolean removed;
}
