package dev.tollgate.examples;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreContract;
import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/** The timed store, wrapping the memory store, proves itself with the store contract suite. */
class TimedEventStoreContractTest extends EventStoreContract {

    @Override
    protected Future<EventStore> open(Vertx vertx, Clock clock) {
        return provider().create(vertx, Settings.of("events.timed", new JsonObject().put("store", "memory")), clock);
    }

    @Override
    protected EventStoreProvider provider() {
        return new TimedEventStoreProvider();
    }

    /** A timed store's section is valid only with the store it wraps: the unknown key is then the one thing wrong. */
    @Override
    protected Settings withUnknownSetting() {
        return Settings.of(
                "contract.stores.timed", new JsonObject().put("store", "memory").put(UNKNOWN_SETTING, true));
    }
}
