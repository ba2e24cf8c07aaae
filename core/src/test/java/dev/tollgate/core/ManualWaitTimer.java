package dev.tollgate.core;

import dev.tollgate.limiter.ManualClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link WaitTimer} that follows a {@link ManualClock}: a task is due at the clock's time when it was scheduled plus
 * its delay, and runs, on the context that scheduled it, when the test moves the clock to that time or past it
 * ({@link #advanceTo}), tasks due first running first. Thread-safe.
 */
final class ManualWaitTimer implements WaitTimer {

    private record Task(long id, long dueNanos, Context context, Runnable run) {}

    private final ManualClock clock;
    private final List<Task> pending = new ArrayList<>();
    private long nextId;

    ManualWaitTimer(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized long schedule(long delayNanos, Runnable task) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("a wait is scheduled from the request's event loop");
        }
        long id = nextId++;
        pending.add(new Task(id, clock.epochNanos() + delayNanos, context, task));
        return id;
    }

    @Override
    public synchronized boolean cancel(long id) {
        return pending.removeIf(task -> task.id() == id);
    }

    /** Moves the clock to {@code instant} and runs every task due by then, the earliest first. */
    void advanceTo(Instant instant) {
        List<Task> due;
        synchronized (this) {
            clock.set(instant);
            long now = clock.epochNanos();
            due = pending.stream()
                    .filter(task -> task.dueNanos() <= now)
                    .sorted(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::id))
                    .toList();
            pending.removeAll(due);
        }
        due.forEach(task -> task.context().runOnContext(v -> task.run().run()));
    }

    /** How many tasks wait to run. */
    synchronized int pending() {
        return pending.size();
    }

    /** When the earliest task waiting is due. */
    synchronized Optional<Instant> nextDue() {
        return pending.stream().mapToLong(Task::dueNanos).min().stream()
                .mapToObj(nanos -> Instant.ofEpochSecond(0, nanos))
                .findFirst();
    }

    /** When each task waiting is due, earliest first. */
    synchronized List<Instant> dueTimes() {
        return pending.stream()
                .map(Task::dueNanos)
                .sorted()
                .map(nanos -> Instant.ofEpochSecond(0, nanos))
                .toList();
    }
}
