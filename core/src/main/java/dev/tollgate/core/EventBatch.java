package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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

    /**
     * The batch a message of {@link Addresses#EVENT_BATCHES} carries: the batch itself on a Vert.x of its own,
     * a {@link JsonArray} of the events' JSON on a clustered one.
     *
     * @throws IllegalArgumentException for a body that is neither
     */
    public static EventBatch from(Object body) {
        if (body instanceof EventBatch batch) {
            return batch;
        }
        if (body instanceof JsonArray array) {
            List<RateLimitEvent> events = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                events.add(RateLimitEvent.fromJson(array.getJsonObject(i)));
            }
            return new EventBatch(events);
        }
        throw new IllegalArgumentException("expected an EventBatch or a JsonArray of events, got "
                + (body == null ? "null" : body.getClass().getName()));
    }

    /** The events' JSON, in order: the body of {@link Addresses#EVENT_BATCHES} on a clustered bus. */
    public JsonArray toJson() {
        List<Object> json = new ArrayList<>(events.size());
        for (RateLimitEvent event : events) {
            json.add(event.toJson());
        }
        return new JsonArray(json);
    }

    /**
     * The event a message of {@link Addresses#EVENTS} carries: the event itself on a Vert.x of its own, a
     * {@link JsonObject} on a clustered one.
     *
     * @throws IllegalArgumentException for a body that is neither
     */
    public static RateLimitEvent event(Object body) {
        if (body instanceof RateLimitEvent event) {
            return event;
        }
        if (body instanceof JsonObject json) {
            return RateLimitEvent.fromJson(json);
        }
        throw new IllegalArgumentException("expected a RateLimitEvent or its JsonObject, got "
                + (body == null ? "null" : body.getClass().getName()));
    }

    public int size() {
        return events.size();
    }
}
