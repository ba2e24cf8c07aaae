package dev.tollgate.app;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Opens the event store the configuration names ({@code events.store} and its section), for the server and the
 * commands. The application places each store's section: the store reads it without knowing where it is.
 */
final class ConfiguredStore {

    /** Where the configuration names its store; each store's section is beside it ({@code events.memory}). */
    static final String STORE_KEY = "events.store";

    private ConfiguredStore() {}

    /**
     * The configured store, on the system clock. An unknown name fails with a {@link SettingsException} at
     * {@value #STORE_KEY}, a setting the store cannot use with one naming its key
     * ({@code events.memory.maxEvents}); a store that cannot be reached fails as the store says.
     */
    static Future<EventStore> create(Vertx vertx, TollgateConfig config) {
        EventStoreProvider provider;
        try {
            provider = EventStoreRegistry.fromServiceLoader().require(config.storeName());
        } catch (SettingsException e) {
            return Future.failedFuture(e.under(STORE_KEY));
        }
        try {
            return provider.create(vertx, config.storeSettings(), Clock.systemUTC());
        } catch (SettingsException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * The configured store, as the commands use it: as {@link #create}, with a store that cannot be opened
     * named in the message.
     */
    static Future<EventStore> open(Vertx vertx, TollgateConfig config) {
        return create(vertx, config)
                .recover(e -> Future.failedFuture(
                        e instanceof SettingsException
                                ? e
                                : new IllegalStateException(
                                        "cannot open the " + config.storeName() + " event store: " + e.getMessage(),
                                        e)));
    }
}
