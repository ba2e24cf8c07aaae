package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import java.time.Duration;
import java.util.Objects;

/**
 * The event of a served request in gateway mode, held back until the upstream has answered so that it can carry
 * the upstream's status and latency. It is published exactly once: by {@link #answered} when the upstream's
 * response head arrives, by {@link #failed} when the upstream could not be reached or did not answer in time, or,
 * whichever comes first, when the request's response ends or its connection closes (the client went away): then
 * without upstream facts. Confined to the request's event loop.
 */
public final class UpstreamEvent {

    private final Tollgate tollgate;
    private final RateLimitEvent event;
    private boolean published;

    UpstreamEvent(Tollgate tollgate, RateLimitEvent event) {
        this.tollgate = tollgate;
        this.event = Objects.requireNonNull(event, "event");
    }

    /** The event as decided, without upstream facts. */
    public RateLimitEvent event() {
        return event;
    }

    /** Publishes the event with the upstream's {@code status} and the {@code latency} of its response head. */
    public void answered(int status, Duration latency) {
        publish(event.withUpstream(status, latency));
    }

    /** Publishes the event without upstream facts: the upstream failed (the client gets a 502 or 504). */
    public void failed() {
        publish(event);
    }

    /** Whether the event has been published. */
    public boolean published() {
        return published;
    }

    private void publish(RateLimitEvent complete) {
        if (!published) {
            published = true;
            tollgate.publish(complete);
        }
    }
}
