package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries {@link RateLimitEvent}s on the event bus: the same immutable object within a JVM, its JSON
 * between cluster nodes. {@link Batches} does the same for an {@link EventBatch}, as a JSON array. Tollgate's
 * own feed puts plain JSON on a clustered bus instead, which a node without these codecs can read; the codecs
 * carry the objects on a Vert.x of its own, and whatever code publishes the objects itself.
 */
final class EventCodec implements MessageCodec<RateLimitEvent, RateLimitEvent> {

    static final String NAME = "tollgate-rate-limit-event";

    /** Registers both codecs on {@code vertx}, each unless it is there already. */
    static void registerOn(Vertx vertx) {
        register(vertx, RateLimitEvent.class, new EventCodec());
        register(vertx, EventBatch.class, new Batches());
    }

    private static <T> void register(Vertx vertx, Class<T> type, MessageCodec<T, ?> codec) {
        try {
            vertx.eventBus().registerDefaultCodec(type, codec);
        } catch (IllegalStateException alreadyRegistered) {
            // another Tollgate on the same Vert.x instance did it
        }
    }

    @Override
    public void encodeToWire(Buffer buffer, RateLimitEvent event) {
        Buffer json = event.toJson().toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public RateLimitEvent decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return RateLimitEvent.fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
    }

    @Override
    public RateLimitEvent transform(RateLimitEvent event) {
        return event;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }

    /** The codec of {@link EventBatch}: the object itself within a JVM, a JSON array of events between nodes. */
    static final class Batches implements MessageCodec<EventBatch, EventBatch> {

        @Override
        public void encodeToWire(Buffer buffer, EventBatch batch) {
            JsonArray events = new JsonArray(new ArrayList<>(batch.size()));
            batch.events().forEach(event -> events.add(event.toJson()));
            Buffer json = events.toBuffer();
            buffer.appendInt(json.length()).appendBuffer(json);
        }

        @Override
        public EventBatch decodeFromWire(int pos, Buffer buffer) {
            int length = buffer.getInt(pos);
            JsonArray events = new JsonArray(buffer.getBuffer(pos + 4, pos + 4 + length));
            List<RateLimitEvent> decoded = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                decoded.add(RateLimitEvent.fromJson(events.getJsonObject(i)));
            }
            return new EventBatch(decoded);
        }

        @Override
        public EventBatch transform(EventBatch batch) {
            return batch;
        }

        @Override
        public String name() {
            return "tollgate-event-batch";
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }
}
