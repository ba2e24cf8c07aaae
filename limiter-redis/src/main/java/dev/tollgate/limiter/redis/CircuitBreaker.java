package dev.tollgate.limiter.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Keeps a dead server from costing every request a failed round trip: opens after
 * {@code failureThreshold} consecutive failures, lets nothing through for {@code cooldownNanos},
 * then lets one probe through and closes on its success. Thread-safe, lock-free.
 *
 * <p>Time is the monotonic {@code ticker}, not a limiter's clock: a limiter's clock may be a log's
 * time or a test's, and a cool-down is about the real world.
 */
final class CircuitBreaker {

    private final int failureThreshold;
    private final long cooldownNanos;
    private final LongSupplier ticker;
    private final AtomicReference<CircuitState> state = new AtomicReference<>(CircuitState.CLOSED);
    private final AtomicInteger failures = new AtomicInteger();
    private volatile long openedAt;

    CircuitBreaker(int failureThreshold, long cooldownNanos, LongSupplier ticker) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1, got " + failureThreshold);
        }
        if (cooldownNanos < 0) {
            throw new IllegalArgumentException("cooldown must not be negative, got " + cooldownNanos + " ns");
        }
        this.failureThreshold = failureThreshold;
        this.cooldownNanos = cooldownNanos;
        this.ticker = ticker;
    }

    /**
     * Whether a call may go to the server now. When the cool-down of an open circuit has passed, the
     * first caller gets {@code true} and becomes the probe; it must report {@link #onSuccess()} or
     * {@link #onFailure()}.
     */
    boolean tryPass() {
        CircuitState current = state.get();
        if (current == CircuitState.CLOSED) {
            return true;
        }
        return current == CircuitState.OPEN
                && ticker.getAsLong() - openedAt >= cooldownNanos
                && state.compareAndSet(CircuitState.OPEN, CircuitState.HALF_OPEN);
    }

    /** A call that was let through reached the server. */
    void onSuccess() {
        // reads first: this runs on every decision, and a write to a shared line costs every core
        if (failures.get() != 0) {
            failures.set(0);
        }
        if (state.get() == CircuitState.HALF_OPEN) {
            state.compareAndSet(CircuitState.HALF_OPEN, CircuitState.CLOSED);
        }
    }

    /** A call that was let through did not reach the server, or got no answer in time. */
    void onFailure() {
        CircuitState current = state.get();
        if (current == CircuitState.HALF_OPEN) {
            open(CircuitState.HALF_OPEN);
        } else if (current == CircuitState.CLOSED && failures.incrementAndGet() >= failureThreshold) {
            open(CircuitState.CLOSED);
        }
    }

    CircuitState state() {
        return state.get();
    }

    int failureThreshold() {
        return failureThreshold;
    }

    long cooldownNanos() {
        return cooldownNanos;
    }

    private void open(CircuitState from) {
        // the time first, so whoever sees OPEN sees when it opened
        long now = ticker.getAsLong();
        openedAt = now;
        if (state.compareAndSet(from, CircuitState.OPEN)) {
            failures.set(0);
        }
    }
}
