package dev.tollgate.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Whether the limiter backend answers, from the decisions it makes: the first failure opens an outage and
 * logs one line, the next decision that succeeds closes it and logs one more, with the number of requests
 * decided by {@code failOpen} meanwhile. In between nothing is logged, however many requests fail, so an
 * unreachable Redis writes two lines, not one per request. Every failure is counted in the metrics
 * ({@code tollgate_limiter_failures_total}). A decision that succeeds costs one volatile read.
 */
final class LimiterHealth {

    private static final Logger LOG = Logger.getLogger(LimiterHealth.class.getName());

    /** An outage in progress: since when, why, and the decisions it forced. */
    private record Outage(long sinceMillis, String cause, LongAdder forced) {}

    private final boolean failOpen;
    private final TollgateMetrics metrics;
    private final AtomicReference<Outage> outage = new AtomicReference<>();

    LimiterHealth(boolean failOpen, TollgateMetrics metrics) {
        this.failOpen = failOpen;
        this.metrics = metrics;
    }

    /** A decision of {@code rule} failed with {@code cause}; the request is decided by {@code failOpen}. */
    void failed(String rule, Throwable cause) {
        metrics.limiterFailure();
        Outage current = outage.get();
        if (current == null) {
            Outage started = new Outage(System.currentTimeMillis(), describe(cause), new LongAdder());
            if (outage.compareAndSet(null, started)) {
                LOG.warning("the limiter backend is failing (rule '" + rule + "': " + started.cause()
                        + "); requests are "
                        + (failOpen ? "let through (limiter.failOpen)" : "refused with 503 (limiter.failOpen: false)")
                        + " until it answers again");
            }
            current = outage.get();
        }
        if (current != null) {
            current.forced().increment();
        }
    }

    /** A decision succeeded: an outage in progress ends. */
    void answered() {
        if (outage.get() == null) {
            return;
        }
        Outage ended = outage.getAndSet(null);
        if (ended != null) {
            Duration lasted = Duration.ofMillis(System.currentTimeMillis() - ended.sinceMillis());
            LOG.info("the limiter backend answers again after " + lasted.toSeconds() + " s; "
                    + ended.forced().sum() + " request(s) were " + (failOpen ? "let through" : "refused")
                    + " by limiter.failOpen meanwhile");
        }
    }

    /** Why the limiter backend is not well, for {@code /health}: the outage in progress; empty when none is. */
    Optional<String> degradedReason() {
        return Optional.ofNullable(outage.get())
                .map(o -> "the limiter backend is failing since " + Instant.ofEpochMilli(o.sinceMillis()) + " ("
                        + o.cause() + "); " + o.forced().sum() + " request(s) decided by limiter.failOpen");
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
