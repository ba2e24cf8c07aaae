package dev.tollgate.core;

import dev.tollgate.limiter.ConcurrencyLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The slots of concurrency rules a request holds while it is in flight. They must be given back exactly once,
 * whatever becomes of the request: {@link #release()} does it the first time it is called and nothing after, so
 * that every path that ends a request (the response sent, failed, the client gone) may call it. A {@link Verdict}
 * carries the slots of the request it admits; {@link RateLimitHandler} releases them when the response ends.
 */
public final class HeldSlots {

    /** No slot held: a request no concurrency rule admitted. */
    public static final HeldSlots NONE = new HeldSlots(List.of());

    private record Slot(ConcurrencyLimiter limiter, String key, long permits) {}

    private final List<Slot> slots;
    private final AtomicBoolean released = new AtomicBoolean();

    private HeldSlots(List<Slot> slots) {
        this.slots = slots;
    }

    /** Collects the slots of one request. */
    static final class Builder {
        private final List<Slot> slots = new ArrayList<>(1);

        /** {@code permits} slots taken under {@code limiter} for {@code key}. */
        Builder add(ConcurrencyLimiter limiter, String key, long permits) {
            slots.add(new Slot(limiter, key, permits));
            return this;
        }

        HeldSlots build() {
            return slots.isEmpty() ? NONE : new HeldSlots(List.copyOf(slots));
        }
    }

    static Builder builder() {
        return new Builder();
    }

    /** Whether no slot is held. */
    public boolean isEmpty() {
        return slots.isEmpty();
    }

    /** Whether {@link #release()} has been called. */
    public boolean released() {
        return released.get();
    }

    /**
     * Gives every slot back, the first time it is called; later calls do nothing. Never throws: a limiter that cannot
     * take a slot back now (Redis down) has it expire after its slot timeout.
     */
    public void release() {
        if (slots.isEmpty() || !released.compareAndSet(false, true)) {
            return;
        }
        for (Slot slot : slots) {
            try {
                slot.limiter().release(slot.key(), slot.permits());
            } catch (RuntimeException e) {
                // as a failed future: the backend takes the slot back after the slot timeout
            }
        }
    }

    @Override
    public String toString() {
        return "HeldSlots"
                + slots.stream().map(s -> s.key() + "×" + s.permits()).toList() + (released.get() ? " released" : "");
    }
}
