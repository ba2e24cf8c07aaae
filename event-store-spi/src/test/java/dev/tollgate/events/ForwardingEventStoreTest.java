package dev.tollgate.events;

import dev.tollgate.events.spi.EventStoreProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/** The contract suite through a {@link ForwardingEventStore} that changes nothing: it forwards every operation. */
class ForwardingEventStoreTest extends EventStoreContract {

    @Override
    protected Future<EventStore> open(Vertx vertx, Clock clock) {
        return Future.succeededFuture(new ForwardingEventStore(new ScanningEventStore(clock)) {});
    }

    @Override
    protected EventStoreProvider provider() {
        return new EventStoreRegistryTest.ScanningProvider();
    }
}
