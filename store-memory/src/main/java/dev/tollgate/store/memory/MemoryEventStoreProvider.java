package dev.tollgate.store.memory;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.spi.EventStoreProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens {@link MemoryEventStore}s under the name {@value #NAME}. Configuration (the {@code events.memory}
 * section): {@code maxEvents}, a whole number of at least 1, default
 * {@value MemoryEventStore#DEFAULT_MAX_EVENTS}; any other key is refused as a likely typo.
 */
public final class MemoryEventStoreProvider implements EventStoreProvider {

    /** The store's name in configurations. */
    public static final String NAME = "memory";
    /** The configuration key of the bound on the number of events. */
    public static final String MAX_EVENTS = "maxEvents";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Future<EventStore> open(Vertx vertx, JsonObject config, Clock clock) {
        try {
            return Future.succeededFuture(MemoryEventStore.create(vertx, clock, maxEvents(config)));
        } catch (EventStoreException e) {
            return Future.failedFuture(e);
        }
    }

    private static long maxEvents(JsonObject config) {
        Set<String> unknown = new TreeSet<>(config.fieldNames());
        unknown.remove(MAX_EVENTS);
        if (!unknown.isEmpty()) {
            throw new EventStoreException("the memory event store has no setting " + String.join(", ", unknown)
                    + "; it knows only " + MAX_EVENTS);
        }
        Object value = config.getValue(MAX_EVENTS);
        if (value == null) {
            return MemoryEventStore.DEFAULT_MAX_EVENTS;
        }
        long maxEvents;
        if (value instanceof Integer || value instanceof Long) {
            maxEvents = ((Number) value).longValue();
        } else if (value instanceof String text && text.trim().matches("[0-9]{1,18}")) {
            maxEvents = Long.parseLong(text.trim());
        } else {
            maxEvents = 0;
        }
        if (maxEvents < 1) {
            throw new EventStoreException("the memory event store's " + MAX_EVENTS
                    + " must be a whole number of at least 1, got '" + value + "'");
        }
        return maxEvents;
    }
}
