package dev.tollgate.store.memory;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.spi.EventStoreProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Opens {@link MemoryEventStore}s under the name {@value #NAME}. Configuration (the {@code events.memory}
 * section, read by {@link MemoryStoreOptions#fromJson}): {@code maxEvents}, a whole number of at least 1, default
 * {@value MemoryStoreOptions#DEFAULT_MAX_EVENTS}; {@code maxBytes}, a whole number of bytes or a size such as
 * {@code 256mb}, at least {@code 1mb}, default a quarter of the JVM's maximum heap; {@code maxBatchIds}, a whole
 * number of at least 1, default {@value MemoryStoreOptions#DEFAULT_MAX_BATCH_IDS}. Any other key is refused as a
 * likely typo.
 */
public final class MemoryEventStoreProvider implements EventStoreProvider {

    /** The store's name in configurations. */
    public static final String NAME = "memory";
    /** The configuration key of the bound on the number of events. */
    public static final String MAX_EVENTS = MemoryStoreOptions.MAX_EVENTS;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Future<EventStore> open(Vertx vertx, JsonObject config, Clock clock) {
        try {
            return Future.succeededFuture(MemoryEventStore.create(vertx, clock, MemoryStoreOptions.fromJson(config)));
        } catch (EventStoreException e) {
            return Future.failedFuture(e);
        }
    }
}
