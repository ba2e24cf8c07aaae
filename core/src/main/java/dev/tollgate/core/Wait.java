package dev.tollgate.core;

import dev.tollgate.limiter.RateLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wait of a request that delaying rules admitted with a delay ({@code onExceed: delay}): how long it must wait
 * before it goes on, and the places it holds in those rules' queues meanwhile. The wait ends once, one way or the
 * other: {@link #end()} when it is over and the request goes on, {@link #cancel()} when the request will not go on
 * (the client went away, another rule refused it), which also gives its reserved permits back to the limiters. Either
 * frees the places; whichever comes second does nothing.
 */
public final class Wait {

    /** No wait: the request goes on at once. */
    public static final Wait NONE = new Wait(0, List.of());

    private static final int WAITING = 0;
    private static final int ENDED = 1;
    private static final int CANCELLED = 2;

    private record Place(WaitQueue queue, RateLimiter limiter, String key, long permits) {}

    private final long delayNanos;
    private final List<Place> places;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    private Wait(long delayNanos, List<Place> places) {
        this.delayNanos = delayNanos;
        this.places = places;
    }

    /** How long the request must wait before it goes on, in nanoseconds: the longest of its rules' delays. */
    public long delayNanos() {
        return delayNanos;
    }

    /** Whether the request goes on at once. */
    public boolean isEmpty() {
        return places.isEmpty();
    }

    /**
     * The wait is over and the request goes on: frees its queue places. Returns {@code true} the first time, when
     * the wait was not cancelled.
     */
    public boolean end() {
        if (places.isEmpty() || !state.compareAndSet(WAITING, ENDED)) {
            return false;
        }
        places.forEach(place -> place.queue().leave());
        return true;
    }

    /**
     * The request will not go on: frees its queue places and gives its reserved permits back. Returns {@code true}
     * the first time, when the wait had not ended. Never throws: a limiter that cannot give the permits back keeps
     * them.
     */
    public boolean cancel() {
        if (places.isEmpty() || !state.compareAndSet(WAITING, CANCELLED)) {
            return false;
        }
        for (Place place : places) {
            place.queue().leave();
            try {
                place.limiter().cancelReservation(place.key(), place.permits());
            } catch (RuntimeException e) {
                // as a failed future: the permits stay taken, which is strict, never lenient
            }
        }
        return true;
    }

    /** Whether the wait ended one way or the other. */
    public boolean over() {
        return state.get() != WAITING;
    }

    /** Collects the places of one request. */
    static final class Builder {
        private final List<Place> places = new ArrayList<>(1);
        private long delayNanos;

        /** A place in {@code queue}, for {@code permits} of {@code key} reserved under {@code limiter}, due after {@code delayNanos}. */
        Builder add(WaitQueue queue, RateLimiter limiter, String key, long permits, long delayNanos) {
            places.add(new Place(queue, limiter, key, permits));
            this.delayNanos = Math.max(this.delayNanos, delayNanos);
            return this;
        }

        Wait build() {
            return places.isEmpty() ? NONE : new Wait(delayNanos, List.copyOf(places));
        }
    }

    static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "Wait[" + delayNanos + " ns, " + places.size() + " place(s)" + (over() ? ", over" : "") + "]";
    }
}
