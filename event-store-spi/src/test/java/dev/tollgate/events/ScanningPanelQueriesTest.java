package dev.tollgate.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/** The panel queries' contract proven on the reference store. */
class ScanningPanelQueriesTest extends PanelQueriesContract {

    @Override
    protected Future<EventStore> open(Vertx vertx, Clock clock) {
        return Future.succeededFuture(new ScanningEventStore(clock));
    }
}
