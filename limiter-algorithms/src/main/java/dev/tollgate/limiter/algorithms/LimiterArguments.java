package dev.tollgate.limiter.algorithms;

import io.vertx.core.Future;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/** What the local limiters check of every call, and how they make room in a full table of keys. */
final class LimiterArguments {

    private LimiterArguments() {}

    /** Refuses an empty key or fewer than one permit, as every limiter must. */
    static void check(String key, long permits) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
    }

    /** What {@code decide} answers, or its {@link IllegalArgumentException} as a failed future. */
    /** {@link #check} of {@code key} and {@code permits}, then {@code decide}: a bad argument fails the future. */
    static <T> Future<T> checkThenSettle(String key, long permits, Supplier<T> decide) {
        return settle(() -> {
            check(key, permits);
            return decide.get();
        });
    }

    static <T> Future<T> settle(Supplier<T> decide) {
        try {
            return Future.succeededFuture(decide.get());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Drops keys of {@code table}, in its iteration order, until fewer than {@code maxKeys} are left: the last resort
     * once the keys that could go without loss have gone; the dropped keys start again with a full allowance, which
     * is lenient to them, never strict.
     */
    static void dropUntilBelow(Map<String, ?> table, long maxKeys) {
        Iterator<String> keys = table.keySet().iterator();
        while (table.size() >= maxKeys && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
