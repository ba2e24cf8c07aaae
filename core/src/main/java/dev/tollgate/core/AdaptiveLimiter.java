package dev.tollgate.core;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.NanoClock;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limiter of an adaptive rule: a {@link ConcurrencyLimiter} whose limit per key an {@link AdaptiveAlgorithm}
 * moves, from the sample each request gives when it {@linkplain #complete completes}. Its state is this node's
 * alone, on every backend: a latency is what this node saw of the upstream, and the limit protects the upstream from
 * this node's share of the load.
 *
 * <p>A key's state outlives its requests, so that what the limit learnt stays; at {@code maxKeys} keys, those with
 * nothing in flight are dropped, and a new key finding the table still full is admitted without a count (lenient,
 * never strict), as every local limiter past its bounds.
 */
final class AdaptiveLimiter implements ConcurrencyLimiter {

    private static final long RETRY_AFTER_NANOS = RETRY_AFTER.toNanos();

    /** One key: its algorithm and its requests in flight, guarded by the state's own lock. */
    private static final class KeyState {
        private final AdaptiveAlgorithm algorithm;
        private int inFlight;
        /** Dropped from the table: an acquisition that finds it so starts over with the table's current state. */
        private boolean retired;

        KeyState(AdaptiveOptions options) {
            this.algorithm = AdaptiveAlgorithm.of(options);
        }
    }

    private final LimitSpec spec;
    private final AdaptiveOptions options;
    private final NanoClock clock;
    private final long maxKeys;
    private final Map<String, KeyState> keys = new ConcurrentHashMap<>();

    AdaptiveLimiter(LimitSpec spec, AdaptiveOptions options, NanoClock clock, long maxKeys) {
        this.spec = spec;
        this.options = options;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    @Override
    public LimitSpec spec() {
        return spec;
    }

    /** The options the limit moves by. */
    AdaptiveOptions options() {
        return options;
    }

    /** The clock admissions and completions are timed by. */
    long now() {
        return clock.epochNanos();
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        if (key == null || key.isEmpty() || permits < 1 || permits > options.maxLimit()) {
            return Future.failedFuture(new IllegalArgumentException(
                    "an adaptive limiter takes a key and 1 to " + options.maxLimit() + " permits, got " + permits));
        }
        String bounded = LimiterKeys.bounded(key);
        long now = clock.epochNanos();
        while (true) {
            KeyState state = stateFor(bounded);
            if (state == null) {
                return Future.succeededFuture(
                        new Decision(true, options.initialLimit(), options.initialLimit(), 0, now, 0));
            }
            synchronized (state) {
                if (state.retired) {
                    continue;
                }
                int limit = state.algorithm.limit();
                if (state.inFlight + permits <= limit) {
                    state.inFlight += (int) permits;
                    return Future.succeededFuture(
                            new Decision(true, limit, limit - state.inFlight, state.inFlight, now, 0));
                }
                return Future.succeededFuture(new Decision(
                        false,
                        limit,
                        Math.max(0, limit - state.inFlight),
                        state.inFlight,
                        now + RETRY_AFTER_NANOS,
                        RETRY_AFTER_NANOS));
            }
        }
    }

    /** The key's state, made when new; null when the table is full of keys with requests in flight. */
    private KeyState stateFor(String key) {
        KeyState state = keys.get(key);
        if (state != null) {
            return state;
        }
        if (keys.size() >= maxKeys) {
            dropIdleKeys();
            if (keys.size() >= maxKeys) {
                return null;
            }
        }
        return keys.computeIfAbsent(key, k -> new KeyState(options));
    }

    private void dropIdleKeys() {
        keys.forEach((key, state) -> {
            synchronized (state) {
                if (state.inFlight == 0) {
                    state.retired = true;
                    keys.remove(key, state);
                }
            }
        });
    }

    @Override
    public Future<Decision> peek(String key) {
        long now = clock.epochNanos();
        KeyState state = key == null ? null : keys.get(LimiterKeys.bounded(key));
        if (state == null) {
            return Future.succeededFuture(
                    new Decision(true, options.initialLimit(), options.initialLimit(), 0, now, 0));
        }
        synchronized (state) {
            int limit = state.algorithm.limit();
            boolean fits = state.inFlight + spec.cost() <= limit;
            return Future.succeededFuture(new Decision(
                    fits,
                    limit,
                    Math.max(0, limit - state.inFlight),
                    state.inFlight,
                    fits ? now : now + RETRY_AFTER_NANOS,
                    fits ? 0 : RETRY_AFTER_NANOS));
        }
    }

    /** Gives back {@code permits} slots of {@code key} without a sample: the limit stays where it is. */
    @Override
    public Future<Void> release(String key, long permits) {
        return complete(key, permits, Long.MIN_VALUE, false);
    }

    /**
     * Gives back {@code permits} slots of {@code key} admitted at {@code admittedNanos} (this limiter's clock), and
     * moves the limit by the sample: the time since then, and whether the request failed (a 5xx, or no response).
     */
    Future<Void> complete(String key, long permits, long admittedNanos, boolean dropped) {
        if (key == null || key.isEmpty() || permits < 1) {
            return Future.failedFuture(
                    new IllegalArgumentException("a release takes a key and at least one permit, got " + permits));
        }
        KeyState state = keys.get(LimiterKeys.bounded(key));
        if (state == null) {
            return Future.succeededFuture();
        }
        synchronized (state) {
            if (state.inFlight == 0) {
                return Future.succeededFuture();
            }
            if (admittedNanos != Long.MIN_VALUE) {
                long now = clock.epochNanos();
                state.algorithm.sample(Math.max(0, now - admittedNanos), state.inFlight, dropped, now);
            }
            state.inFlight -= (int) Math.min(permits, state.inFlight);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> reset(String key) {
        KeyState state = key == null ? null : keys.get(LimiterKeys.bounded(key));
        if (state != null) {
            synchronized (state) {
                state.retired = true;
                keys.remove(LimiterKeys.bounded(key), state);
            }
        }
        return Future.succeededFuture();
    }

    /** The limit of the one key of a {@code key: global} rule; with several keys the lowest; before any, the initial. */
    int currentLimit() {
        int lowest = Integer.MAX_VALUE;
        for (KeyState state : keys.values()) {
            synchronized (state) {
                lowest = Math.min(lowest, state.algorithm.limit());
            }
        }
        return lowest == Integer.MAX_VALUE ? options.initialLimit() : lowest;
    }

    @Override
    public Future<Void> close() {
        keys.clear();
        return Future.succeededFuture();
    }

    @Override
    public String toString() {
        return "adaptive " + options.describe();
    }
}
