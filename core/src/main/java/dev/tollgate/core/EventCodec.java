package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Carries {@link RateLimitEvent}s on the event bus: the same immutable object within a JVM, its JSON
 * between cluster nodes.
 */
final class EventCodec implements MessageCodec<RateLimitEvent, RateLimitEvent> {

    static final String NAME = "tollgate-rate-limit-event";

    /** Registers the codec on {@code vertx} unless it is there already. */
    static void registerOn(Vertx vertx) {
        try {
            vertx.eventBus().registerDefaultCodec(RateLimitEvent.class, new EventCodec());
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
}
