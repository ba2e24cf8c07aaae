package dev.tollgate.core;

import dev.tollgate.limiter.ConcurrencyLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The slots of concurrency rules a request holds while it is in flight. They must be given back exactly once,
 * whatever becomes of the request: {@link #release()} does it the first time it is called and nothing after, so
 * that every path that ends a request (the response sent, failed, the client gone) may call it. A {@link Verdict}
 * carries the slots of the request it admits; {@link RateLimitHandler} releases them when the response ends.
 *
 * <p>The slots of an adaptive rule also give its limit a sample when they come back: the time since the request was
 * admitted and how it ended ({@link #release(int)}).
 */
public final class HeldSlots {

    /** No slot held: a request no concurrency rule admitted. */
    public static final HeldSlots NONE = new HeldSlots(List.of());

    /**
     * Slots taken under {@code limiter}, counted in {@code held} (its rule's slots held on this node) until they are
     * given back; {@code admittedNanos} on an adaptive limiter's clock, else unused.
     */
    private record Slot(ConcurrencyLimiter limiter, String key, long permits, AtomicLong held, long admittedNanos) {}

    /** The status {@link #release(int)} takes for a request that got no response. */
    public static final int NO_RESPONSE = 0;

    private final List<Slot> slots;
    private final AtomicBoolean released = new AtomicBoolean();

    private HeldSlots(List<Slot> slots) {
        this.slots = slots;
    }

    /** Collects the slots of one request. */
    static final class Builder {
        private final List<Slot> slots = new ArrayList<>(1);

        /** {@code permits} slots taken under {@code limiter} for {@code key}, added to {@code held} until given back. */
        Builder add(ConcurrencyLimiter limiter, String key, long permits, AtomicLong held) {
            long admitted = limiter instanceof AdaptiveLimiter adaptive ? adaptive.now() : 0;
            held.addAndGet(permits);
            slots.add(new Slot(limiter, key, permits, held, admitted));
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
     * take a slot back now (Redis down) has it expire after its slot timeout. An adaptive rule's limit takes the
     * request as one that went well, its latency alone telling; {@link #release(int)} says how it ended.
     */
    public void release() {
        release(200);
    }

    /**
     * Gives every slot back as {@link #release()} does, the request having ended with a response of {@code status}, or
     * {@link #NO_RESPONSE}: an adaptive rule's limit counts a 5xx or no response as a failure.
     */
    public void release(int status) {
        give(true, status >= 500 || status <= NO_RESPONSE);
    }

    /** Gives every slot back without a sample: the request never reached what an adaptive rule protects. */
    void releaseUnsampled() {
        give(false, false);
    }

    private void give(boolean sampled, boolean dropped) {
        if (slots.isEmpty() || !released.compareAndSet(false, true)) {
            return;
        }
        for (Slot slot : slots) {
            slot.held().addAndGet(-slot.permits());
            try {
                if (sampled && slot.limiter() instanceof AdaptiveLimiter adaptive) {
                    adaptive.complete(slot.key(), slot.permits(), slot.admittedNanos(), dropped);
                } else {
                    slot.limiter().release(slot.key(), slot.permits());
                }
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
