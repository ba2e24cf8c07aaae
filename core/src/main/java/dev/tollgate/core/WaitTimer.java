package dev.tollgate.core;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Lets a delayed request go on once its delay has passed, without blocking an event loop: Vert.x timers
 * ({@link #of(Vertx)}) by default; tests give one driven by their own clock, so that release times are exact.
 *
 * <p>An implementation runs each task once, on the context that {@linkplain #schedule scheduled} it (the request's
 * event loop), no sooner than its delay after it was scheduled, as the limiters' clock counts; tasks due at the same
 * time run in the order they were scheduled; a task {@linkplain #cancel cancelled} before it runs never runs.
 */
public interface WaitTimer {

    /** Runs {@code task} once, {@code delayNanos} from now, on the caller's context; returns its id for {@link #cancel}. */
    long schedule(long delayNanos, Runnable task);

    /** Keeps the task {@code id} from running; {@code false} when it ran or was cancelled already. */
    boolean cancel(long id);

    /** Vert.x timers of {@code vertx}: the delay rounded up to whole milliseconds, as Vert.x counts them. */
    static WaitTimer of(Vertx vertx) {
        return new WaitTimer() {
            @Override
            public long schedule(long delayNanos, Runnable task) {
                long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999));
                return vertx.setTimer(millis, id -> task.run());
            }

            @Override
            public boolean cancel(long id) {
                return vertx.cancelTimer(id);
            }
        };
    }
}
