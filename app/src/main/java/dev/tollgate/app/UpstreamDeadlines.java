package dev.tollgate.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * {@code gateway.timeout}: an upstream request whose response head has not arrived within the timeout of the
 * request's creation is reset with a {@link TimeoutException} (the client then gets 504), as Vert.x's own
 * {@code RequestOptions.setIdleTimeout} would — without a timer set and cancelled for every request.
 *
 * <p>Every request of one event loop has the same timeout, so the requests waiting for their heads, in the order
 * they were made, are also in the order of their deadlines: they wait in a linked list, each leaving it in constant
 * time when its head (or a failure) arrives, and one timer at a time is set, for the first deadline. When it fires it
 * resets the requests whose deadline has passed and is set again for the next one, if any.
 *
 * <p>One per event loop: it and its requests are confined to the gateway verticle's context.
 */
final class UpstreamDeadlines {

    private static final Duration FOREVER = Duration.ofDays(3650);

    private final Vertx vertx;
    private final long timeoutNanos;
    private final LongSupplier nanoTime;
    private final String message;
    /** The oldest waiting request and the newest: the list runs from first to last by creation and deadline. */
    private Waiting first;

    private Waiting last;
    /** The timer set for {@link #first}'s deadline or an earlier one; -1 when none is set. */
    private long timer = -1;

    UpstreamDeadlines(Vertx vertx, Duration timeout) {
        this(vertx, timeout, System::nanoTime);
    }

    UpstreamDeadlines(Vertx vertx, Duration timeout, LongSupplier nanoTime) {
        this.vertx = vertx;
        // ten years is forever here, and keeps a deadline's nanoseconds from overflowing
        this.timeoutNanos = timeout.compareTo(FOREVER) < 0 ? timeout.toNanos() : FOREVER.toNanos();
        this.nanoTime = nanoTime;
        this.message = "the upstream sent nothing for " + timeout.toMillis() + " ms";
    }

    /** Watches the request {@code created} gives, once it is there; returns {@code created}. */
    Future<HttpClientRequest> watch(Future<HttpClientRequest> created) {
        return created.onSuccess(this::watch);
    }

    /** Watches {@code request} from now until its response head arrives or it fails. */
    void watch(HttpClientRequest request) {
        Waiting entry = new Waiting(request, nanoTime.getAsLong() + timeoutNanos);
        if (last == null) {
            first = entry;
        } else {
            last.next = entry;
            entry.previous = last;
        }
        last = entry;
        request.response().onComplete(answered -> leave(entry));
        if (timer == -1) {
            schedule(timeoutNanos);
        }
    }

    /** How many requests wait for their response heads; for tests. */
    int waiting() {
        int waiting = 0;
        for (Waiting entry = first; entry != null; entry = entry.next) {
            waiting++;
        }
        return waiting;
    }

    /**
     * Resets every waiting request whose deadline is {@code now} or earlier; returns the nanoseconds until the next
     * deadline, or -1 when no request waits.
     */
    long expire(long now) {
        while (first != null && first.deadline - now <= 0) {
            Waiting expired = first;
            leave(expired);
            expired.request.reset(0, new UpstreamTimeoutException(message));
        }
        return first == null ? -1 : first.deadline - now;
    }

    private void fire() {
        timer = -1;
        long next = expire(nanoTime.getAsLong());
        if (next >= 0) {
            schedule(next);
        }
    }

    private void schedule(long nanos) {
        // rounded up: a timer never fires before the deadline it is for
        timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)), id -> fire());
    }

    private void leave(Waiting entry) {
        if (entry.left) {
            return;
        }
        entry.left = true;
        if (entry.previous == null) {
            first = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            last = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
    }

    private static final class Waiting {
        final HttpClientRequest request;
        final long deadline;
        Waiting previous;
        Waiting next;
        boolean left;

        Waiting(HttpClientRequest request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }
    }

    /** The cause of a reset for want of a response head: a timeout without a stack trace (it says all there is). */
    static final class UpstreamTimeoutException extends TimeoutException {
        private static final long serialVersionUID = 1L;

        UpstreamTimeoutException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
