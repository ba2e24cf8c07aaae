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
     * The configured store, as the commands that run beside {@code serve} use it ({@code command} is one, such
     * as {@code tollgate alerts}): as {@link #create}, with a store that cannot be opened named in the message,
     * and a store that is not {@linkplain EventStoreProvider#shared shared} refused with a
     * {@link SettingsException} at {@value #STORE_KEY}, because the command would see none of the events the
     * running {@code serve} recorded.
     */
    static Future<EventStore> openShared(Vertx vertx, TollgateConfig config, String command) {
        try {
            EventStoreProvider provider = EventStoreRegistry.fromServiceLoader().require(config.storeName());
            if (!provider.shared()) {
                return Future.failedFuture(new SettingsException(
                        STORE_KEY,
                        config.storeName() + " lives inside a running serve, so " + command
                                + " would see none of its events; alerts and cleanup need a store shared with"
                                + " serve, such as postgres (" + STORE_KEY + ": postgres) or a third-party store"));
            }
        } catch (SettingsException e) {
            return Future.failedFuture(e.under(STORE_KEY));
        }
        return create(vertx, config)
                .recover(e -> Future.failedFuture(
                        e instanceof SettingsException
                                ? e
                                : new IllegalStateException(
                                        "cannot open the " + config.storeName() + " event store: " + e.getMessage(),
                                        e)));
    }
}
