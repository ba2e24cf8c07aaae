package dev.tollgate.store.memory;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreContract;
import dev.tollgate.events.spi.EventStoreProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

class MemoryEventStoreContractTest extends EventStoreContract {

    @Override
    protected Future<EventStore> open(Vertx vertx, Clock clock) {
        return Future.succeededFuture(MemoryEventStore.create(vertx, clock));
    }

    @Override
    protected EventStoreProvider provider() {
        return new MemoryEventStoreProvider();
    }
}
