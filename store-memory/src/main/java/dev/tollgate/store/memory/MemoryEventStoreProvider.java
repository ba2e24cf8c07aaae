package dev.tollgate.store.memory;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Creates {@link MemoryEventStore}s under the name {@value #NAME}. Settings (the store's section,
 * {@code events.memory}, read by {@link MemoryStoreOptions#from}): {@code maxEvents}, a whole number of at least
 * 1, default {@value MemoryStoreOptions#DEFAULT_MAX_EVENTS}; {@code maxBytes}, a number of bytes, a size such as
 * {@code 256mb} or a share of the heap such as {@code 25%}, at least {@code 1mb}, default a quarter of the JVM's
 * maximum heap; {@code maxBatchIds}, a whole number of at least 1, default
 * {@value MemoryStoreOptions#DEFAULT_MAX_BATCH_IDS}. Any other key is refused as a likely typo.
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

    /** {@code false}: the store lives on the heap of the process that opened it. */
    @Override
    public boolean shared() {
        return false;
    }

    /**
     * A store within the bounds {@code settings} give; it holds nothing outside the heap, so only its settings
     * can fail.
     *
     * @throws SettingsException naming the full key of a setting that is wrong or unknown
     */
    @Override
    public Future<EventStore> create(Vertx vertx, Settings settings, Clock clock) {
        return Future.succeededFuture(MemoryEventStore.create(vertx, clock, MemoryStoreOptions.from(settings)));
    }
}
