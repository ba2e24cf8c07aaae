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
 */
final class EventFeed {

    static final int MAX_BATCH = 256;

    private final EventBus bus;
    private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

    EventFeed(EventBus bus) {
        this.bus = bus;
    }

    void publish(RateLimitEvent event) {
        bus.publish(Addresses.EVENTS, event);
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            bus.publish(Addresses.EVENT_BATCHES, new EventBatch(List.of(event)));
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
            bus.publish(Addresses.EVENT_BATCHES, events);
        }
    }

    private static final class Pending {
        final List<RateLimitEvent> events = new ArrayList<>();
    }
}
