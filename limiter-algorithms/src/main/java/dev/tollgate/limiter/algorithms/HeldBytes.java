package dev.tollgate.limiter.algorithms;

import dev.tollgate.limiter.MemoryBudget;
import dev.tollgate.limiter.spi.StateHolder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes of state one limiter holds, by the estimates of {@link StateFootprint}: counted for the
 * limiter and charged to the budget it shares with others, if it was given one. Thread-safe; touched
 * only when a key is taken or dropped, or a state grows.
 */
final class HeldBytes {

    private final LongAdder held = new LongAdder();
    /** {@code null} when the limiter has no budget. */
    private final MemoryBudget budget;

    HeldBytes(MemoryBudget budget) {
        this.budget = budget;
    }

    /** Counts {@code bytes} more; answers whether the shared budget is now over its limit. */
    boolean charge(long bytes) {
        held.add(bytes);
        return budget != null && budget.charge(bytes);
    }

    /** Counts {@code bytes} fewer. */
    void credit(long bytes) {
        held.add(-bytes);
        if (budget != null) {
            budget.credit(bytes);
        }
    }

    /** Whether the shared budget is over its limit. */
    boolean overBudget() {
        return budget != null && budget.exceeded();
    }

    /** Counts {@code holder} among the limiters sharing the budget, if there is one. */
    void register(StateHolder holder) {
        if (budget != null) {
            budget.register(holder);
        }
    }

    void unregister(StateHolder holder) {
        if (budget != null) {
            budget.unregister(holder);
        }
    }

    /** Which limiter must drop a state, {@code charging} having found the budget over its limit. */
    StateHolder victim(StateHolder charging) {
        return budget == null ? charging : budget.victim(charging);
    }

    long held() {
        return held.sum();
    }
}
