package dev.tollgate.store.memory;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.PanelQueriesContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

class MemoryPanelQueriesTest extends PanelQueriesContract {

    @Override
    protected Future<EventStore> open(Vertx vertx, Clock clock) {
        return Future.succeededFuture(MemoryEventStore.create(vertx, clock));
    }
}
