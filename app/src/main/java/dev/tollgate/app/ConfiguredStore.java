package dev.tollgate.app;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/** Opens the event store the configuration names ({@code events.store} and its section), as the commands use it. */
final class ConfiguredStore {

    private ConfiguredStore() {}

    /** The configured store; an unknown name fails with a {@link SettingsException} at {@code events.store}. */
    static Future<EventStore> open(Vertx vertx, TollgateConfig config) {
        EventStoreRegistry registry = EventStoreRegistry.fromServiceLoader();
        if (registry.find(config.storeName()).isEmpty()) {
            return Future.failedFuture(new SettingsException(
                    "events.store",
                    "unknown event store '" + config.storeName() + "'; known: " + String.join(", ", registry.names())));
        }
        return registry.open(config.storeName(), vertx, config.storeConfig(), Clock.systemUTC())
                .recover(e -> Future.failedFuture(new IllegalStateException(
                        "cannot open the " + config.storeName() + " event store: " + e.getMessage(), e)));
    }
}
