package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes Tollgate's events twice over: each one on {@code tollgate.events} as it is decided, and in
 * {@link EventBatch}es on {@code tollgate.events.batches} for the recorder, the live counters and the
 * traffic alerts. On an event loop the events wait in that loop's batch until it has finished the work
 * at hand — so the requests of one wake-up travel together — or until the batch holds
 * {@value #MAX_BATCH}; anywhere else each event is a batch of its own.
 *
 * <p>On a clustered bus the bodies are JSON — a {@link io.vertx.core.json.JsonObject} per event, a
 * {@link io.vertx.core.json.JsonArray} per batch — so that a node with nothing but Vert.x can consume them
 * (a body of Tollgate's own codecs would fail there for want of the codec); on a Vert.x of its own they are
 * the objects themselves, passed by reference.
 */
final class EventFeed {

    static final int MAX_BATCH = 256;

    private final EventBus bus;
    private final boolean clustered;
    private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

    /** A feed on {@code bus}; {@code clustered} puts JSON on it rather than objects. */
    EventFeed(EventBus bus, boolean clustered) {
        this.bus = bus;
        this.clustered = clustered;
    }

    void publish(RateLimitEvent event) {
        bus.publish(Addresses.EVENTS, clustered ? event.toJson() : event);
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            publishBatch(new EventBatch(List.of(event)));
            return;
        }
        // an event loop runs on one thread, so this thread's batch is the loop's, and the flush runs here too
        Pending batch = pending.get();
        if (batch.events.isEmpty()) {
            context.runOnContext(v -> flush(batch));
        }
        batch.events.add(event);
        if (batch.events.size() >= MAX_BATCH) {
            flush(batch);
        }
    }

    private void flush(Pending batch) {
        if (!batch.events.isEmpty()) {
            EventBatch events = new EventBatch(batch.events);
            batch.events.clear();
            publishBatch(events);
        }
    }

    private void publishBatch(EventBatch batch) {
        bus.publish(Addresses.EVENT_BATCHES, clustered ? batch.toJson() : batch);
    }

    private static final class Pending {
        final List<RateLimitEvent> events = new ArrayList<>();
    }
}
