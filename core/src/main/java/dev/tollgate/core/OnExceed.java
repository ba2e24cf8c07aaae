package dev.tollgate.core;

import dev.tollgate.plugin.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * What a rate rule does with a request over its rate: refuse it at once ({@link #REFUSE}, the default), or
 * {@linkplain #delay delay} it until its permits are due, as nginx's {@code limit_req} does without {@code nodelay}.
 * A delayed request waits at most {@code maxDelay}; one whose permits are due later is refused. At most
 * {@code maxQueued} requests wait per rule on each node; past that, the rule refuses what is over its rate, as a
 * refusing rule does.
 *
 * @param delays    whether a request over the rate waits for its permits
 * @param maxDelay  the longest a request may wait; zero when the rule refuses
 * @param maxQueued the most requests waiting under the rule at once on this node; zero when the rule refuses
 */
public record OnExceed(boolean delays, Duration maxDelay, int maxQueued) {

    /** Refuse a request over the rate at once: the default. */
    public static final OnExceed REFUSE = new OnExceed(false, Duration.ZERO, 0);

    /** The longest {@code maxDelay}: a request held longer is better told to come back. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);

    /** The {@code maxQueued} of a rule that names none. */
    public static final int DEFAULT_MAX_QUEUED = 1000;

    /** The largest {@code maxQueued}: every waiting request holds a connection and a timer. */
    public static final int MAX_QUEUED = 100_000;

    public OnExceed {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (delays) {
            if (maxDelay.isNegative() || maxDelay.isZero() || maxDelay.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException("maxDelay must be more than 0 and at most "
                        + Durations.format(MAX_DELAY) + ", got " + Durations.format(maxDelay));
            }
            if (maxQueued < 1 || maxQueued > MAX_QUEUED) {
                throw new IllegalArgumentException(
                        "maxQueued must be between 1 and " + MAX_QUEUED + ", got " + maxQueued);
            }
        } else if (!maxDelay.isZero() || maxQueued != 0) {
            throw new IllegalArgumentException("a refusing rule has no maxDelay or maxQueued");
        }
    }

    /** Delay a request over the rate up to {@code maxDelay}, with at most {@code maxQueued} waiting at once. */
    public static OnExceed delay(Duration maxDelay, int maxQueued) {
        return new OnExceed(true, maxDelay, maxQueued);
    }

    /** As configuration spells it: {@code refuse} or {@code delay}. */
    public String id() {
        return delays ? "delay" : "refuse";
    }
}
