package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;

/**
 * The events of {@code tollgate.events} as Tollgate's own consumers take them: gathered per event loop
 * and handed over together on {@link Addresses#EVENT_BATCHES}, so the recorder, the live counters and
 * the traffic alerts cost one hand-off per batch rather than one per request.
 */
public record EventBatch(List<RateLimitEvent> events) {

    public EventBatch {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }

    /**
     * Registers the codecs of {@link RateLimitEvent} and {@code EventBatch} on {@code vertx}, for code that
     * publishes them without a {@link Tollgate} (which registers them itself). Registering twice is harmless.
     */
    public static void registerCodecs(Vertx vertx) {
        EventCodec.registerOn(vertx);
    }

    public int size() {
        return events.size();
    }
}
