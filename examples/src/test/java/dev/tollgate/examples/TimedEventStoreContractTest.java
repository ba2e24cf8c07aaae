package dev.tollgate.examples;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/** The timed store, wrapping the memory store, proves itself with the store contract suite. */
class TimedEventStoreContractTest extends EventStoreContract {

    @Override
    protected Future<EventStore> open(Vertx vertx, Clock clock) {
        return new TimedEventStoreProvider().open(vertx, new JsonObject().put("store", "memory"), clock);
    }
}
